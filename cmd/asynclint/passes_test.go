package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asynclint/asynclint/internal/output"
)

// passesText is the text output for testdata/passes: one finding per
// check, the stale directive, and nothing for the suppressed lines.
const passesText = `blockingcall/blockingcall.go:13:3: time.Sleep blocks the worker thread; use runtime.Sleep (blockingcall)
lockacrossawait/lockacrossawait.go:22:2: s.mu (sync.Mutex) is held across an await (a task that locks it blocks this worker; unlock before awaiting or use runtime.Mutex) (lockacrossawait)
	lockacrossawait/lockacrossawait.go:23:11: await while s.mu is held
sendcheck/sendcheck.go:10:3: counter is captured by a task spawned with runtime.Spawn and also written by the spawner (data race: the task may run on another worker; use SpawnLocal, a runtime.Mutex, or an atomic) (sendcheck)
	sendcheck/sendcheck.go:13:2: written by the spawner here
	sendcheck/sendcheck.go:9:7: spawned here
suppressed/suppressed.go:24:2: asynclint:ignore for sendcheck suppresses nothing here (remove it) (sendcheck)
unawaited/unawaited.go:12:2: future returned by work is never awaited (it will not run) (unawaited)
`

// withoutCheck removes the findings of check (and their related lines)
// from text output.
func withoutCheck(text, check string) string {
	var out []string
	drop := false
	for _, line := range strings.SplitAfter(text, "\n") {
		if !strings.HasPrefix(line, "\t") {
			drop = strings.HasSuffix(line, " ("+check+")\n")
		}
		if !drop {
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}

func TestPassesStandalone(t *testing.T) {
	t.Parallel()
	r := asynclint(t, "passes")
	wantCode(t, r, 3)
	if r.stdout != passesText {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, passesText)
	}
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
	if lock.Check != "lockacrossawait" || len(lock.Related) != 1 || lock.Related[0].Message != "await while s.mu is held" ||
		lock.Related[0].Posn != (output.Position{File: "lockacrossawait/lockacrossawait.go", Line: 23, Column: 11, Offset: lock.Related[0].Posn.Offset}) {
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
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-unawaited=false"}, withoutCheck(passesText, "unawaited")},
		{[]string{"-disable", "sendcheck,blockingcall"}, withoutCheck(withoutCheck(passesText, "sendcheck"), "blockingcall")},
		{[]string{"-config", cfg}, withoutCheck(passesText, "sendcheck")},
		{[]string{"-unawaited", "-blockingcall"}, "blockingcall/blockingcall.go:13:3: time.Sleep blocks the worker thread; use runtime.Sleep (blockingcall)\n" +
			"unawaited/unawaited.go:12:2: future returned by work is never awaited (it will not run) (unawaited)\n"},
		// Strict blockingcall also reports may-block calls, such as Lock.
		{[]string{"-unawaited.strict", "-blockingcall.level=strict"}, strings.Replace(passesText, "lockacrossawait/lockacrossawait.go:22:2: s.mu (",
			"lockacrossawait/lockacrossawait.go:22:2: s.mu.Lock may block the worker thread; use runtime.Mutex (blockingcall)\nlockacrossawait/lockacrossawait.go:22:2: s.mu (", 1)},
	} {
		r := asynclint(t, "passes", tc.args...)
		wantCode(t, r, 3)
		if r.stdout != tc.want {
			t.Errorf("%v: stdout:\n%s\nwant:\n%s", tc.args, r.stdout, tc.want)
		}
	}
	r := asynclint(t, "passes", "-blockingcall.level=bogus")
	wantCode(t, r, 2)
}

func TestPassesVet(t *testing.T) {
	t.Parallel()
	r := vet(t, "passes", "./...")
	wantCode(t, r, 1)
	for _, line := range strings.Split(strings.TrimSpace(passesText), "\n") {
		if strings.HasPrefix(line, "\t") {
			continue
		}
		line = line[:strings.LastIndex(line, " (")] // go vet does not name the check
		if !strings.Contains(r.stderr, line+"\n") {
			t.Errorf("go vet output lacks %q:\n%s", line, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "suppressed.go:18") || strings.Contains(r.stderr, "suppressed.go:19") {
		t.Errorf("go vet reports a suppressed line:\n%s", r.stderr)
	}

	r = vet(t, "passes", "-unawaited=false", "-sendcheck=false", "-lockacrossawait=false", "./...")
	wantCode(t, r, 1)
	if strings.Contains(r.stderr, "never awaited") || !strings.Contains(r.stderr, "time.Sleep blocks the worker thread") {
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
	if want := withoutCheck(withoutCheck(passesText, "unawaited"), "blockingcall"); r.stdout != want {
		t.Errorf("-fix stdout:\n%s\nwant:\n%s", r.stdout, want)
	}
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
