package lockacrossawait

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/config"
	"github.com/asynclint/asynclint/internal/testutil"
)

func TestLocks(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), Analyzer, "./lockacrossawait/locks")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), Analyzer, "./lockacrossawait/crosspkg/...")
}

func TestSuppress(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), Analyzer, "./lockacrossawait/suppress")
}

// mustNotHold is the configuration that testdata/lockacrossawait/config
// expects.
var mustNotHold = []config.TypeReason{
	{Type: "asynclint.test/lockacrossawait/config.SpinLock", Reason: "spinning blocks the worker"},
	{Type: "runtime/trace.Region", Reason: "a region must end on the goroutine that began it"},
}

func TestConfig(t *testing.T) {
	cfg := &config.Config{Lockacrossawait: config.Lockacrossawait{MustNotHold: mustNotHold}}
	analysistest.Run(t, testutil.TestData(t), New(cfg), "./lockacrossawait/config")
}

// TestConfigFlag configures the same types through the -mustnothold flag of
// a fresh instance, and checks that the flag did not leak into the default
// Analyzer or into the Config it was built from.
func TestConfigFlag(t *testing.T) {
	cfg := &config.Config{}
	a := New(cfg)
	for _, tr := range mustNotHold {
		if err := a.Flags.Set("mustnothold", tr.Type+"="+tr.Reason); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Flags.Set("mustnothold", "*bad.Type=x"); err == nil {
		t.Error(`Set("mustnothold", "*bad.Type=x") = nil, want an error`)
	}
	if len(cfg.Lockacrossawait.MustNotHold) != 0 {
		t.Errorf("flag wrote into the Config: %v", cfg.Lockacrossawait.MustNotHold)
	}
	if got := Analyzer.Flags.Lookup("mustnothold").Value.String(); got != "" {
		t.Errorf("default Analyzer's mustnothold = %q, want empty", got)
	}
	analysistest.Run(t, testutil.TestData(t), a, "./lockacrossawait/config")
}

// TestUnconfigured runs the default analyzer on the config package: the
// configured types are then ordinary values, so only the facts remain.
func TestUnconfigured(t *testing.T) {
	results := analysistest.Run(&quiet{T: t}, testutil.TestData(t), Analyzer, "./lockacrossawait/config")
	for _, r := range results {
		for _, d := range r.Diagnostics {
			t.Errorf("unconfigured analyzer reported %s: %s", r.Pass.Fset.Position(d.Pos), d.Message)
		}
	}
}

// quiet swallows analysistest's complaints about unmatched // want lines,
// which assume the configured analyzer.
type quiet struct {
	*testing.T
}

func (q *quiet) Errorf(format string, args ...any) {}

// TestRelated checks that every await point inside a critical section is a
// related position of the one diagnostic at the lock site, and the
// diagnostics' categories.
func TestRelated(t *testing.T) {
	results := analysistest.Run(t, testutil.TestData(t), Analyzer, "./lockacrossawait/locks")
	want := map[string][]string{
		// func name: the related lines' source, in order
		"InvalidSwitch":          {"runtime.Join2(t, fetch(), fetch())"},
		"InvalidHelperAwaits":    {"s.data = loadTwice(t)"},
		"InvalidMutualRecursion": {"ping(t, 2)", "viaClosure(t)"},
		"InvalidAwaitInClosure":  {"s.data = runtime.Await(t, fetch())"},
	}
	found := 0
	for _, r := range results {
		for _, d := range r.Diagnostics {
			fn := enclosingFunc(r.Pass, d.Pos)
			lines, ok := want[fn]
			if !ok {
				continue
			}
			found++
			if len(d.Related) != len(lines) {
				t.Errorf("%s: %d related positions, want %d", fn, len(d.Related), len(lines))
				continue
			}
			for i, rel := range d.Related {
				if got := sourceLine(t, r.Pass.Fset, rel.Pos); got != lines[i] {
					t.Errorf("%s: related[%d] at %q, want %q", fn, i, got, lines[i])
				}
				if !strings.HasPrefix(rel.Message, "await while s.mu is held") {
					t.Errorf("%s: related message %q", fn, rel.Message)
				}
			}
		}
	}
	if found != len(want) {
		t.Errorf("found %d of the %d diagnostics checked", found, len(want))
	}

	categories := map[string]string{
		"InvalidStraight":   "mutex",
		"InvalidRLock":      "rlock",
		"InvalidLocker":     "locker",
		"InvalidThreadLock": "thread",
	}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			fn := enclosingFunc(r.Pass, d.Pos)
			if want, ok := categories[fn]; ok {
				delete(categories, fn)
				if d.Category != want {
					t.Errorf("%s: category %q, want %q", fn, d.Category, want)
				}
			}
		}
	}
	for fn := range categories {
		t.Errorf("%s: no diagnostic", fn)
	}
}

