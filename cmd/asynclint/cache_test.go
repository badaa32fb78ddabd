package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// cacheModule writes a module whose app package spawns a task that calls
// lib.Wait; whether that blocks is a fact about lib, a dependency.
func cacheModule(t *testing.T, waitBody string) string {
	t.Helper()
	dir := t.TempDir()
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod":  "module example.com/cachetest\n\ngo 1.26.0\n",
		"go.work": "go 1.26.0\n\nuse (\n\t.\n\t" + repo + "\n)\n",
		// net uses cgo (where a C compiler is present), whose compiled
		// files import more than its sources.
		"lib/lib.go": "package lib\n\nimport (\n\t_ \"net\"\n\t\"time\"\n)\n\nvar _ = time.Second\n\n" +
			"// Wait waits.\nfunc Wait() {\n\t" + waitBody + "\n}\n",
		"app/app.go": `package app

import (
	"example.com/cachetest/lib"

	"github.com/asynclint/asynclint/runtime"
)

// Nap waits on the worker that polls it.
func Nap() runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int {
		lib.Wait()
		return 1
	})
}
`,
	}
	for name, src := range files {
		writeFile(t, filepath.Join(dir, name), src)
	}
	return dir
}

func writeFile(t *testing.T, name, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
}

var cacheStats = regexp.MustCompile(`result cache .*: (\d+) packages reused, (\d+) analyzed, (\d+) listings`)

// lintCached runs asynclint on ./app with the cache in cacheDir and
// returns its output and how many packages it reused and analyzed.
func lintCached(t *testing.T, dir, cacheDir string) (out, reused, analyzed string) {
	t.Helper()
	out, reused, analyzed, _ = lintCachedList(t, dir, cacheDir, "./app")
	return out, reused, analyzed
}

// lintCachedList runs asynclint on pattern and also returns how many times
// it ran the go command to list packages. A run that analyzes nothing must
// not list more than once, without asking for compiled files.
func lintCachedList(t *testing.T, dir, cacheDir, pattern string) (out, reused, analyzed, listings string) {
	t.Helper()
	cmd := exec.Command(binary, pattern)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK="+filepath.Join(dir, "go.work"), cacheEnv+"="+cacheDir, debugEnv+"=cache")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != exitClean && code != exitFindings {
		t.Fatalf("exit code %d:\n%s%s", code, stdout.String(), stderr.String())
	}
	if cacheDir == "off" {
		return stdout.String(), "", "", ""
	}
	m := cacheStats.FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no cache statistics in:\n%s", stderr.String())
	}
	if m[2] == "0" && m[3] != "0" && m[3] != "1" {
		t.Errorf("a run served by the cache listed the packages %s times", m[3])
	}
	return stdout.String(), m[1], m[2], m[3]
}

