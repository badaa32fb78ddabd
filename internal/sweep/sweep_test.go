// Package sweep runs every asynclint check, through the real asynclint
// binary, over large bodies of real Go code and requires zero crashes and
// zero analysis problems. It is off by default (it takes minutes):
//
//	ASYNCLINT_SWEEP=ci   go test ./internal/sweep   # a few hundred packages: std and golang.org/x/tools
//	ASYNCLINT_SWEEP=full go test -timeout 60m ./internal/sweep   # adds golangci-lint's dependency tree and staticcheck
//
// .ci/run runs the ci mode.
package sweep

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asynclint/asynclint/internal/checks"
	"github.com/asynclint/asynclint/internal/output"
)

type corpus struct {
	name     string
	prepare  func(t *testing.T, dir string) // writes a module into dir
	patterns []string
	args     []string // extra asynclint flags

	// thirdParty reports that the corpus's own load errors (version skew
	// in someone else's dependency graph) are logged, not failures.
	// Analysis failures always fail.
	thirdParty bool
}

func TestSweep(t *testing.T) {
	mode := os.Getenv("ASYNCLINT_SWEEP")
	if mode == "" {
		t.Skip("set ASYNCLINT_SWEEP=ci or full to run the robustness sweep")
	}
	root := repoRoot(t)
	bin := filepath.Join(t.TempDir(), "asynclint")
	run(t, root, nil, "go", "build", "-o", bin, "./cmd/asynclint")

	corpora := []corpus{
		{name: "std", patterns: []string{"std"}},
		{name: "x/tools", prepare: copyModule("golang.org/x/tools", "v0.52.0"), patterns: []string{"./..."}},
	}
	if mode == "full" {
		corpora = append(corpora,
			corpus{name: "cmd", patterns: []string{"cmd"}},
			corpus{name: "staticcheck", prepare: copyModule("honnef.co/go/tools", "v0.8.2"), patterns: []string{"./..."}, thirdParty: true},
			corpus{name: "golangci-lint", prepare: copyModule("github.com/golangci/golangci-lint/v2", "v2.15.0"), patterns: []string{"./..."}, thirdParty: true},
			corpus{name: "protobuf", prepare: copyModule("google.golang.org/protobuf", "v1.36.12"), patterns: []string{"./..."}, thirdParty: true},
			corpus{name: "x/text", prepare: copyModule("golang.org/x/text", "v0.41.0"), patterns: []string{"./..."}, thirdParty: true},
			corpus{name: "x/net", prepare: copyModule("golang.org/x/net", "v0.61.0"), patterns: []string{"./..."}, thirdParty: true},
			corpus{name: "ginkgo", prepare: copyModule("github.com/onsi/ginkgo/v2", "v2.32.1"), patterns: []string{"./..."}, thirdParty: true},
			corpus{name: "go-critic", prepare: copyModule("github.com/go-critic/go-critic", "v0.15.0"), patterns: []string{"./..."}, thirdParty: true},
			corpus{name: "gosec", prepare: copyModule("github.com/securego/gosec/v2", "v2.30.0"), patterns: []string{"./..."}, thirdParty: true},
			corpus{name: "go-ruleguard", prepare: copyModule("github.com/quasilyte/go-ruleguard", "v0.4.5"), patterns: []string{"./..."}, thirdParty: true},
			corpus{name: "go-internal", prepare: copyModule("github.com/rogpeppe/go-internal", "v1.16.0"), patterns: []string{"./..."}, thirdParty: true},
			corpus{name: "x/exp", prepare: copyModule("golang.org/x/exp", "v0.0.0-20250620022241-b7579e27df2b"), patterns: []string{"./..."}, thirdParty: true},
			corpus{name: "x/perf", prepare: copyModule("golang.org/x/perf", "v0.0.0-20260908200009-22c9c6c9d4da"), patterns: []string{"./..."}, thirdParty: true},
			// The dependency tree of golangci-lint: hundreds of modules
			// written by many hands. Test files of dependencies are not
			// part of "all" and often do not build at the versions MVS
			// picks, so they are left out.
			corpus{name: "golangci-lint deps", prepare: importerModule("github.com/golangci/golangci-lint/v2", "v2.15.0", "github.com/golangci/golangci-lint/v2/pkg/commands"), patterns: []string{"all"}, args: []string{"-test=false"}, thirdParty: true},
		)
	}

	total := 0
	for _, c := range corpora {
		t.Run(strings.ReplaceAll(c.name, "/", "_"), func(t *testing.T) {
			dir := root
			if c.prepare != nil {
				dir = filepath.Join(t.TempDir(), "corpus")
				c.prepare(t, dir)
			}
			env := []string{"GOWORK=off", "GOFLAGS=-mod=mod"}
			list := run(t, dir, env, "go", append([]string{"list", "-e"}, c.patterns...)...)
			n := len(strings.Fields(list))
			total += n

			args := append(append([]string{"-format", "json"}, c.args...), c.patterns...)
			cmd := exec.Command(bin, args...)
			cmd.Dir = dir
			// The result cache is off: every run must analyze every package.
			cmd.Env = append(os.Environ(), append(env, "ASYNCLINT_CACHE=off")...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := cmd.ProcessState.ExitCode()
			if strings.Contains(stderr.String(), "panic") || strings.Contains(stderr.String(), "goroutine ") {
				t.Fatalf("asynclint crashed on %s:\n%s", c.name, tail(stderr.String(), 60))
			}
			var rep output.JSONReport
			if jerr := json.Unmarshal(stdout.Bytes(), &rep); jerr != nil {
				t.Fatalf("asynclint output is not JSON (exit %d, %v): %v\nstderr:\n%s", code, err, jerr, tail(stderr.String(), 30))
			}
			var failures, loadErrors []output.Problem
			for _, p := range rep.Problems {
				if isAnalysisFailure(p) || !c.thirdParty {
					failures = append(failures, p)
				} else {
					loadErrors = append(loadErrors, p)
				}
			}
			if len(failures) > 0 || (code != 0 && code != 3 && len(loadErrors) == 0) {
				var b strings.Builder
				for i, p := range failures {
					if i == 20 {
						break
					}
					data, _ := json.Marshal(p)
					b.Write(data)
					b.WriteByte('\n')
				}
				t.Fatalf("asynclint on %s: exit %d, %d problems:\n%s\nstderr:\n%s", c.name, code, len(failures), b.String(), tail(stderr.String(), 30))
			}
			if len(loadErrors) > 0 {
				t.Logf("%s: %d load errors in the corpus itself (not analysis failures), e.g. %s: %s", c.name, len(loadErrors), loadErrors[0].Posn, loadErrors[0].Message)
			}
			t.Logf("%s: %d packages, %d findings, exit %d", c.name, n, len(rep.Findings), code)
		})
	}
	t.Logf("swept %d packages in mode %s", total, mode)
	if mode == "full" && total < 3000 {
		t.Errorf("full sweep covered %d packages, want at least 3000", total)
	}
}

// isAnalysisFailure reports whether p is a check that failed, as opposed to
// a package that did not load: the driver reports the former as
// "<check>: <package>: <error>" without a position.
func isAnalysisFailure(p output.Problem) bool {
	if p.Posn != "" {
		return false
	}
	name, _, ok := strings.Cut(p.Message, ": ")
	if !ok {
		return false
	}
	for _, c := range append(checks.Names(), "directives", "asyncssa") {
		if name == c {
			return true
		}
	}
	return false
}

// copyModule copies a module from the module cache into dir, so that it is
// analyzed as a main module.
func copyModule(path, version string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		run(t, ".", []string{"GOFLAGS="}, "go", "mod", "download", path+"@"+version)
		cache := strings.TrimSpace(run(t, ".", nil, "go", "env", "GOMODCACHE"))
		src := filepath.Join(cache, escape(path)+"@"+version)
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dir, rel), 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// importerModule writes a module whose only file imports pkg from module
// path@version, so that the pattern "all" is that package's whole
// dependency tree.
func importerModule(path, version, pkg string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dir, "go.mod"), "module sweep.example\n\ngo 1.26.0\n\nrequire "+path+" "+version+"\n")
		write(t, filepath.Join(dir, "main.go"), "package main\n\nimport _ \""+pkg+"\"\n\nfunc main() {}\n")
		run(t, dir, []string{"GOWORK=off", "GOFLAGS=-mod=mod"}, "go", "mod", "tidy")
	}
}

// escape applies the module cache's case encoding.
func escape(path string) string {
	var b strings.Builder
	for _, r := range path {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail(stderr.String(), 30))
	}
	return string(out)
}

func repoRoot(t *testing.T) string {
	out := strings.TrimSpace(run(t, ".", nil, "go", "env", "GOMOD"))
	if out == "" || out == os.DevNull {
		t.Fatal("not inside the asynclint module")
	}
	return filepath.Dir(out)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
