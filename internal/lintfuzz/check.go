package lintfuzz

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/asynclint/asynclint/internal/checks"
)

// Env holds what every program needs, loaded once: the runtime and the
// standard packages the header imports, with syntax so that analyzers with
// facts can run on them.
type Env struct {
	fset *token.FileSet
	deps map[string]*packages.Package

	mu sync.Mutex // serializes Check: fset and deps are shared
}

// Load loads the program's dependencies from dir, a directory inside a
// module that can import the runtime (the repository itself).
func Load(dir string) (*Env, error) {
	fset := token.NewFileSet()
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
			packages.NeedDeps | packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax |
			packages.NeedTypesInfo | packages.NeedModule,
		Dir:  dir,
		Fset: fset,
	}
	pkgs, err := packages.Load(cfg, "os", "sync", "time", "github.com/asynclint/asynclint/runtime")
	if err != nil {
		return nil, err
	}
	if packages.PrintErrors(pkgs) > 0 {
		return nil, fmt.Errorf("lintfuzz: loading the runtime failed")
	}
	env := &Env{fset: fset, deps: make(map[string]*packages.Package)}
	for _, p := range pkgs {
		env.deps[p.PkgPath] = p
	}
	return env, nil
}

// Result is what analyzing one program produced.
type Result struct {
	Diagnostics []string // "line:col: check: message", in report order per check
	TypeErrors  []string // the program did not type-check (a generator bug)
}

// Check type-checks src and runs analyzers on it. Analysis errors are
// returned as errors; analyzer panics propagate.
func (env *Env) Check(src string, analyzers []*analysis.Analyzer) (*Result, error) {
	env.mu.Lock()
	defer env.mu.Unlock()

	file, err := parser.ParseFile(env.fset, "fuzz.go", src, parser.ParseComments)
	if err != nil {
		return &Result{TypeErrors: []string{err.Error()}}, nil
	}
	pkg := &packages.Package{
		ID:      "asynclint.fuzz/fuzz",
		Name:    "fuzz",
		PkgPath: "asynclint.fuzz/fuzz",
		Fset:    env.fset,
		Syntax:  []*ast.File{file},
		GoFiles: []string{"fuzz.go"},
		// No Imports: the checker would then analyze the runtime and the
		// standard library again for facts on every input. The passes take
		// the runtime's behaviour from asyncapi's table, and unknown facts
		// are treated conservatively, which is itself a path worth fuzzing.
		Imports:    map[string]*packages.Package{},
		TypesSizes: types.SizesFor("gc", "amd64"),
		Module:     &packages.Module{Path: "asynclint.fuzz", Main: true},
		TypesInfo:  checks.NewTypesInfo(),
	}
	res := &Result{}
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			dep, ok := env.deps[path]
			if !ok {
				return nil, fmt.Errorf("lintfuzz: %s is not preloaded", path)
			}
			return dep.Types, nil
		}),
		Error:     func(err error) { res.TypeErrors = append(res.TypeErrors, err.Error()) },
		GoVersion: "go1.26",
	}
	pkg.Types, _ = conf.Check(pkg.PkgPath, env.fset, pkg.Syntax, pkg.TypesInfo)
	if len(res.TypeErrors) > 0 {
		return res, nil
	}

	graph, err := checker.Analyze(analyzers, []*packages.Package{pkg}, &checker.Options{Sequential: true})
	if err != nil {
		return nil, err
	}
	for act := range graph.All() {
		if act.Err != nil {
			return nil, fmt.Errorf("%s: %v", act, act.Err)
		}
	}
	for _, act := range graph.Roots {
		for _, d := range act.Diagnostics {
			p := env.fset.Position(d.Pos)
			res.Diagnostics = append(res.Diagnostics, fmt.Sprintf("%d:%d: %s: %s", p.Line, p.Column, act.Analyzer.Name, d.Message))
		}
	}
	return res, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// Numbered returns src with line numbers, for failure messages.
func Numbered(src string) string {
	var b strings.Builder
	for i, line := range strings.Split(src, "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, line)
	}
	return b.String()
}
