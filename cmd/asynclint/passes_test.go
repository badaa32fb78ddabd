package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/asynclint/asynclint/internal/output"
)

// A want is one expected finding in testdata/passes: its position, its
// check, a phrase of its message and how many related positions it has at
// least. Only the phrase is matched, so that a pass may reword a message
// without breaking the driver's tests; positions, checks, order and the
// shape of the output are what the driver is responsible for.
type want struct {
	posn, check, phrase string
	related             int
}

// passesWant is testdata/passes: one finding per check, the stale
// directive, and nothing for the suppressed lines, in output order.
var passesWant = []want{
	{"blockingcall/blockingcall.go:13:3", "blockingcall", "time.Sleep", 0},
	{"lockacrossawait/lockacrossawait.go:22:2", "lockacrossawait", "s.mu", 1},
	{"sendcheck/sendcheck.go:10:3", "sendcheck", "counter", 1},
	{"suppressed/suppressed.go:24:2", "sendcheck", "suppresses nothing", 0},
	{"unawaited/unawaited.go:12:2", "unawaited", "never awaited", 0},
}

// without returns ws without the findings of checks.
func without(ws []want, checks ...string) []want {
	var out []want
	for _, w := range ws {
		if !slices.Contains(checks, w.check) {
			out = append(out, w)
		}
	}
	return out
}

var (
	findingLine = regexp.MustCompile(`^(\S+:\d+:\d+): (.+) \((\w+)\)$`)
	relatedLine = regexp.MustCompile(`^\t\S+:\d+:\d+: .+$`)
)

// checkText checks text output against ws: the finding lines, in order,
// each followed by its related lines.
func checkText(t *testing.T, args []string, text string, ws []want) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if text == "" {
		lines = nil
	}
	i := 0
	for _, w := range ws {
		if i >= len(lines) {
			t.Errorf("%v: missing %s (%s)\n%s", args, w.posn, w.check, text)
			return
		}
		m := findingLine.FindStringSubmatch(lines[i])
		if m == nil || m[1] != w.posn || m[3] != w.check || !strings.Contains(m[2], w.phrase) {
			t.Errorf("%v: line %q, want %s: ...%s... (%s)\n%s", args, lines[i], w.posn, w.phrase, w.check, text)
			return
		}
		i++
		n := 0
		for ; i < len(lines) && strings.HasPrefix(lines[i], "\t"); i++ {
			if !relatedLine.MatchString(lines[i]) {
				t.Errorf("%v: malformed related line %q", args, lines[i])
			}
			n++
		}
		if n < w.related {
			t.Errorf("%v: %s has %d related lines, want at least %d", args, w.posn, n, w.related)
		}
	}
	if i < len(lines) {
		t.Errorf("%v: unexpected output from %q on:\n%s", args, lines[i], text)
	}
}

func TestPassesStandalone(t *testing.T) {
	t.Parallel()
	r := asynclint(t, "passes")
	wantCode(t, r, 3)
	checkText(t, nil, r.stdout, passesWant)
}

func TestPassesJSON(t *testing.T) {
	t.Parallel()
	r := asynclint(t, "passes", "-json", "./unawaited", "./lockacrossawait")
	wantCode(t, r, 3)
	var doc output.JSONReport
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 2 {
		t.Fatalf("got %d findings, want 2:\n%s", len(doc.Findings), r.stdout)
	}
	lock, unawaited := doc.Findings[0], doc.Findings[1]
	// The await on line 23 is a related position of the lock on line 22.
	if lock.Check != "lockacrossawait" || len(lock.Related) == 0 || lock.Related[0].Message == "" ||
		lock.Related[0].Posn.File != "lockacrossawait/lockacrossawait.go" || lock.Related[0].Posn.Line != 23 {
		t.Errorf("lockacrossawait finding: %+v", lock)
	}
	if unawaited.Check != "unawaited" || unawaited.Category != "discarded" || len(unawaited.Fixes) != 1 || unawaited.Fixes[0].Message != "Await the future" {
		t.Fatalf("unawaited finding: %+v", unawaited)
	}
	// Applying the JSON edits to the file gives the fixed code.
	src, err := os.ReadFile(filepath.Join(fixture(t, "passes"), "unawaited", "unawaited.go"))
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := apply(src, unawaited.Fixes[0].Edits)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(fixed), "\truntime.Await(t, work())\n") {
		t.Errorf("JSON edits give:\n%s", fixed)
	}
}

func TestPassesEnableFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cfg.json")
	os.WriteFile(cfg, []byte(`{"disable": ["sendcheck"]}`), 0o666)
	strict := slices.Insert(slices.Clone(passesWant), 1, want{"lockacrossawait/lockacrossawait.go:22:2", "blockingcall", "s.mu.Lock", 0})
	for _, tc := range []struct {
		args []string
		want []want
	}{
		{[]string{"-unawaited=false"}, without(passesWant, "unawaited")},
		{[]string{"-disable", "sendcheck,blockingcall"}, without(passesWant, "sendcheck", "blockingcall")},
		{[]string{"-config", cfg}, without(passesWant, "sendcheck")},
		{[]string{"-unawaited", "-blockingcall"}, without(passesWant, "sendcheck", "lockacrossawait")},
		// Strict blockingcall also reports may-block calls, such as Lock.
		{[]string{"-unawaited.strict", "-blockingcall.level=strict"}, strict},
	} {
		r := asynclint(t, "passes", tc.args...)
		wantCode(t, r, 3)
		checkText(t, tc.args, r.stdout, tc.want)
	}
	r := asynclint(t, "passes", "-blockingcall.level=bogus")
	wantCode(t, r, 2)
}

func TestPassesVet(t *testing.T) {
	t.Parallel()
	r := vet(t, "passes", "./...")
	wantCode(t, r, 1)
	for _, w := range passesWant {
		// go vet prints "posn: message" without the check's name.
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(w.posn) + `: .*` + regexp.QuoteMeta(w.phrase)).MatchString(r.stderr) {
			t.Errorf("go vet output lacks %s: ...%s...:\n%s", w.posn, w.phrase, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "suppressed.go:18") || strings.Contains(r.stderr, "suppressed.go:19") {
		t.Errorf("go vet reports a suppressed line:\n%s", r.stderr)
	}

	r = vet(t, "passes", "-unawaited=false", "-sendcheck=false", "-lockacrossawait=false", "./...")
	wantCode(t, r, 1)
	if strings.Contains(r.stderr, "unawaited/") || !strings.Contains(r.stderr, "blockingcall/blockingcall.go:13:3: ") {
		t.Errorf("go vet -unawaited=false ...:\n%s", r.stderr)
	}
}

func TestPassesSARIF(t *testing.T) {
	t.Parallel()
	r := asynclint(t, "passes", "-format", "sarif")
	wantCode(t, r, 3)
	if errs := loadSARIFSchema(t).validate([]byte(r.stdout)); len(errs) > 0 {
		t.Fatalf("SARIF is invalid:\n%s", strings.Join(errs, "\n"))
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string
						Help struct{ Text, Markdown string }
					}
				}
			}
			Results []struct {
				RuleID           string
				RelatedLocations []json.RawMessage
				Fixes            []json.RawMessage
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, rule := range log.Runs[0].Tool.Driver.Rules {
		rules = append(rules, rule.ID)
		if !strings.HasPrefix(rule.Help.Text, rule.ID+": ") || !strings.Contains(rule.Help.Markdown, "```go\n") {
			t.Errorf("rule %s: help text or markdown (with code blocks) missing: %+v", rule.ID, rule.Help)
		}
	}
	if got := strings.Join(rules, " "); got != "unawaited blockingcall lockacrossawait sendcheck directives" {
		t.Errorf("rules: %s", got)
	}
	related, fixes := map[string]int{}, map[string]int{}
	for _, res := range log.Runs[0].Results {
		related[res.RuleID] += len(res.RelatedLocations)
		fixes[res.RuleID] += len(res.Fixes)
	}
	if related["lockacrossawait"] != 1 || related["sendcheck"] != 2 || fixes["unawaited"] != 1 || fixes["blockingcall"] != 1 {
		t.Errorf("related locations %v, fixes %v", related, fixes)
	}
}

