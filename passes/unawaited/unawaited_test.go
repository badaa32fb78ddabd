package unawaited_test

import (
	"flag"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/config"
	"github.com/asynclint/asynclint/internal/testutil"
	"github.com/asynclint/asynclint/passes/unawaited"
)

// features are the testdata packages checked with the default settings, one
// per language feature.
var features = []string{
	"./unawaited/discard",
	"./unawaited/branches",
	"./unawaited/loops",
	"./unawaited/defers",
	"./unawaited/closures",
	"./unawaited/generics",
	"./unawaited/methods",
	"./unawaited/slices",
	"./unawaited/stores",
	"./unawaited/polls",
	"./unawaited/main",
	"./unawaited/suppress",
	"./unawaited/crosspkg/...",
}

func TestUnawaited(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), unawaited.Analyzer, features...)
}

func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testutil.TestData(t), unawaited.Analyzer, "./unawaited/fixes")
}

func TestStrict(t *testing.T) {
	a := unawaited.New(&config.Config{Unawaited: config.Unawaited{Strict: true}})
	analysistest.Run(t, testutil.TestData(t), a, "./unawaited/strict")
}

// TestStrictFlag checks that -strict sets only its own analyzer's mode.
func TestStrictFlag(t *testing.T) {
	cfg := &config.Config{}
	a, b := unawaited.New(cfg), unawaited.New(cfg)
	if err := a.Flags.Parse([]string{"-strict"}); err != nil {
		t.Fatal(err)
	}
	if got := a.Flags.Lookup("strict").Value.(flag.Getter).Get(); got != true {
		t.Errorf("a: strict = %v after -strict, want true", got)
	}
	if got := b.Flags.Lookup("strict").Value.(flag.Getter).Get(); got != false {
		t.Errorf("b: strict = %v, want false: analyzers share a flag", got)
	}
	if cfg.Unawaited.Strict {
		t.Error("the flag wrote into the caller's Config")
	}
	// The flag changes what a reports: the strict testdata passes.
	analysistest.Run(t, testutil.TestData(t), a, "./unawaited/strict")
}

// seen is a fact type that makes the probe below run on every dependency,
// as the unawaited analyzer does.
type seen struct{}

func (*seen) AFact() {}

// TestSkips proves the early exits: no SSA is built for a package that
// cannot reach the runtime, for the standard library, or for the runtime
// itself, while a package using the runtime does get it.
func TestSkips(t *testing.T) {
	var mu sync.Mutex
	built := make(map[string]bool)
	probe := &analysis.Analyzer{
		Name:      "builtprobe",
		Doc:       "builtprobe: record whether SSA was built for each package",
		Requires:  []*analysis.Analyzer{unawaited.Analyzer, asyncapi.Analyzer},
		FactTypes: []analysis.Fact{new(seen)},
		Run: func(pass *analysis.Pass) (any, error) {
			res := pass.ResultOf[asyncapi.Analyzer].(*asyncapi.Result)
			mu.Lock()
			built[pass.Pkg.Path()] = res.Built()
			mu.Unlock()
			return nil, nil
		},
	}
	analysistest.Run(t, testutil.TestData(t), probe, "./unawaited/noruntime", "./unawaited/builds")
	for path, want := range map[string]bool{
		"asynclint.test/unawaited/noruntime": false,
		"fmt":                                false,
		"time":                               false,
		asyncapi.RuntimePath:                 false,
		"asynclint.test/unawaited/builds":    true,
	} {
		got, ok := built[path]
		if !ok {
			t.Errorf("%s was not analyzed", path)
			continue
		}
		if got != want {
			t.Errorf("%s: SSA built = %v, want %v", path, got, want)
		}
	}
}
