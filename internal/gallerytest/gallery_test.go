package gallerytest

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/asynclint/asynclint/internal/checks"
)

// finding is one diagnostic, with File relative to examples/pitfalls.
type finding struct {
	Check   string
	File    string
	Line    int
	Message string
}

func (f finding) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, f.Check, f.Message)
}

// want is every finding on the gallery, in the order of the sorted output:
// the bad programs each show their pitfall, and the good ones show none.
var want = []finding{
	{"blockingcall", "blockingintask/bad/main.go", 37,
		"call to fetchReply blocks the worker (fetchReply -> politeDelay -> time.Sleep)"},
	{"unawaited", "forgottenawait/bad/main.go", 36,
		"future returned by audit.Append is never awaited (it will not run)"},
	{"lockacrossawait", "mutexacrossawait/bad/main.go", 36,
		"c.mu (sync.Mutex) is held across an await (a task that locks it blocks this worker; unlock before awaiting or use runtime.Mutex)"},
	{"sendcheck", "unsafecapture/bad/main.go", 26,
		"counts is captured by a task spawned with runtime.Spawn and also written by another task spawned by the same call (data race: the task may run on another worker; use SpawnLocal, a runtime.Mutex, or an atomic)"},
}

// pitfalls are the gallery's directories, each with bad/ and good/, and the
// check that finds each.
var pitfalls = []struct{ dir, check string }{
	{"blockingintask", "blockingcall"},
	{"forgottenawait", "unawaited"},
	{"mutexacrossawait", "lockacrossawait"},
	{"unsafecapture", "sendcheck"},
}

// gallery returns the absolute path of examples/pitfalls.
func gallery(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "examples", "pitfalls"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("the gallery is not a module: %v", err)
	}
	return dir
}

// registered reports whether check runs by default. Until a pass is
// registered in internal/checks its expected findings cannot be produced;
// the tests say so rather than fail on work that has not landed.
func registered(check string) bool {
	return check == "directives" || slices.Contains(checks.Names(), check)
}

// expected returns want without the findings of unregistered checks,
// logging what is left out.
func expected(t *testing.T) []finding {
	var out []finding
	for _, f := range want {
		if registered(f.Check) {
			out = append(out, f)
		} else {
			t.Logf("not asserted: %s is not registered in internal/checks: %v", f.Check, f)
		}
	}
	return out
}

// analyze runs analyzers on the gallery in process, as the asynclint
// command does, and returns the findings sorted by position.
func analyze(t *testing.T, dir string, analyzers []*analysis.Analyzer) []finding {
	t.Helper()
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax | packages.NeedModule,
		Dir:  dir,
		Env:  append(os.Environ(), "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		t.Fatalf("the gallery does not load: %d errors", n)
	}
	graph, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []finding
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
			continue
		}
		if !act.IsRoot {
			continue
		}
		for _, d := range act.Diagnostics {
			posn := act.Package.Fset.Position(d.Pos)
			rel, err := filepath.Rel(dir, posn.Filename)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, finding{act.Analyzer.Name, filepath.ToSlash(rel), posn.Line, d.Message})
		}
	}
	slices.SortFunc(got, compareFindings)
	return slices.Compact(got)
}

// compareFindings orders findings by file, line, check and message.
func compareFindings(a, b finding) int {
	return cmp.Or(
		strings.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		strings.Compare(a.Check, b.Check),
		strings.Compare(a.Message, b.Message))
}

// TestWantCoversEveryPitfall keeps the table honest: every bad program
// expects a finding, no good program does, and the table is sorted.
func TestWantCoversEveryPitfall(t *testing.T) {
	for _, p := range pitfalls {
		found := slices.ContainsFunc(want, func(f finding) bool {
			return f.Check == p.check && strings.HasPrefix(f.File, p.dir+"/bad/")
		})
		switch {
		case found:
		case registered(p.check):
			t.Errorf("%s/bad: no expected %s finding", p.dir, p.check)
		default:
			t.Logf("PENDING: %s/bad has no expected finding yet: %s is not registered in internal/checks", p.dir, p.check)
		}
	}
	for _, f := range want {
		inBad := slices.ContainsFunc(pitfalls, func(p struct{ dir, check string }) bool {
			return strings.HasPrefix(f.File, p.dir+"/bad/")
		})
		if !inBad {
			t.Errorf("expected finding outside a bad program: %v", f)
		}
	}
	if !slices.IsSortedFunc(want, compareFindings) {
		t.Errorf("want is not sorted by file and line")
	}
}

func TestGalleryFindings(t *testing.T) {
	got := analyze(t, gallery(t), checks.Analyzers(nil))
	wantNow := expected(t)
	if slices.Equal(got, wantNow) {
		return
	}
	for _, f := range got {
		if !slices.Contains(wantNow, f) {
			t.Errorf("unexpected finding %v", f)
		}
	}
	for _, f := range wantNow {
		if !slices.Contains(got, f) {
			t.Errorf("missing finding %v", f)
		}
	}
	if !t.Failed() {
		t.Errorf("findings out of order:\ngot  %v\nwant %v", got, wantNow)
	}
}

// readmeCommand is the gallery README's main command, run from the
// repository root.
const readmeCommand = "go -C examples/pitfalls tool asynclint ./..."

// TestReadmeCommand runs the README's command as a user would and checks
// that it prints every finding and exits 3.
func TestReadmeCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the asynclint command")
	}
	dir := gallery(t)
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, []byte("\t"+readmeCommand+"\n")) {
		t.Fatalf("README.md does not show the command %q", readmeCommand)
	}
	args := strings.Fields(readmeCommand)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = filepath.Join(dir, "..", "..")
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	wantNow := expected(t)
	wantCode := 3
	if len(wantNow) == 0 {
		wantCode = 0
	}
	var exit *exec.ExitError
	code := 0
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != wantCode {
		t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantCode, &stdout, &stderr)
	}
	for _, f := range wantNow {
		line := fmt.Sprintf("%s:%d:", f.File, f.Line)
		if !strings.Contains(stdout.String(), line) || !strings.Contains(stdout.String(), f.Message) {
			t.Errorf("output lacks %v\nstdout:\n%s", f, &stdout)
		}
	}
	// The gallery's README and the repository's README quote the output:
	// keep both quotes true.
	rootReadme, err := os.ReadFile(filepath.Join(dir, "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(rootReadme, []byte(readmeCommand)) {
		t.Errorf("the repository's README.md does not show the command %q", readmeCommand)
	}
	for line := range strings.Lines(stdout.String()) {
		for name, text := range map[string][]byte{"examples/pitfalls/README.md": readme, "README.md": rootReadme} {
			if !bytes.Contains(text, []byte("\t"+line)) {
				t.Errorf("%s does not show this output line:\n%s", name, line)
			}
		}
	}
}
