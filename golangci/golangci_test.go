package golangci

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asynclint/asynclint/internal/checks"
)

// The tests below run a real golangci-lint v2 with the plugin linked in,
// built from testdata/gcl: what `golangci-lint custom` would build. The first
// build takes about a minute on two cores; the binary is then cached under
// os.UserCacheDir()/asynclint-golangci/<hash of its inputs>.

// issue is the part of golangci-lint's JSON output the tests read.
type issue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename string
		Line     int
	}
}

func (i issue) String() string {
	return fmt.Sprintf("%s:%d: %s (%s)", filepath.Base(i.Pos.Filename), i.Pos.Line, i.Text, i.FromLinter)
}

// expect is an issue the fixture must produce: from check, on line of
// jobs.go, with a text that starts with "<check>: " and contains contains.
// golangci-lint turns each related position of a diagnostic into an issue
// of its own, "<check>(related information): <message>", placed on the
// diagnostic's line when the position is in another file.
type expect struct {
	check    string
	related  bool
	line     int
	contains string
}

func (e expect) prefix() string {
	if e.related {
		return e.check + "(related information): "
	}
	return e.check + ": "
}

// fixtureIssues are the asynclint issues of testdata/fixture under its
// .golangci.yml. Lines that carry //nolint:asynclint or a well-formed
// //asynclint:ignore have none: nolintlint proves that each //nolint hid a
// finding, and an //asynclint:ignore that hid nothing would be reported as
// stale.
var fixtureIssues = []expect{
	{"unawaited", false, 20, "future returned by flush"},        // Forgotten
	{"blockingcall", false, 36, "time.Sleep"},                   // Sleepy
	{"blockingcall", false, 41, "use the async client"},         // Legacy: the hint comes from the settings
	{"directives", false, 49, "needs a reason"},                 // Malformed
	{"blockingcall", false, 50, "time.Sleep"},                   // Malformed: the bad directive hides nothing
	{"lockacrossawait", false, 63, "mu (sync.Mutex)"},           // Held: the lock
	{"lockacrossawait", true, 64, "await"},                      // Held: the await
	{"blockingcall", false, 64, "slowFlush -> time.Sleep"},      // Held: the await's line also blocks
	{"blockingcall", false, 70, "slow.Backoff -> time.Sleep"},   // Retry: a fact from another package
	{"blockingcall", true, 70, "slow.Backoff calls time.Sleep"}, // Retry: the chain's step in slow.go
	{"sendcheck", false, 77, "seen"},                            // Shared: the task's write
	{"sendcheck", true, 76, "spawn"},                            // Shared: the spawn
	{"sendcheck", true, 80, "spawner"},                          // Shared: the spawner's write
	{"lockacrossawait", true, 97, "await"},                      // HeldNolinted: //nolint misses the related issue
	{"blockingcall", true, 103, "slowFlush calls time.Sleep"},   // slowFlush, for Held's line 64
}

