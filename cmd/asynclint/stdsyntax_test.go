package main

import (
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"weak"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// probeFact makes probe a fact-producing analyzer, which the streaming
// driver runs on every dependency.
type probeFact struct{}

func (*probeFact) AFact() {}

// TestStdWithoutBodies streams a fixture the way analyze does and checks
// that standard packages come without function bodies, the fixture's own
// packages with them, that nothing is reported as broken, and that no
// package's syntax outlives its passes.
func TestStdWithoutBodies(t *testing.T) {
	t.Parallel()
	dir := fixture(t, "passes")
	std := stdParserFor(goEnv()["GOROOT"])
	if std.src == "" {
		t.Fatal("no GOROOT from go env")
	}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedImports | packages.NeedDeps | packages.NeedModule | packages.NeedTypesSizes,
		Dir: dir,
		Env: append(os.Environ(), "GOWORK="+filepath.Join(dir, "go.work")),
	}
	pkgs, err := packages.Load(cfg, "./lockacrossawait")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		with   = map[string]int{}
		syntax []weak.Pointer[ast.File]
	)
	probe := &analysis.Analyzer{
		Name:      "probe",
		Doc:       "probe: counts function bodies",
		FactTypes: []analysis.Fact{new(probeFact)},
		Run: func(pass *analysis.Pass) (any, error) {
			n := 0
			for _, f := range pass.Files {
				for _, d := range f.Decls {
					if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && len(fd.Body.List) > 0 {
						n++
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			with[pass.Pkg.Path()] += n
			for _, f := range pass.Files {
				syntax = append(syntax, weak.Make(f))
			}
			return nil, nil
		},
	}
	var failures []error
	s := &streamer{
		analyzers: []*analysis.Analyzer{probe},
		factful:   []*analysis.Analyzer{probe},
		fset:      token.NewFileSet(),
		std:       std,
		onFailure: func(u *unit, a *analysis.Analyzer, err error) { failures = append(failures, err) },
	}
	s.stream(pkgs)
	if probs := packageProblems(pkgs, func(s string) string { return s }); len(probs) > 0 || len(failures) > 0 {
		t.Fatalf("streaming without std bodies reports problems: %v %v", probs, failures)
	}
	for _, path := range []string{"strings", "sync"} {
		if n, ok := with[path]; !ok || n > 0 {
			t.Errorf("%s: %d functions with bodies (analyzed: %v), want none", path, n, ok)
		}
	}
	for path, n := range with {
		if strings.HasPrefix(path, "example.com/") || path == "github.com/asynclint/asynclint/runtime" {
			if n == 0 {
				t.Errorf("%s lost its function bodies", path)
			}
		}
	}
	if _, ok := with["github.com/asynclint/asynclint/runtime"]; !ok {
		t.Errorf("fixture did not analyze the runtime: %v", with)
	}
	runtime.GC()
	live := 0
	for _, w := range syntax {
		if w.Value() != nil {
			live++
		}
	}
	if live > 0 {
		t.Errorf("%d of %d files still reachable after streaming; syntax must be dropped once a package is analyzed", live, len(syntax))
	}
	runtime.KeepAlive(s)
}

func TestStdMayBeRoot(t *testing.T) {
	p := &stdParser{src: "/goroot/src/"}
	for _, tc := range []struct {
		patterns []string
		want     bool
	}{
		{[]string{"./..."}, false},
		{[]string{".", "./a", "../b/..."}, false},
		{[]string{"/home/me/proj/..."}, false},
		{[]string{"example.com/m/...", "github.com/x/y"}, false},
		{[]string{"std"}, true},
		{[]string{"all"}, true},
		{[]string{"./...", "net/http"}, true},
		{[]string{"/goroot/src/net/..."}, true},
		{[]string{"/goroot/src"}, true},
	} {
		if got := p.mayBeRoot(tc.patterns); got != tc.want {
			t.Errorf("mayBeRoot(%q) = %v, want %v", tc.patterns, got, tc.want)
		}
	}
}
