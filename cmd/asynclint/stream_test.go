package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/asynclint/asynclint/internal/output"
)

// TestStreamMatchesVet runs both drivers over the repository's analysistest
// module (every pass, facts across packages, test files) and requires the
// same findings: the streaming standalone driver must agree with
// unitchecker under the real go vet, which is the reference for how facts
// flow between packages.
func TestStreamMatchesVet(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the analysistest module several times")
	}
	t.Parallel()
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("all", func(t *testing.T) { compareDrivers(t, dir, 300, "./...") })
	// Only the importers: what they report depends on facts about
	// packages that are dependencies, not roots.
	t.Run("importers", func(t *testing.T) {
		compareDrivers(t, dir, 20, "./blockingcall/crosspkg/app", "./lockacrossawait/crosspkg/app",
			"./sendcheck/constructors/use", "./sendcheck/transitive", "./unawaited/crosspkg/user")
	})
}

// compareDrivers runs asynclint standalone and under go vet on patterns in
// dir and requires identical findings, at least min of them.
func compareDrivers(t *testing.T, dir string, min int, patterns ...string) {
	// Without the result cache, then twice with a cache of its own: the
	// second run reuses every package.
	stream := standaloneFindings(t, dir, "off", patterns)
	cache := t.TempDir()
	for range 2 {
		if got := standaloneFindings(t, dir, cache, patterns); !slices.Equal(got, stream) {
			t.Errorf("with the result cache:\n%s\nwithout:\n%s", strings.Join(got, "\n"), strings.Join(stream, "\n"))
		}
	}

	cmd := exec.Command("go", append([]string{"vet", "-vettool=" + binary, "-json"}, patterns...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK="+filepath.Join(dir, "go.work"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go vet -json: %v\n%s", err, out)
	}
	// go vet -json writes one JSON object per package, each after a
	// "# pkg" line.
	var kept []string
	for l := range strings.SplitSeq(string(out), "\n") {
		if !strings.HasPrefix(l, "# ") {
			kept = append(kept, l)
		}
	}
	doc := make(map[string]map[string]json.RawMessage)
	dec := json.NewDecoder(strings.NewReader(strings.Join(kept, "\n")))
	for dec.More() {
		var obj map[string]map[string]json.RawMessage
		if err := dec.Decode(&obj); err != nil {
			t.Fatalf("go vet -json output: %v\n%s", err, out)
		}
		maps.Copy(doc, obj)
	}
	seen := make(map[string]bool)
	var vet []string
	for _, checks := range doc {
		for check, raw := range checks {
			var diags []struct{ Posn, Message string }
			if err := json.Unmarshal(raw, &diags); err != nil {
				t.Fatalf("%s: %v: %s", check, err, raw)
			}
			for _, d := range diags {
				posn, _ := filepath.Rel(dir, d.Posn)
				line := fmt.Sprintf("%s: %s (%s)", posn, d.Message, check)
				if !seen[line] { // a package and its test variant report it twice
					seen[line] = true
					vet = append(vet, line)
				}
			}
		}
	}
	slices.Sort(stream)
	slices.Sort(vet)
	if len(stream) < min {
		t.Fatalf("standalone found %d findings in %v, want at least %d", len(stream), patterns, min)
	}
	if !slices.Equal(stream, vet) {
		for _, l := range stream {
			if !slices.Contains(vet, l) {
				t.Errorf("only standalone: %s", l)
			}
		}
		for _, l := range vet {
			if !slices.Contains(stream, l) {
				t.Errorf("only go vet: %s", l)
			}
		}
	}
}

// standaloneFindings runs asynclint -format json on patterns in dir with
// the given result cache and returns its findings, one line each.
func standaloneFindings(t *testing.T, dir, cache string, patterns []string) []string {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"-format", "json"}, patterns...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK="+filepath.Join(dir, "go.work"), cacheEnv+"="+cache)
	out, err := cmd.Output()
	if code := cmd.ProcessState.ExitCode(); code != exitFindings {
		t.Fatalf("standalone exit code %d (%v), want %d", code, err, exitFindings)
	}
	var rep struct {
		Findings []output.Finding
		Problems []output.Problem
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("standalone -format json: %v", err)
	}
	if len(rep.Problems) > 0 {
		t.Fatalf("standalone reports problems: %v", rep.Problems)
	}
	var lines []string
	for _, f := range rep.Findings {
		lines = append(lines, fmt.Sprintf("%s:%d:%d: %s (%s)", f.Posn.File, f.Posn.Line, f.Posn.Column, f.Message, f.Check))
	}
	slices.Sort(lines)
	return lines
}

// TestStreamImportCycle checks that an import cycle, which the go command
// reports and go/packages cuts, gives exit code 1 and the go command's
// message, and that the scheduler, which waits for imports, does not hang.
func TestStreamImportCycle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module cyc\n\ngo 1.26.0\n")
	writeFile(t, filepath.Join(dir, "a", "a.go"), "package a\n\nimport _ \"cyc/b\"\n")
	writeFile(t, filepath.Join(dir, "b", "b.go"), "package b\n\nimport _ \"cyc/a\"\n")
	cmd := exec.Command(binary, "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", cacheEnv+"=off")
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != exitFailure || !strings.Contains(string(out), "import cycle not allowed") {
		t.Errorf("exit code %d, output:\n%s\nwant %d and the go command's cycle error", code, out, exitFailure)
	}
}