func TestGolangciLint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a custom golangci-lint (about a minute when not cached)")
	}
	bin := golangciLint(t)
	fixture, err := filepath.Abs(filepath.Join("testdata", "fixture"))
	if err != nil {
		t.Fatal(err)
	}
	configs := filepath.Join(filepath.Dir(fixture), "configs")

	t.Run("findings", func(t *testing.T) {
		issues, code, stderr := lint(t, bin, fixture, filepath.Join(fixture, ".golangci.yml"))
		if code != 1 {
			t.Errorf("exit code %d, want 1 (issues found)\nstderr:\n%s", code, stderr)
		}
		want := registeredOnly(t, fixtureIssues)
		if len(want) < len(fixtureIssues) {
			// A //nolint for a check that does not run yet hides nothing.
			issues = slices.DeleteFunc(issues, func(i issue) bool { return i.FromLinter == "nolintlint" })
		}
		matchIssues(t, issues, want)
	})

	t.Run("bad setting", func(t *testing.T) {
		issues, code, stderr := lint(t, bin, fixture, filepath.Join(configs, "badkey.yml"))
		if code != 3 {
			t.Errorf("exit code %d, want 3 (failure)", code)
		}
		const want = `asynclint settings: unknown key "unawaited.stirct" (known at this level: strict)`
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
		if len(issues) > 0 {
			t.Errorf("issues despite the bad setting: %v", issues)
		}
	})

	t.Run("disable", func(t *testing.T) {
		issues, code, stderr := lint(t, bin, fixture, filepath.Join(configs, "disable.yml"))
		if code != 1 {
			t.Errorf("exit code %d, want 1\nstderr:\n%s", code, stderr)
		}
		want := slices.DeleteFunc(slices.Clone(fixtureIssues), func(e expect) bool {
			return e.check == "unawaited" || e.check == "blockingcall"
		})
		matchIssues(t, issues, registeredOnly(t, want))
	})

	t.Run("exclusions by text", func(t *testing.T) {
		issues, code, stderr := lint(t, bin, fixture, filepath.Join(configs, "exclude.yml"))
		if code != 1 {
			t.Errorf("exit code %d, want 1\nstderr:\n%s", code, stderr)
		}
		want := slices.DeleteFunc(slices.Clone(fixtureIssues), func(e expect) bool {
			return e.check == "unawaited" || e.check == "blockingcall" || e.related
		})
		matchIssues(t, issues, registeredOnly(t, want))
	})

	// Why the README lifts golangci-lint's issue limits: with the
	// defaults, uniq-by-line keeps one issue per line, so of the blocking
	// call and the held lock's await on line 64, one hides the other.
	t.Run("default limits", func(t *testing.T) {
		issues, _, stderr := lint(t, bin, fixture, filepath.Join(configs, "defaults.yml"))
		onLine64 := 0
		for _, i := range issues {
			if i.Pos.Line == 64 {
				onLine64++
			}
		}
		if onLine64 != 1 {
			t.Errorf("with golangci-lint's default limits, %d issues on line 64, want 1 (uniq-by-line)\nstderr:\n%s", onLine64, stderr)
		}
	})

	t.Run("README configuration", func(t *testing.T) {
		config := filepath.Join(t.TempDir(), ".golangci.yml")
		if err := os.WriteFile(config, readmeYAML(t, "recommended"), 0o666); err != nil {
			t.Fatal(err)
		}
		issues, code, stderr := lint(t, bin, fixture, config)
		if code != 1 {
			t.Errorf("exit code %d, want 1\nstderr:\n%s", code, stderr)
		}
		// The README's configuration enables golangci-lint's standard
		// linters too; only asynclint's issues matter here. Its settings
		// are the defaults, so the configured legacyFetch is not reported.
		issues = slices.DeleteFunc(issues, func(i issue) bool { return i.FromLinter != Name })
		want := slices.DeleteFunc(slices.Clone(fixtureIssues), func(e expect) bool { return e.line == 41 })
		matchIssues(t, issues, registeredOnly(t, want))
	})

	t.Run("README settings", func(t *testing.T) {
		config := filepath.Join(t.TempDir(), ".golangci.yml")
		yaml := append([]byte(settingsConfig), readmeYAML(t, "settings")...)
		if err := os.WriteFile(config, yaml, 0o666); err != nil {
			t.Fatal(err)
		}
		issues, code, stderr := lint(t, bin, fixture, config)
		if code != 1 {
			t.Fatalf("exit code %d, want 1\nstderr:\n%s", code, stderr)
		}
		// The example disables sendcheck and runs blockingcall at the
		// strict level, which adds may-block calls to the findings.
		for _, i := range issues {
			if strings.HasPrefix(i.Text, "sendcheck") {
				t.Errorf("sendcheck is disabled, yet: %v", i)
			}
		}
		if !slices.ContainsFunc(issues, func(i issue) bool { return strings.HasPrefix(i.Text, "unawaited: ") }) {
			t.Errorf("no unawaited issue: %v", issues)
		}
	})
}

// settingsConfig is a .golangci.yml around the README's example of every
// setting.
const settingsConfig = `version: "2"
linters:
  default: none
  enable: [asynclint]
  settings:
    custom:
      asynclint:
        type: module
`

// registeredOnly drops, and logs, the expectations of checks that are not
// registered in internal/checks yet.
func registeredOnly(t *testing.T, want []expect) []expect {
	t.Helper()
	var out []expect
	for _, e := range want {
		if e.check == "directives" || slices.Contains(checks.Names(), e.check) {
			out = append(out, e)
		} else {
			t.Logf("not asserted: %s is not registered in internal/checks (line %d)", e.check, e.line)
		}
	}
	return out
}

// matchIssues checks that issues are exactly want, one issue per
// expectation, all in jobs.go and from asynclint.
func matchIssues(t *testing.T, issues []issue, want []expect) {
	t.Helper()
	left := slices.Clone(issues)
	for _, e := range want {
		i := slices.IndexFunc(left, func(i issue) bool {
			return i.FromLinter == Name && filepath.Base(i.Pos.Filename) == "jobs.go" && i.Pos.Line == e.line &&
				strings.HasPrefix(i.Text, e.prefix()) && strings.Contains(i.Text, e.contains)
		})
		if i < 0 {
			t.Errorf("missing: jobs.go:%d: %s...%s...", e.line, e.prefix(), e.contains)
			continue
		}
		left = slices.Delete(left, i, i+1)
	}
	for _, i := range left {
		t.Errorf("unexpected: %v", i)
	}
}

