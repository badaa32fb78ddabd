package asyncapi

import (
	"go/ast"
	"go/types"
	"reflect"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Analyzer is the shared front end of every asynclint pass. Its Result is a
// *Result. It deliberately does not require buildssa: under go vet, passes
// with facts run on every dependency, and buildssa (with ctrlflow) would
// then build SSA for the whole standard library. Here the standard library
// costs nothing, and SSA is built once per package, on first request.
// A pass that knows it is the last user of a package's SSA may Release it.
var Analyzer = &analysis.Analyzer{
	Name:       "asyncssa",
	Doc:        "asyncssa: shared runtime model and lazily built SSA for asynclint passes",
	Run:        run,
	ResultType: reflect.TypeFor[*Result](),
}

// Result is what Analyzer gives each pass for one package.
type Result struct {
	// API is the runtime API reachable from the package, or nil when the
	// package cannot reach the runtime.
	API *API

	// Std reports whether the package belongs to the standard library, whose
	// behaviour the passes take from their tables rather than from analysis.
	Std bool

	pass    *analysis.Pass
	mu      sync.Mutex // guards the fields below
	built   bool       // SSA was built at least once
	pkg     *ssa.Package
	funcs   []*ssa.Function
	context map[*ssa.Function]Context
}

func run(pass *analysis.Pass) (any, error) {
	return &Result{
		API:  For(pass.Pkg),
		Std:  IsStd(pass),
		pass: pass,
	}, nil
}

// SSA builds (once, unless released) and returns the package's SSA form and
// its source functions, in source order with each closure after its parent.
// It returns nil for standard-library packages.
func (r *Result) SSA() (*ssa.Package, []*ssa.Function) {
	if r.Std {
		return nil, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pkg == nil {
		r.build()
		r.built = true
	}
	return r.pkg, r.funcs
}

// Built reports whether SSA has been built for the package: tests use it to
// prove that packages a pass should skip cost no SSA.
func (r *Result) Built() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.built
}

// Release drops the package's SSA form so that it can be collected: the
// driver keeps every analyzer's result until the whole run ends, and SSA is
// most of the memory of a large run. A later SSA call builds it again. A
// pass calls Release only where it knows it is the last user, such as a
// package that cannot reach the runtime, which only fact computation for
// helper libraries analyzes.
func (r *Result) Release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pkg, r.funcs, r.context = nil, nil, nil
}

// Contexts returns the task context of every source function (see
// API.Contexts), computed once per build.
func (r *Result) Contexts() map[*ssa.Function]Context {
	r.SSA()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.context
}

func (r *Result) build() {
	pass := r.pass
	prog := ssa.NewProgram(pass.Fset, 0)
	for _, p := range pass.Pkg.Imports() {
		prog.CreatePackage(p, nil, nil, true)
	}
	pkg := prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
	pkg.Build()

	var funcs []*ssa.Function
	var add func(f *ssa.Function)
	add = func(f *ssa.Function) {
		funcs = append(funcs, f)
		for _, anon := range f.AnonFuncs {
			add(anon)
		}
	}
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if obj == nil {
				continue
			}
			if f := prog.FuncValue(obj); f != nil {
				add(f)
			}
		}
	}
	// Package initializers hold the closures of package-level var
	// declarations.
	if init := pkg.Func("init"); init != nil {
		for _, anon := range init.AnonFuncs {
			add(anon)
		}
	}
	r.pkg = pkg
	r.funcs = funcs
	r.context = r.API.Contexts(funcs)
}

// IsStd reports whether pass analyzes a standard-library package: one
// outside any module whose import path has no dot in its first element.
func IsStd(pass *analysis.Pass) bool {
	if pass.Module != nil && pass.Module.Path != "" && pass.Module.Path != "std" {
		return false
	}
	first, _, _ := strings.Cut(pass.Pkg.Path(), "/")
	return !strings.Contains(first, ".")
}
