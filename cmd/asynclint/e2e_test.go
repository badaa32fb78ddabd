package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/asynclint/asynclint/internal/checks"
	"github.com/asynclint/asynclint/internal/output"
)

// The end-to-end tests build the real binary once and run it, standalone
// and under the real go vet, on the fixture modules in testdata/. Each
// fixture has a go.work that puts the repository root next to it, so that
// fixtures import the real runtime.

var binary string // path of the asynclint binary built by TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "asynclint-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "asynclint")
	// Runs share a result cache of their own, never the user's.
	os.Setenv(cacheEnv, filepath.Join(dir, "cache"))
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building asynclint: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// fixture returns the absolute directory of testdata/<name>.
func fixture(t *testing.T, name string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// runIn runs name with args in dir, with GOWORK pointing at dir's go.work.
func runIn(t *testing.T, dir, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK="+filepath.Join(dir, "go.work"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s: %v", name, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

func asynclint(t *testing.T, fix string, args ...string) result {
	t.Helper()
	return runIn(t, fixture(t, fix), binary, args...)
}

func vet(t *testing.T, fix string, args ...string) result {
	t.Helper()
	return runIn(t, fixture(t, fix), "go", append([]string{"vet", "-vettool=" + binary}, args...)...)
}

// noCrash fails if r's output shows a panic or a goroutine dump.
func noCrash(t *testing.T, r result) {
	t.Helper()
	for _, s := range []string{"panic:", "goroutine ", "[recovered]"} {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("output contains %q:\nstdout:\n%s\nstderr:\n%s", s, r.stdout, r.stderr)
		}
	}
}

func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	noCrash(t, r)
}

// findingsText is the text output for testdata/findings, sorted by file
// and position; the a_test.go line needs -test (the default).
const findingsText = `a/a.go:6:2: asynclint:ignore needs a reason after the check list, so that readers know why it is safe (directives)
a/a.go:12:11: unknown directive asynclint:ingore (known: ignore, blocking, nonblocking) (directives)
a/a_test.go:6:2: asynclint:ignore needs a check and a reason: //asynclint:ignore <check>[,<check>] <reason> (directives)
b/b.go:6:11: asynclint:ignore names unknown check nosuchcheck (known: unawaited, blockingcall, lockacrossawait, sendcheck) (directives)
`

func TestStandaloneExitCodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, fixture string
		args          []string
		code          int
	}{
		{"clean", "clean", nil, 0},
		{"clean explicit pattern", "clean", []string{"./app"}, 0},
		{"findings", "findings", nil, 3},
		{"findings json", "findings", []string{"-json", "./b"}, 3},
		{"findings sarif", "findings", []string{"-format", "sarif", "./b"}, 3},
		{"findings github", "findings", []string{"-format=github", "./b"}, 3},
		{"load error", "broken", nil, 1},
		{"load error json", "broken", []string{"-format", "json"}, 1},
		{"load error sarif", "broken", []string{"-format", "sarif"}, 1},
		{"load error github", "broken", []string{"-format", "github"}, 1},
		{"no such package", "clean", []string{"./nosuchdir"}, 1},
		{"bad flag", "clean", []string{"-nosuchflag"}, 2},
		{"bad format", "clean", []string{"-format", "xml"}, 2},
		{"bad disable", "clean", []string{"-disable", "nosuchcheck"}, 2},
		{"missing config", "clean", []string{"-config", "nosuchfile.json"}, 2},
		{"help flag", "clean", []string{"-h"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, asynclint(t, tc.fixture, tc.args...), tc.code)
		})
	}
}

func TestStandaloneText(t *testing.T) {
	t.Parallel()
	r := asynclint(t, "findings")
	wantCode(t, r, 3)
	if r.stdout != findingsText {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, findingsText)
	}
	if r.stderr != "" {
		t.Errorf("stderr: %s", r.stderr)
	}

	// Without test files, the a_test.go finding goes away.
	r = asynclint(t, "findings", "-test=false", "./...")
	wantCode(t, r, 3)
	if want := strings.Replace(findingsText, "a/a_test.go:6:2: asynclint:ignore needs a check and a reason: //asynclint:ignore <check>[,<check>] <reason> (directives)\n", "", 1); r.stdout != want {
		t.Errorf("-test=false stdout:\n%s\nwant:\n%s", r.stdout, want)
	}
}