// lint runs golangci-lint in dir with config and returns its issues, exit
// code and standard error.
func lint(t *testing.T, bin, dir, config string) ([]issue, int, string) {
	t.Helper()
	cmd := exec.Command(bin, "run", "-c", config,
		"--output.json.path", "stdout", "--show-stats=false", "--allow-parallel-runners", "./...")
	cmd.Dir = dir
	// A fresh cache: golangci-lint's cache key does not cover the plugin's
	// settings, so results of one configuration could leak into another.
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOLANGCI_LINT_CACHE="+t.TempDir())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("golangci-lint run -c %s: %v", filepath.Base(config), time.Since(start).Round(time.Millisecond))
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var report struct{ Issues []issue }
	if stdout.Len() > 0 {
		if err := json.NewDecoder(&stdout).Decode(&report); err != nil {
			t.Fatalf("decoding golangci-lint's JSON: %v\nstderr:\n%s", err, &stderr)
		}
	}
	return report.Issues, code, stderr.String()
}

// golangciLint returns the path of a golangci-lint built from testdata/gcl
// against this checkout, building it unless the cache has one built from
// the same inputs.
func golangciLint(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	gcl := filepath.Join(root, "golangci", "testdata", "gcl")
	key := inputsHash(t, root, gcl)
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	cache = filepath.Join(cache, "asynclint-golangci")
	dir := filepath.Join(cache, key)
	bin := filepath.Join(dir, "golangci-lint")
	if _, err := os.Stat(bin); err == nil {
		now := time.Now()
		os.Chtimes(dir, now, now) // most recently used: pruneCache keeps it
		t.Logf("using cached %s", bin)
		return bin
	}

	// Build a copy whose replace points at this checkout by absolute path.
	src := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum", "main.go"} {
		data, err := os.ReadFile(filepath.Join(gcl, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, name), data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	goCmd(t, src, "mod", "edit", "-replace", "github.com/asynclint/asynclint="+root)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	// Build next to the final name and rename, so that a concurrent or
	// interrupted run never sees a partial binary.
	tmp := fmt.Sprintf("%s.%d.tmp", bin, os.Getpid())
	start := time.Now()
	goCmd(t, src, "build", "-o", tmp, ".")
	t.Logf("built golangci-lint in %v", time.Since(start).Round(time.Second))
	if err := os.Rename(tmp, bin); err != nil {
		t.Fatal(err)
	}
	pruneCache(t, cache, 3)
	return bin
}

func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		hint := ""
		if bytes.Contains(out, []byte("go.sum")) || bytes.Contains(out, []byte("go mod tidy")) {
			// The root module's requirements changed since testdata/gcl's
			// go.sum was written.
			hint = "\n(update it: go -C golangci/testdata/gcl mod tidy)"
		}
		t.Fatalf("go %s: %v\n%s%s", strings.Join(args, " "), err, out, hint)
	}
}

// inputsHash hashes what the custom binary is built from: the go command's
// version, testdata/gcl, the root module's go.mod and go.sum, and the files
// of every package of this module that the plugin links in.
func inputsHash(t *testing.T, root, gcl string) string {
	t.Helper()
	h := sha256.New()
	version, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	h.Write(version)
	cmd := exec.Command("go", "list", "-deps", "-f", `{{if and .Module (eq .Module.Path "github.com/asynclint/asynclint")}}`+
		`{{range .GoFiles}}{{$.Dir}}/{{.}}{{"\n"}}{{end}}{{range .EmbedFiles}}{{$.Dir}}/{{.}}{{"\n"}}{{end}}{{end}}`, "./golangci")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOWORK=off")
	list, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	files := []string{
		filepath.Join(gcl, "go.mod"), filepath.Join(gcl, "go.sum"), filepath.Join(gcl, "main.go"),
		filepath.Join(root, "go.mod"), filepath.Join(root, "go.sum"),
	}
	files = append(files, strings.Fields(string(list))...)
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, path)
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(rel), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// pruneCache removes all but the keep most recently used binaries from
// cache: each one is about 70 MB, and every change to the plugin's
// sources makes a new one.
func pruneCache(t *testing.T, cache string, keep int) {
	t.Helper()
	entries, err := os.ReadDir(cache)
	if err != nil {
		t.Logf("pruning %s: %v", cache, err)
		return
	}
	type dir struct {
		path string
		used time.Time
	}
	var dirs []dir
	for _, e := range entries {
		if info, err := e.Info(); err == nil && e.IsDir() {
			dirs = append(dirs, dir{filepath.Join(cache, e.Name()), info.ModTime()})
		}
	}
	slices.SortFunc(dirs, func(a, b dir) int { return b.used.Compare(a.used) })
	for _, d := range dirs[min(keep, len(dirs)):] {
		if err := os.RemoveAll(d.path); err != nil {
			t.Logf("pruning: %v", err)
		}
	}
}

// readmeYAML returns the YAML block of README.md that follows the line
// "<!-- name -->".
func readmeYAML(t *testing.T, name string) []byte {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := bytes.Cut(readme, []byte("<!-- "+name+" -->\n```yaml\n"))
	if !ok {
		t.Fatalf("README.md has no yaml block marked %q", name)
	}
	block, _, ok := bytes.Cut(after, []byte("```"))
	if !ok {
		t.Fatalf("README.md: unterminated yaml block %q", name)
	}
	return block
}
