package unawaited_test

import (
	"flag"
	"path/filepath"
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
	results := analysistest.Run(t, testutil.TestData(t), a, "./unawaited/strict")
	// Each strict report points at a return that leaks the future: in
	// earlyReturn (strict.go:14), the `return 0` two lines below.
	checkRelated(t, results, "strict", "strict.go", 14, 16, "this return is reached without awaiting it")
}

// TestRelatedAndCategories checks what analysistest does not: categories
// and related positions.
func TestRelatedAndCategories(t *testing.T) {
	results := analysistest.Run(t, testutil.TestData(t), unawaited.Analyzer,
		"./unawaited/discard", "./unawaited/slices", "./unawaited/crosspkg/user")
	// overwritten (discard.go:44) is related to the overwrite on line 45.
	checkRelated(t, results, "overwritten", "discard.go", 44, 45, "overwritten here")
	want := map[string]string{
		"future returned by doWork is never awaited (it will not run)":                              "discarded",
		"future f is overwritten before it is awaited (the first one will not run)":                 "overwritten",
		"futures appended to fs are never awaited (they will not run)":                              "slice",
		"futures put in fs are never awaited (they will not run)":                                   "slice",
		"future passed to lib.Drop is never awaited (lib.Drop ignores its parameter)":               "dropped-param",
		"future passed to q.Ignore is never awaited (q.Ignore ignores its parameter)":               "dropped-param",
		"future returned by lib.Get[int] is never awaited (it will not run)":                        "discarded",
		"future f (from lib.Get) is never awaited (it will not run)":                                "unused",
		"future returned by runtime.JoinAll is never awaited (it will not run)":                     "discarded",
		"future passed to lib.DropGeneric is never awaited (lib.DropGeneric ignores its parameter)": "dropped-param",
	}
	seen := make(map[string]bool)
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if cat, ok := want[d.Message]; ok {
				seen[d.Message] = true
				if d.Category != cat {
					t.Errorf("%q: category %q, want %q", d.Message, d.Category, cat)
				}
			}
		}
	}
	for msg := range want {
		if !seen[msg] {
			t.Errorf("no diagnostic %q", msg)
		}
	}
}

// checkRelated finds the diagnostic of category cat on file:line and checks
// that its first related position is on relLine with message msg.
func checkRelated(t *testing.T, results []*analysistest.Result, cat, file string, line, relLine int, msg string) {
	t.Helper()
	for _, r := range results {
		for _, d := range r.Diagnostics {
			pos := r.Pass.Fset.Position(d.Pos)
			if d.Category != cat || filepath.Base(pos.Filename) != file || pos.Line != line {
				continue
			}
			if len(d.Related) == 0 {
				t.Fatalf("%s: no related position", pos)
			}
			rel := d.Related[0]
			if got := r.Pass.Fset.Position(rel.Pos).Line; got != relLine || rel.Message != msg {
				t.Errorf("%s: related %q on line %d, want %q on line %d", pos, rel.Message, got, msg, relLine)
			}
			return
		}
	}
	t.Errorf("no %s diagnostic at %s:%d", cat, file, line)
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
