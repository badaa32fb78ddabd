package sendcheck_test

import (
	"go/token"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/config"
	"github.com/asynclint/asynclint/internal/testutil"
	"github.com/asynclint/asynclint/passes/sendcheck"
)

// TestAnalyzer runs the default analyzer over every feature directory at
// once: one load of the packages (and of the standard library they import)
// instead of one per feature. Each directory is one language feature:
//
//   - nosend: NoSend by embedding, fields, pointers, slices, arrays, maps;
//   - race: assigned variables, fields, maps, siblings, loops, SpawnBlocking;
//   - unsafe: each family of the unsafe std types table;
//   - constructors: the capturesParams fact across packages;
//   - generics: type parameters never judged, concrete instantiations are;
//   - negatives: every pattern that must not be reported, with positive twins;
//   - bodies: method values, named functions and user future values as
//     task bodies;
//   - odd: unusual spawning code that must not crash;
//   - suppress: //asynclint:ignore and stale directives;
//   - closures: closures inside named functions and methods, whose
//     accesses count as the function's when they run before it returns.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), sendcheck.Analyzer,
		"./sendcheck/nosend",
		"./sendcheck/race",
		"./sendcheck/unsafe",
		"./sendcheck/constructors/...",
		"./sendcheck/generics",
		"./sendcheck/negatives",
		"./sendcheck/odd",
		"./sendcheck/suppress",
		"./sendcheck/bodies",
		"./sendcheck/closures",
	)
}

// TestPositions checks that every finding and every related location has a
// place in a file: a finding without one cannot be shown by go vet nor
// suppressed. Task bodies that are method values, named functions or user
// futures, of this package and of another, had none.
func TestPositions(t *testing.T) {
	results := analysistest.Run(t, testutil.TestData(t), sendcheck.Analyzer, "./sendcheck/bodies",
		"./sendcheck/closures", "./sendcheck/constructors/use")
	n := 0
	for _, r := range results {
		for _, d := range r.Diagnostics {
			n++
			if d.Pos == token.NoPos || r.Pass.Fset.File(d.Pos) == nil {
				t.Errorf("finding without a position: %s", d.Message)
			}
			for _, rel := range d.Related {
				if rel.Pos == token.NoPos || r.Pass.Fset.File(rel.Pos) == nil {
					t.Errorf("related location %q without a position, in: %s", rel.Message, d.Message)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no findings: the position check checked nothing")
	}
}

// TestConfig adds a NoSend type and an unsafe type through the config, and
// checks that the default analyzer reports neither.
func TestConfig(t *testing.T) {
	cfg := &config.Config{Sendcheck: config.Sendcheck{
		NoSend: []config.TypeReason{{Type: "asynclint.test/sendcheck/config.span"}},
		Unsafe: []config.TypeReason{{Type: "asynclint.test/sendcheck/config.tally"}},
	}}
	analysistest.Run(t, testutil.TestData(t), sendcheck.New(cfg), "./sendcheck/config")

	// Without the configuration, the same package has no findings: run the
	// default analyzer through a recorder instead of // want lines.
	results := analysistest.Run(&quiet{T: t}, testutil.TestData(t), sendcheck.Analyzer, "./sendcheck/config")
	for _, r := range results {
		for _, d := range r.Diagnostics {
			t.Errorf("default analyzer reported %s", d.Message)
		}
	}
}

// TestFlags sets the same types through the analyzer's flags.
func TestFlags(t *testing.T) {
	a := sendcheck.New(nil)
	if err := a.Flags.Set("nosend", "asynclint.test/sendcheck/config.span"); err != nil {
		t.Fatal(err)
	}
	if err := a.Flags.Set("unsafe", "asynclint.test/sendcheck/config.tally"); err != nil {
		t.Fatal(err)
	}
	if err := a.Flags.Set("unsafe", "*bad"); err == nil {
		t.Error("-unsafe=*bad: got no error, want a type name error")
	}
	analysistest.Run(t, testutil.TestData(t), a, "./sendcheck/config")
	if got := sendcheck.Analyzer.Flags.Lookup("nosend").Value.String(); got != "" {
		t.Errorf("flags of one instance leaked into the default analyzer: -nosend=%q", got)
	}
}

// quiet is a testing.T that ignores the "unexpected diagnostic" errors of
// analysistest, so a test can inspect the results itself.
type quiet struct {
	*testing.T
}

func (q *quiet) Errorf(format string, args ...any) {}

// TestSkipsPackagesWithoutRuntime proves the early exits: on a package that
// cannot reach the runtime, or reaches it only through another package and
// declares no future constructor, sendcheck builds no SSA.
func TestSkipsPackagesWithoutRuntime(t *testing.T) {
	var built, ran bool
	probe := &analysis.Analyzer{
		Name:     "sendcheckprobe",
		Doc:      "sendcheckprobe: observe whether sendcheck built SSA",
		Requires: []*analysis.Analyzer{sendcheck.Analyzer, asyncapi.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			ran = true
			built = pass.ResultOf[asyncapi.Analyzer].(*asyncapi.Result).Built()
			return nil, nil
		},
	}
	for _, pkg := range []string{"./sendcheck/noruntime", "./sendcheck/transitive"} {
		ran, built = false, false
		analysistest.Run(t, testutil.TestData(t), probe, pkg)
		if !ran {
			t.Fatalf("%s: probe did not run", pkg)
		}
		if built {
			t.Errorf("%s: SSA was built for a package that cannot spawn or build futures", pkg)
		}
	}

	// The same probe on a runtime package sees SSA built: the check above
	// can fail.
	analysistest.Run(&quiet{T: t}, testutil.TestData(t), probe, "./sendcheck/nosend")
	if !built {
		t.Error("SSA was not built for a package that imports the runtime")
	}
}
