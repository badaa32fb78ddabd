package blockingcall_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/config"
	"github.com/asynclint/asynclint/internal/testutil"
	"github.com/asynclint/asynclint/passes/blockingcall"
)

// features are the testdata packages checked with the default
// configuration: one per catalog family or language feature. They run in
// one analysistest.Run, so that packages are loaded once.
var features = []string{
	"./blockingcall/direct",       // each catalog family, called in a task
	"./blockingcall/crosspkg/...", // chains through libraries that do not import the runtime
	"./blockingcall/transitive",   // chains, cycles, closures and defers within a package
	"./blockingcall/exempt",       // SpawnBlocking, go statements, plain code
	"./blockingcall/annotations",  // //asynclint:blocking and //asynclint:nonblocking
	"./blockingcall/iface",        // interface calls with a known dynamic type
	"./blockingcall/generics",
	"./blockingcall/methods",
	"./blockingcall/poll",     // Poll methods and PollFunc literals: tier 2 too
	"./blockingcall/suppress", // //asynclint:ignore
	"./blockingcall/stale",
}

func TestAnalyzer(t *testing.T) {
	results := analysistest.Run(t, testutil.TestData(t), blockingcall.Analyzer, features...)
	checkRelated(t, results)
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

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testutil.TestData(t), blockingcall.Analyzer, "./blockingcall/fix")
}

// checkRelated checks the secondary positions of transitive reports: the
// helper's first call on the chain and the blocking call at its end, in
// this package and, through the fact, in another.
func checkRelated(t *testing.T, results []*analysistest.Result) {
	t.Helper()
	want := map[string][]string{
		"call to fetchJoke blocks the worker (fetchJoke -> httpGet -> net/http.Get)": {
			"chains.go:17: fetchJoke calls httpGet here",
			"chains.go:13: net/http.Get blocks here",
		},
		"call to lib.Fetch blocks the worker (lib.Fetch -> lib.get -> net/http.Get)": {
			"lib.go:14: lib.Fetch calls lib.get here",
			"lib.go:18: net/http.Get blocks here",
		},
	}
	for _, res := range results {
		for _, d := range res.Diagnostics {
			w, ok := want[d.Message]
			if !ok {
				continue
			}
			delete(want, d.Message)
			var got []string
			for _, rel := range d.Related {
				p := res.Pass.Fset.Position(rel.Pos)
				got = append(got, fmt.Sprintf("%s:%d: %s", filepath.Base(p.Filename), p.Line, rel.Message))
			}
			if !slices.Equal(got, w) {
				t.Errorf("%s: related\n%s\nwant\n%s", d.Message, strings.Join(got, "\n"), strings.Join(w, "\n"))
			}
			if d.Category != "transitive" {
				t.Errorf("%s: category %q, want transitive", d.Message, d.Category)
			}
		}
	}
	for msg := range want {
		t.Errorf("no diagnostic %q", msg)
	}
}