// TestResultCache checks that a second run reuses every package, that an
// edit invalidates the edited package and its importers and nothing else,
// that an importer analyzed afresh still sees the facts of a reused
// dependency, and that a damaged cache is recomputed. Every run's output
// must equal that of a run without the cache.
func TestResultCache(t *testing.T) {
	t.Parallel()
	dir := cacheModule(t, "time.Sleep(time.Second)")
	cache := t.TempDir()
	same := func(t *testing.T, got string) {
		t.Helper()
		want, _, _ := lintCached(t, dir, "off")
		if got != want {
			t.Errorf("cached run printed\n%s\nwithout the cache:\n%s", got, want)
		}
	}

	out, reused, analyzed := lintCached(t, dir, cache)
	if reused != "0" || analyzed == "0" || !strings.Contains(out, "lib.Wait") {
		t.Fatalf("first run: reused %s, analyzed %s, output:\n%s", reused, analyzed, out)
	}
	same(t, out)
	total := analyzed

	// Served by the cache: nothing analyzed, and one listing, without
	// cgo's compiled files (and the runtime/cgo package they import).
	out, reused, analyzed = lintCached(t, dir, cache)
	if reused == "0" || analyzed != "0" {
		t.Errorf("second run: reused %s, analyzed %s, want all and 0", reused, analyzed)
	}
	same(t, out)

	// The importer changes: only it is analyzed, and the blocking call
	// it reports comes from the cached fact about lib.Wait.
	app := filepath.Join(dir, "app", "app.go")
	src, _ := os.ReadFile(app)
	writeFile(t, app, strings.Replace(string(src), "package app\n", "package app\n\n// Package app moved down a line.\n", 1))
	out, _, analyzed = lintCached(t, dir, cache)
	if analyzed != "1" || !strings.Contains(out, "app/app.go:14:") || !strings.Contains(out, "lib.Wait") {
		t.Errorf("after editing app: analyzed %s, want 1; output:\n%s", analyzed, out)
	}
	same(t, out)

	// The dependency changes: it and its importer are analyzed, and the
	// finding goes away.
	writeFile(t, filepath.Join(dir, "lib", "lib.go"), "package lib\n\nimport (\n\t_ \"net\"\n\t\"time\"\n)\n\nvar _ = time.Second\n\n// Wait waits.\nfunc Wait() {}\n")
	out, _, analyzed = lintCached(t, dir, cache)
	if analyzed != "2" || strings.Contains(out, "lib.Wait") {
		t.Errorf("after editing lib: analyzed %s, want 2; output:\n%s", analyzed, out)
	}
	same(t, out)

	// Damaged entries are recomputed.
	filepath.WalkDir(cache, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(path) != "trim.txt" {
			os.WriteFile(path, []byte("garbage"), 0o666)
		}
		return nil
	})
	out, reused, analyzed = lintCached(t, dir, cache)
	if reused != "0" || analyzed != total {
		t.Errorf("damaged cache: reused %s, analyzed %s, want 0 and %s", reused, analyzed, total)
	}
	same(t, out)
}

// TestListingCache checks that a run over unchanged code does not run the go
// command to list packages, and that every change that can alter the
// listing makes it list again: a new package directory, a file that build
// constraints excluded and now do not, an edited go.mod. Every run's output
// must equal that of a run without the cache.
func TestListingCache(t *testing.T) {
	t.Parallel()
	dir := cacheModule(t, "time.Sleep(time.Second)")
	cache := t.TempDir()
	check := func(step string, wantListings string, wantIn string) {
		t.Helper()
		out, _, _, listings := lintCachedList(t, dir, cache, "./...")
		want, _, _, _ := lintCachedList(t, dir, "off", "./...")
		if out != want {
			t.Errorf("%s: cached run printed\n%s\nwithout the cache:\n%s", step, out, want)
		}
		if listings != wantListings {
			t.Errorf("%s: listed %s times, want %s", step, listings, wantListings)
		}
		if !strings.Contains(out, wantIn) {
			t.Errorf("%s: output lacks %q:\n%s", step, wantIn, out)
		}
	}
	check("first run", "2", "app/app.go")
	check("unchanged", "0", "app/app.go")

	// A new package under ./...: its directory's parent changed.
	writeFile(t, filepath.Join(dir, "extra", "extra.go"), blockingFuture("Nap"))
	check("new package", "2", "extra/extra.go")
	check("unchanged again", "0", "extra/extra.go")

	// A file that build constraints excluded is listed as ignored; editing
	// it so that it counts changes the package.
	gated := filepath.Join(dir, "extra", "gated.go")
	writeFile(t, gated, "//go:build never\n\npackage extra\n\nimport \"time\"\n\nfunc gated() { time.Sleep(1) }\n")
	check("excluded file added", "1", "extra/extra.go") // listed again; the package is unchanged
	writeFile(t, gated, blockingFuture("Gated"))
	check("excluded file now included", "2", "extra/gated.go")

	// go.mod changes what the go command resolves.
	gomod := filepath.Join(dir, "go.mod")
	src, _ := os.ReadFile(gomod)
	writeFile(t, gomod, string(src)+"\n// edited\n")
	check("go.mod edited", "1", "extra/gated.go")
}

// blockingFuture is a file of package extra declaring a function name that
// returns a future whose body sleeps on the worker.
func blockingFuture(name string) string {
	return `package extra

import (
	"time"

	"github.com/asynclint/asynclint/runtime"
)

// ` + name + ` blocks the worker that polls it.
func ` + name + `() runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int {
		time.Sleep(time.Millisecond)
		return 1
	})
}
`
}
