package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestStdWithoutBodies loads a fixture the way analyze does and checks that
// standard packages come without function bodies, the fixture's own
// packages with them, and that nothing is reported as broken.
func TestStdWithoutBodies(t *testing.T) {
	t.Parallel()
	dir := fixture(t, "passes")
	std := newStdParser()
	if std.src == "" {
		t.Fatal("no GOROOT from go env")
	}
	cfg := &packages.Config{
		Mode:      packages.LoadAllSyntax | packages.NeedModule,
		Dir:       dir,
		Env:       append(os.Environ(), "GOWORK="+filepath.Join(dir, "go.work")),
		ParseFile: std.parseFile,
	}
	pkgs, err := packages.Load(cfg, "./lockacrossawait")
	if err != nil {
		t.Fatal(err)
	}
	std.forgiveStdImports(pkgs)
	if probs := packageProblems(pkgs, func(s string) string { return s }); len(probs) > 0 {
		t.Fatalf("loading without std bodies reports problems: %v", probs)
	}
	bodies := func(p *packages.Package) (with, without int) {
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok {
					if fd.Body != nil && len(fd.Body.List) > 0 && !isBarePanic(fd.Body) {
						with++
					} else {
						without++
					}
				}
			}
		}
		return
	}
	seen := map[string]bool{}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		seen[p.PkgPath] = true
		with, _ := bodies(p)
		switch {
		case p.PkgPath == "strings" || p.PkgPath == "sync":
			if with > 0 {
				t.Errorf("%s: %d functions with bodies, want none", p.PkgPath, with)
			}
			if p.IllTyped {
				t.Errorf("%s is ill-typed", p.PkgPath)
			}
		case strings.HasPrefix(p.PkgPath, "example.com/") || p.PkgPath == "github.com/asynclint/asynclint/runtime":
			if with == 0 {
				t.Errorf("%s lost its function bodies", p.PkgPath)
			}
		}
	})
	if !seen["sync"] || !seen["github.com/asynclint/asynclint/runtime"] {
		t.Errorf("fixture did not load sync and the runtime: %v", seen)
	}
}

// isBarePanic reports whether body is the panic(0) that stands in for a
// generic function's body.
func isBarePanic(body *ast.BlockStmt) bool {
	if len(body.List) != 1 {
		return false
	}
	es, ok := body.List[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := call.Fun.(*ast.Ident)
	return ok && id.Name == "panic" && len(call.Args) == 1
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

func TestPruneImports(t *testing.T) {
	src := `package p

import (
	"fmt"
	"math/rand/v2"
	str "strings"
	_ "embed"
	"unsafe"
	"sort"
)

var X = rand.IntN

type T struct{ b str.Builder }

func f() { fmt.Println(sort.Ints, unsafe.Sizeof(0)) }
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			fd.Body = nil
		}
	}
	pruneImports(f)
	var kept []string
	for _, imp := range f.Imports {
		kept = append(kept, imp.Path.Value)
	}
	if got, want := strings.Join(kept, " "), `"math/rand/v2" "strings" "embed"`; got != want {
		t.Errorf("kept imports %s, want %s", got, want)
	}
}