func TestStandaloneTags(t *testing.T) {
	t.Parallel()
	wantCode(t, asynclint(t, "findings", "./c"), 0)
	r := asynclint(t, "findings", "-tags", "extra", "./c")
	wantCode(t, r, 3)
	if want := "c/extra.go:7:2: asynclint:ignore needs a reason after the check list, so that readers know why it is safe (directives)\n"; r.stdout != want {
		t.Errorf("-tags extra stdout:\n%s\nwant:\n%s", r.stdout, want)
	}
}

// TestStandaloneLoadError checks that a package that does not compile gives
// the compiler's message with its position, once, and that the other
// packages are still analyzed and reported.
func TestStandaloneLoadError(t *testing.T) {
	t.Parallel()
	r := asynclint(t, "broken")
	wantCode(t, r, 1)
	if want := "bad/bad.go:6:9: undefined: undefinedName\n"; r.stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, want)
	}
	if want := "good/good.go:6:2: asynclint:ignore needs a reason after the check list, so that readers know why it is safe (directives)\n"; r.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, want)
	}
}

func TestStandaloneBadFlagPrintsUsage(t *testing.T) {
	t.Parallel()
	r := asynclint(t, "clean", "-nosuchflag")
	wantCode(t, r, 2)
	if strings.Contains(r.stderr, "panic") {
		t.Errorf("usage mentions a panic:\n%s", r.stderr)
	}
	for _, want := range []string{"flag provided but not defined: -nosuchflag", "Usage:", "Exit codes:", "-format format", "-unawaited.strict"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestStandaloneConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"unawaited": {"strict": true, "strictt": true}}`), 0o666)
	r := asynclint(t, "findings", "-config", bad)
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, `unknown key "unawaited.strictt" (known at this level: strict)`) {
		t.Errorf("stderr does not name the unknown key:\n%s", r.stderr)
	}

	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`{"disable": ["unawaited"], "unawaited": {"strict": true}}`), 0o666)
	r = asynclint(t, "findings", "-config="+good)
	wantCode(t, r, 3)
	if r.stdout != findingsText {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, findingsText)
	}
}

func TestStandaloneJSON(t *testing.T) {
	t.Parallel()
	r := asynclint(t, "broken", "-json")
	wantCode(t, r, 1)
	var doc output.JSONReport
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decoding %s: %v", r.stdout, err)
	}
	want := output.JSONReport{
		Findings: []output.Finding{{
			Check:    "directives",
			Category: "directive",
			Posn:     output.Position{File: "good/good.go", Line: 6, Column: 2, Offset: 125},
			End:      output.Position{File: "good/good.go", Line: 6, Column: 30, Offset: 153},
			Message:  "asynclint:ignore needs a reason after the check list, so that readers know why it is safe",
		}},
		Problems: []output.Problem{{Posn: "bad/bad.go:6:9", Message: "undefined: undefinedName"}},
	}
	got, _ := json.Marshal(doc)
	wantJSON, _ := json.Marshal(want)
	if !bytes.Equal(got, wantJSON) {
		t.Errorf("got  %s\nwant %s", got, wantJSON)
	}
	// Both arrays are present even when empty.
	r = asynclint(t, "clean", "-format", "json")
	wantCode(t, r, 0)
	if strings.Join(strings.Fields(r.stdout), "") != `{"findings":[],"problems":[]}` {
		t.Errorf("clean JSON: %s", r.stdout)
	}
}

func TestStandaloneGitHub(t *testing.T) {
	t.Parallel()
	r := asynclint(t, "broken", "-format", "github")
	wantCode(t, r, 1)
	want := "::error file=bad/bad.go,line=6,col=9,title=asynclint::undefined: undefinedName\n" +
		"::error file=good/good.go,line=6,col=2,endLine=6,endColumn=30,title=asynclint/directives::asynclint:ignore needs a reason after the check list, so that readers know why it is safe\n"
	if r.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, want)
	}
}

func TestStandaloneSARIF(t *testing.T) {
	t.Parallel()
	schema := loadSARIFSchema(t)
	for _, fix := range []string{"findings", "broken", "clean"} {
		r := asynclint(t, fix, "-format", "sarif")
		if errs := schema.validate([]byte(r.stdout)); len(errs) > 0 {
			t.Errorf("%s: SARIF is invalid:\n%s", fix, strings.Join(errs, "\n"))
		}
	}

	r := asynclint(t, "broken", "-format", "sarif")
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID               string
						ShortDescription struct{ Text string }
						HelpURI          string
					}
				}
			}
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct{ Message struct{ Text string } }
			}
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	rule := run.Tool.Driver.Rules[len(run.Tool.Driver.Rules)-1]
	if rule.ID != "directives" || rule.ShortDescription.Text != "report malformed //asynclint: directives" ||
		rule.HelpURI != "https://github.com/asynclint/asynclint/blob/main/docs/checks.md#directives" {
		t.Errorf("rule = %+v", rule)
	}
	if inv := run.Invocations[0]; inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 ||
		inv.ToolExecutionNotifications[0].Message.Text != "undefined: undefinedName" {
		t.Errorf("invocation = %+v, want one failure notification", inv)
	}
	if len(run.Results) != 1 {
		t.Fatalf("got %d results, want 1", len(run.Results))
	}
	loc := run.Results[0].Locations[0].PhysicalLocation
	if run.Results[0].RuleID != "directives" || loc.ArtifactLocation.URI != "good/good.go" || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
		loc.Region.StartLine != 6 || loc.Region.StartColumn != 2 || loc.Region.EndLine != 6 || loc.Region.EndColumn != 30 {
		t.Errorf("result = %+v", run.Results[0])
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	r := asynclint(t, "clean", "help")
	wantCode(t, r, 0)
	for _, a := range checks.Analyzers(nil) {
		if !regexp.MustCompile(`(?m)^  ` + a.Name + ` +` + regexp.QuoteMeta(summary(a)) + `$`).MatchString(r.stdout) {
			t.Errorf("help does not list %s with its summary:\n%s", a.Name, r.stdout)
		}
		r := asynclint(t, "clean", "help", a.Name)
		wantCode(t, r, 0)
		if !strings.HasPrefix(r.stdout, a.Doc+"\n") {
			t.Errorf("help %s does not print its doc:\n%s", a.Name, r.stdout)
		}
	}
	r = asynclint(t, "clean", "help", "nosuchcheck")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, `unknown check "nosuchcheck"`) || !strings.Contains(r.stderr, "directives") {
		t.Errorf("help nosuchcheck stderr:\n%s", r.stderr)
	}
}

func TestVetExitCodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, fixture string
		args          []string
		code          int
	}{
		{"clean", "clean", []string{"./..."}, 0},
		{"findings", "findings", []string{"./..."}, 1},
		{"load error", "broken", []string{"./..."}, 1},
		{"bad flag", "clean", []string{"-nosuchflag", "./..."}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, vet(t, tc.fixture, tc.args...), tc.code)
		})
	}
}

func TestVetOutput(t *testing.T) {
	t.Parallel()
	r := vet(t, "findings", "./...")
	wantCode(t, r, 1)
	// go vet prints "# package" headers and the lines of each package in
	// package order; compare the diagnostic lines as a set.
	var got []string
	for _, line := range strings.Split(r.stderr, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			got = append(got, line+" (directives)")
		}
	}
	want := strings.Split(strings.TrimSpace(findingsText), "\n")
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("go vet output:\n%s\nwant the lines of:\n%s", r.stderr, findingsText)
	}

	r = vet(t, "broken", "./...")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "bad/bad.go:6:9: undefined: undefinedName") ||
		!strings.Contains(r.stderr, "good/good.go:6:2: asynclint:ignore needs a reason") {
		t.Errorf("go vet on a broken package and a good one:\n%s", r.stderr)
	}
}

func TestVetConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"disabel": ["unawaited"]}`), 0o666)
	r := vet(t, "findings", "-config="+bad, "./...")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, `unknown key "disabel" (known at this level: blockingcall, disable, lockacrossawait, sendcheck, unawaited)`) {
		t.Errorf("stderr does not name the unknown key:\n%s", r.stderr)
	}

	// go vet runs the tool in the package's directory; a relative path is
	// refused with advice rather than silently ignored.
	r = vet(t, "findings", "-config=nosuch.json", "./a")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "give -config an absolute path") {
		t.Errorf("relative -config under go vet:\n%s", r.stderr)
	}

	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`{"disable": ["sendcheck"]}`), 0o666)
	wantCode(t, vet(t, "passes", "./sendcheck"), 1)
	r = vet(t, "passes", "-config="+good, "./sendcheck")
	wantCode(t, r, 0)
	if r.stderr != "" {
		t.Errorf("go vet -config with sendcheck disabled:\n%s", r.stderr)
	}
	r = vet(t, "passes", "-disable=sendcheck", "./sendcheck")
	wantCode(t, r, 0)
}

