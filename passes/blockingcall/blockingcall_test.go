package blockingcall_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/config"
	"github.com/asynclint/asynclint/internal/testutil"
	"github.com/asynclint/asynclint/passes/blockingcall"
)

func TestDirect(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), blockingcall.Analyzer, "./blockingcall/direct")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), blockingcall.Analyzer, "./blockingcall/crosspkg/...")
}

func TestTransitive(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), blockingcall.Analyzer, "./blockingcall/transitive")
}

func TestFeatures(t *testing.T) {
	for _, pkg := range []string{"exempt", "annotations", "iface", "generics", "methods"} {
		t.Run(pkg, func(t *testing.T) {
			analysistest.Run(t, testutil.TestData(t), blockingcall.Analyzer, "./blockingcall/"+pkg)
		})
	}
}

func TestPoll(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), blockingcall.Analyzer, "./blockingcall/poll")
}

func TestStrict(t *testing.T) {
	a := blockingcall.New(nil)
	if err := a.Flags.Set("level", "strict"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testutil.TestData(t), a, "./blockingcall/strict")
}

// TestConfig configures offload, allow and extra functions through a
// Config, the way the golangci plugin does.
func TestConfig(t *testing.T) {
	const pkg = "asynclint.test/blockingcall/offload"
	cfg := &config.Config{Blockingcall: config.Blockingcall{
		Functions: []config.FuncHint{{Func: pkg + ".Fetch", Hint: "use FetchAsync"}},
		Allow:     []string{pkg + ".Quick"},
		Offload:   []string{pkg + ".Submit"},
	}}
	analysistest.Run(t, testutil.TestData(t), blockingcall.New(cfg), "./blockingcall/offload")
}

// TestFlags configures the same through flags.
func TestFlags(t *testing.T) {
	const pkg = "asynclint.test/blockingcall/offload"
	a := blockingcall.New(nil)
	for flag, value := range map[string]string{
		"functions": pkg + ".Fetch=use FetchAsync",
		"allow":     pkg + ".Quick",
		"offload":   pkg + ".Submit",
	} {
		if err := a.Flags.Set(flag, value); err != nil {
			t.Fatalf("-%s=%s: %v", flag, value, err)
		}
	}
	analysistest.Run(t, testutil.TestData(t), a, "./blockingcall/offload")

	for flag, value := range map[string]string{
		"level":     "loose",
		"functions": "Fetch=use FetchAsync",
		"allow":     "(*pkg.T)",
	} {
		if err := a.Flags.Set(flag, value); err == nil {
			t.Errorf("-%s=%s: no error", flag, value)
		}
	}
}

// TestFlagsPerInstance checks that flags of one analyzer do not leak into
// another built from the same Config.
func TestFlagsPerInstance(t *testing.T) {
	cfg := &config.Config{}
	a, b := blockingcall.New(cfg), blockingcall.New(cfg)
	if err := a.Flags.Set("level", "strict"); err != nil {
		t.Fatal(err)
	}
	if got := b.Flags.Lookup("level").Value.String(); got != "" {
		t.Errorf("b's level = %q after setting a's, want empty", got)
	}
	if cfg.Blockingcall.Level != "" {
		t.Errorf("cfg.Blockingcall.Level = %q after setting a flag, want empty", cfg.Blockingcall.Level)
	}
}

func TestSuppress(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), blockingcall.Analyzer, "./blockingcall/suppress")
}

// probe reports whether SSA was built for each package after blockingcall
// ran on it.
var probe = &analysis.Analyzer{
	Name:     "probe",
	Doc:      "probe: report whether blockingcall built SSA",
	Requires: []*analysis.Analyzer{blockingcall.Analyzer, asyncapi.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		res := pass.ResultOf[asyncapi.Analyzer].(*asyncapi.Result)
		msg := "ssa skipped"
		if res.Built() {
			msg = "ssa built"
		}
		pass.Reportf(pass.Files[0].Name.Pos(), "%s", msg)
		return nil, nil
	},
}

// TestSkip proves the early exit: a package that neither imports the
// runtime nor reaches a blocking operation costs no SSA, while a helper
// library that blocks is analyzed for its facts.
func TestSkip(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), probe, "./blockingcall/skip/...")
}