// copyFixture copies testdata/<name> into a temporary directory, with a
// go.work that uses the repository root by absolute path.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	src := fixture(t, name)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	err = filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o777)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if rel == "go.work" {
			data = []byte("go 1.26.0\n\nuse (\n\t.\n\t" + root + "\n)\n")
		}
		return os.WriteFile(target, data, 0o666)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestPassesFix(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t, "passes")
	r := runIn(t, dir, binary, "-fix", "./...")
	// Findings without a fix remain: exit 3, and they are printed.
	wantCode(t, r, 3)
	checkText(t, []string{"-fix"}, r.stdout, without(passesWant, "unawaited", "blockingcall"))
	for _, want := range []string{
		`unawaited/unawaited.go:12:2: applied fix "Await the future" (unawaited)`,
		`blockingcall/blockingcall.go:13:3: applied fix`,
		"applied 2 fixes in 2 files",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("-fix stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, "unawaited", "unawaited.go"))
	if !strings.Contains(string(got), "\truntime.Await(t, work())\n") {
		t.Errorf("unawaited.go after -fix:\n%s", got)
	}
	got, _ = os.ReadFile(filepath.Join(dir, "blockingcall", "blockingcall.go"))
	if !strings.Contains(string(got), "\t\truntime.Await(t, runtime.Sleep(time.Millisecond))\n") {
		t.Errorf("blockingcall.go after -fix:\n%s", got)
	}

	// The fixed code compiles and no longer has those findings.
	r = runIn(t, dir, binary, "-unawaited", "-blockingcall", "./...")
	wantCode(t, r, 0)
}

func TestPassesDiff(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t, "passes")
	before, _ := os.ReadFile(filepath.Join(dir, "unawaited", "unawaited.go"))
	r := runIn(t, dir, binary, "-diff", "-unawaited", "./unawaited")
	wantCode(t, r, 3)
	want := `--- unawaited/unawaited.go
+++ unawaited/unawaited.go
@@ -9,5 +9,5 @@
 
 // Handle forgets to await work.
 func Handle(t *runtime.Task) {
-	work()
+	runtime.Await(t, work())
 }
`
	if r.stdout != want {
		t.Errorf("-diff:\n%s\nwant:\n%s", r.stdout, want)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "unawaited", "unawaited.go")); string(after) != string(before) {
		t.Errorf("-diff changed the file")
	}
}

// TestFixesCompile applies -fix to findings whose fix would not compile
// (an unnamed or shadowed task, a shadowed package name, a future of type
// any, time.Sleep through a variable) next to fixable ones: only the
// fixable ones are fixed, the others remain (exit 3), and the package
// still builds.
func TestFixesCompile(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t, "fixes")
	r := runIn(t, dir, binary, "-fix", "-unawaited", "-blockingcall", "./...")
	wantCode(t, r, 3)
	checkText(t, []string{"-fix"}, r.stdout, []want{
		{"fix/fix.go:23:3", "unawaited", "never awaited", 0},
		{"fix/fix.go:32:3", "unawaited", "never awaited", 0},
		{"fix/fix.go:39:2", "unawaited", "never awaited", 0},
		{"fix/fix.go:40:2", "blockingcall", "blocks the worker", 0},
		{"fix/fix.go:45:2", "unawaited", "never awaited", 0},
		{"fix/fix.go:50:2", "blockingcall", "blocks the worker", 0},
	})
	if want := "applied 2 fixes in 1 file"; !strings.Contains(r.stderr, want) {
		t.Errorf("-fix stderr lacks %q:\n%s", want, r.stderr)
	}
	if b := runIn(t, dir, "go", "build", "./..."); b.code != 0 {
		t.Errorf("go build after -fix: exit %d\n%s", b.code, b.stderr)
	}
}