// TestVetConfigEnv checks that ASYNCLINT_CONFIG works under go vet and
// that editing the file invalidates go vet's cache of results.
func TestVetConfigEnv(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "cfg.json")
	vetWith := func(content string) result {
		if err := os.WriteFile(cfg, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
		dir := fixture(t, "passes")
		cmd := exec.Command("go", "vet", "-vettool="+binary, "./sendcheck")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK="+filepath.Join(dir, "go.work"), "ASYNCLINT_CONFIG="+cfg)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.Run()
		return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
	}
	wantCode(t, vetWith(`{"disable": ["sendcheck"]}`), 0)
	wantCode(t, vetWith(`{}`), 1)
	wantCode(t, vetWith(`{"disable": ["sendcheck"]}`), 0)
}

// TestVetJSON checks go vet's own -json, which unitchecker implements: the
// findings go to standard output and, as with go vet's own checks, the exit
// code is 0.
func TestVetJSON(t *testing.T) {
	t.Parallel()
	r := vet(t, "findings", "-json", "./b")
	wantCode(t, r, 0)
	var doc map[string]map[string][]struct{ Posn, Message string }
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("go vet -json: %v\n%s", err, r.stdout)
	}
	diags := doc["example.com/findings/b"]["directives"]
	if len(diags) != 1 || !strings.HasSuffix(diags[0].Posn, "b/b.go:6:11") ||
		!strings.HasPrefix(diags[0].Message, "asynclint:ignore names unknown check nosuchcheck") {
		t.Errorf("go vet -json output:\n%s", r.stdout)
	}
}