// TestRelatedNextIteration checks the related messages of awaits in a
// loop: one that the lock reaches only through the loop's back edge says
// that it is in the next iteration; one later in the same iteration, or
// after the loop, does not.
func TestRelatedNextIteration(t *testing.T) {
	results := analysistest.Run(t, testutil.TestData(t), Analyzer, "./lockacrossawait/locks")
	want := map[string][]string{
		// func name: "source line: message" of each related position, in order
		"InvalidLockAtEndOfIteration": {
			"runtime.Await(t, fetch()): await while s.mu is held (next iteration)",
			"runtime.Await(t, runtime.YieldNow()): await while s.mu is held",
		},
		"InvalidLockAfterBranch": {
			"runtime.Await(t, fetch()): await while s.mu is held (next iteration)",
		},
		"InvalidAwaitNextIteration": {
			"runtime.Await(t, runtime.YieldNow()): await while s.mu is held",
		},
		"InvalidAwaitInCriticalLoop": {
			"s.data += runtime.Await(t, fetch()): await while s.mu is held",
		},
	}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			fn := enclosingFunc(r.Pass, d.Pos)
			lines, ok := want[fn]
			if !ok {
				continue
			}
			delete(want, fn)
			var got []string
			for _, rel := range d.Related {
				got = append(got, sourceLine(t, r.Pass.Fset, rel.Pos)+": "+rel.Message)
			}
			if !slices.Equal(got, lines) {
				t.Errorf("%s: related\n\t%s\nwant\n\t%s", fn, strings.Join(got, "\n\t"), strings.Join(lines, "\n\t"))
			}
		}
	}
	for fn := range want {
		t.Errorf("%s: no diagnostic", fn)
	}
}

func enclosingFunc(pass *analysis.Pass, pos token.Pos) string {
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Pos() <= pos && pos < fd.End() {
				return fd.Name.Name
			}
		}
	}
	return ""
}

func sourceLine(t *testing.T, fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	src, err := os.ReadFile(p.Filename)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(strings.Split(string(src), "\n")[p.Line-1])
}

// TestEarlyExit proves that a package that cannot reach the runtime, and
// the runtime itself, cost no SSA: the probe runs after lockacrossawait and
// looks at asyncapi's shared result.
func TestEarlyExit(t *testing.T) {
	for _, path := range []string{"asynclint.test/lockacrossawait/noruntime", asyncapi.RuntimePath} {
		var built, ran bool
		probe := &analysis.Analyzer{
			Name:     "probe",
			Doc:      "probe: report whether SSA was built",
			Requires: []*analysis.Analyzer{Analyzer, asyncapi.Analyzer},
			Run: func(pass *analysis.Pass) (any, error) {
				if pass.Pkg.Path() == path {
					ran = true
					built = pass.ResultOf[asyncapi.Analyzer].(*asyncapi.Result).Built()
				}
				return nil, nil
			},
		}
		if strings.HasPrefix(path, "asynclint.test/") {
			analysistest.Run(t, testutil.TestData(t), probe, "./"+strings.TrimPrefix(path, "asynclint.test/"))
		} else {
			// The runtime's comments are not expectations: ignore them.
			analysistest.Run(&quiet{T: t}, testutil.TestData(t), probe, path)
		}
		if !ran {
			t.Fatalf("probe did not run on %s", path)
		}
		if built {
			t.Errorf("lockacrossawait built SSA for %s", path)
		}
	}
}

// TestEarlyExitControl checks the probe itself: on a package that imports
// the runtime, lockacrossawait does build SSA.
func TestEarlyExitControl(t *testing.T) {
	var built bool
	probe := &analysis.Analyzer{
		Name:     "probe",
		Doc:      "probe: report whether SSA was built",
		Requires: []*analysis.Analyzer{Analyzer, asyncapi.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			if pass.Pkg.Path() == "asynclint.test/lockacrossawait/crosspkg/lib" {
				built = pass.ResultOf[asyncapi.Analyzer].(*asyncapi.Result).Built()
			}
			return nil, nil
		},
	}
	analysistest.Run(&quiet{T: t}, testutil.TestData(t), probe, "./lockacrossawait/crosspkg/lib")
	if !built {
		t.Error("no SSA built for a package that imports the runtime: the probe cannot tell")
	}
}

func TestFactRoundTrip(t *testing.T) {
	effect := &lockEffect{
		Acquires: []heldEffect{
			{Key: "$0.mu", Class: "sync.Mutex", Reason: mutexReason, Category: "mutex"},
			{Key: "example.com/p.rw(r)", Name: "rw", Read: true, Class: "sync.RWMutex", Reason: rwReadReason, Category: "rlock"},
		},
		Releases: []string{"$0.other", "$1"},
	}
	for _, tc := range []struct {
		in, out analysis.Fact
		want    string
	}{
		{new(maySuspend), new(maySuspend), "maySuspend"},
		{effect, new(lockEffect), "acquires $0.mu, example.com/p.rw(r); releases $0.other, $1"},
	} {
		var first, again bytes.Buffer
		if err := gob.NewEncoder(&first).Encode(tc.in); err != nil {
			t.Fatal(err)
		}
		if err := gob.NewEncoder(&again).Encode(tc.in); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), again.Bytes()) {
			t.Errorf("%T: encoding is not deterministic", tc.in)
		}
		if err := gob.NewDecoder(&first).Decode(tc.out); err != nil {
			t.Fatal(err)
		}
		if got := tc.out.(fmt.Stringer).String(); got != tc.want {
			t.Errorf("decoded %T = %q, want %q", tc.in, got, tc.want)
		}
		if !reflect.DeepEqual(tc.in, tc.out) {
			t.Errorf("decoded %#v, want %#v", tc.out, tc.in)
		}
	}
}

func TestDoc(t *testing.T) {
	if !strings.HasPrefix(Analyzer.Doc, "lockacrossawait: ") {
		t.Errorf("Doc = %q", Analyzer.Doc)
	}
}