// TestRelatedAcrossPackages checks the related positions of a finding
// whose chain runs through another package, known to the caller only by a
// fact: standalone and under go vet, both are printed with their exact
// columns. go vet's file set knows the helper's file only through export
// data, which has no columns and stops at the last exported object's line
// (lib.go:13), above the call on line 16.
func TestRelatedAcrossPackages(t *testing.T) {
	related := []string{
		"lib/l.go:16:2: \tlib.Mid calls lib.Slow here",
		"lib/l.go:10:2: \ttime.Sleep blocks here",
	}
	r := asynclint(t, "relpos", "-blockingcall", "./...")
	wantCode(t, r, 3)
	want := "app/app.go:9:2: call to lib.Mid blocks the worker (lib.Mid -> lib.Slow -> time.Sleep) (blockingcall)\n" +
		"\tlib/l.go:16:2: lib.Mid calls lib.Slow here\n" +
		"\tlib/l.go:10:2: time.Sleep blocks here\n"
	if r.stdout != want {
		t.Errorf("standalone:\n%s\nwant:\n%s", r.stdout, want)
	}

	r = vet(t, "relpos", "-blockingcall", "./...")
	wantCode(t, r, 1)
	lines := strings.Split(r.stderr, "\n")
	for _, rel := range related {
		found := false
		for _, line := range lines {
			found = found || strings.HasSuffix(line, rel)
		}
		if !found {
			t.Errorf("go vet output lacks a line ending in %q:\n%s", rel, r.stderr)
		}
	}
}
