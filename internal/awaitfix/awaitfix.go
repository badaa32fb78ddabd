// Package awaitfix builds the suggested fixes that make a task await
// something with runtime.Await: unawaited's "Await the future" and
// blockingcall's "Await runtime.Sleep instead". Both passes share one rule,
// so that neither offers a fix the other would decline:
//
//  1. The fix names the task that the enclosing function runs with (its
//     *runtime.Task parameter, or one it captures), and that name must
//     resolve, at the fix's position, to that very variable: not to an
//     unnamed or blank parameter, and not to a shadowing variable.
//  2. The runtime's package name must resolve there to the runtime (it may
//     be shadowed by a local variable), or, with a dot import, Await and
//     Sleep to the runtime's functions.
//  3. The rewritten call must type-check where it will stand: the future's
//     static type must let Await infer its T (a Future[T] or a type with
//     the Poll method; `any` does not).
//  4. Nothing the edit removes may leave a variable or an import unused:
//     the Sleep fix rewrites only a direct call of time.Sleep, and only in
//     a file that uses time's package name for more than calling Sleep
//     (so that applying every Sleep fix of the file still compiles).
//
// Rules 1 and 2 are checked with types.Scope.LookupParent at the fix's
// position, rule 3 by type-checking Await(t, f) with types.CheckExpr for an
// f of the future's static type. A fix that fails any rule is not offered;
// the diagnostic is reported without it.
package awaitfix

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/report"
)

// Fixer builds await fixes for one pass.
type Fixer struct {
	pass *analysis.Pass
	api  *asyncapi.API
}

// New returns a Fixer for pass; api is the runtime as pass's package sees
// it.
func New(pass *analysis.Pass, api *asyncapi.API) *Fixer {
	return &Fixer{pass: pass, api: api}
}

// Await returns the edits that make a statement await the future it
// computes: the text from start (the statement's start) up to future
// becomes "runtime.Await(t, ", and ")" follows future. So `doWork(x)`
// becomes `runtime.Await(t, doWork(x))` and `_ = f` becomes
// `runtime.Await(t, f)`. ok is false when the result would not compile or
// would await on the wrong task (see the package doc).
func (x *Fixer) Await(fn *ssa.Function, start token.Pos, future ast.Expr) (edits []analysis.TextEdit, ok bool) {
	n, ok := x.names(fn, start)
	if !ok || !x.resolves(n, start, "Await") || !x.infers(x.pass.TypesInfo.TypeOf(future)) {
		return nil, false
	}
	return []analysis.TextEdit{
		{Pos: start, End: future.Pos(), NewText: []byte(n.qualified("Await") + "(" + n.task + ", ")},
		{Pos: future.End(), End: future.End(), NewText: []byte(")")},
	}, true
}

// Sleep returns the edit that replaces call, a direct call of time.Sleep,
// with `runtime.Await(t, runtime.Sleep(d))`. ok is false for anything else
// (a function value holding time.Sleep, whose variable would be left
// unused; a dot-imported Sleep), when time's import would be left unused,
// and when the result would not compile or would await on the wrong task.
//
// Matched shape: time.Sleep(d), with time the package name of "time".
func (x *Fixer) Sleep(fn *ssa.Function, call *ast.CallExpr) (edits []analysis.TextEdit, ok bool) {
	if len(call.Args) != 1 || call.Ellipsis.IsValid() || !x.isTimeSleep(call.Fun) {
		return nil, false
	}
	n, ok := x.names(fn, call.Pos())
	if !ok || !x.resolves(n, call.Pos(), "Await", "Sleep") {
		return nil, false
	}
	text := n.qualified("Await") + "(" + n.task + ", " + n.qualified("Sleep") + "(" + x.source(call.Args[0]) + "))"
	return []analysis.TextEdit{{Pos: call.Pos(), End: call.End(), NewText: []byte(text)}}, true
}

// names are the spellings a fix uses: the task variable and the runtime's
// package name.
type names struct {
	task     string
	taskDecl token.Pos // where the task variable is declared
	pkg      string    // the runtime's package name in the file, "" for a dot import
}

func (n names) qualified(name string) string {
	if n.pkg == "" {
		return name
	}
	return n.pkg + "." + name
}

// names finds the task fn runs with and the name under which the file
// containing pos imports the runtime. It does not check that they resolve
// at pos; resolves does.
func (x *Fixer) names(fn *ssa.Function, pos token.Pos) (names, bool) {
	var n names
	if x.api == nil || x.api.Package() == nil {
		return n, false
	}
	var ok bool
	if n.task, n.taskDecl, ok = x.taskVar(fn); !ok {
		return n, false
	}
	if n.pkg, ok = x.runtimeName(pos); !ok {
		return n, false
	}
	return n, true
}

// taskVar returns the name and declaration of fn's task: its first *Task
// parameter, else the first *Task it captures (the choice
// asyncapi.API.TaskParam makes). An unnamed or blank parameter has no usable
// name, and then a captured *Task is not fn's task but an enclosing body's,
// on which fn must not await.
func (x *Fixer) taskVar(fn *ssa.Function) (name string, decl token.Pos, ok bool) {
	for _, p := range fn.Params {
		if !x.api.IsTask(p.Type()) {
			continue
		}
		obj, _ := p.Object().(*types.Var) // nil for a synthetic function's parameters
		if obj == nil || obj.Name() == "" || obj.Name() == "_" {
			return "", token.NoPos, false
		}
		return obj.Name(), obj.Pos(), true
	}
	for _, fv := range fn.FreeVars {
		t := fv.Type()
		if p, isPtr := t.Underlying().(*types.Pointer); isPtr && !x.api.IsTask(t) {
			t = p.Elem() // a variable captured by reference
		}
		if x.api.IsTask(t) {
			// A free variable has the position of the variable it captures.
			return fv.Name(), fv.Pos(), fv.Name() != "" && fv.Name() != "_"
		}
	}
	return "", token.NoPos, false
}

// runtimeName returns the name under which the file containing pos
// imports the runtime: "" for a dot import, ok false when the file does not
// import it or imports it as _.
func (x *Fixer) runtimeName(pos token.Pos) (string, bool) {
	for _, file := range x.pass.Files {
		if pos < file.FileStart || pos > file.FileEnd {
			continue
		}
		for _, spec := range file.Imports {
			if strings.Trim(spec.Path.Value, "\"`") != asyncapi.RuntimePath {
				continue
			}
			switch {
			case spec.Name == nil:
				return x.api.Package().Name(), true
			case spec.Name.Name == "_":
				return "", false
			case spec.Name.Name == ".":
				return "", true
			}
			return spec.Name.Name, true
		}
	}
	return "", false
}

// resolves reports whether, at pos, the fix's names denote what the fix
// means: the task name the variable declared at n.taskDecl, the package
// name the runtime (or, with a dot import, each of funcs the runtime's
// function of that name).
func (x *Fixer) resolves(n names, pos token.Pos, funcs ...string) bool {
	scope := x.scopeAt(pos)
	if scope == nil {
		return false
	}
	rt := x.api.Package()
	if _, obj := scope.LookupParent(n.task, pos); obj == nil || obj.Pos() != n.taskDecl || !x.api.IsTask(obj.Type()) {
		return false
	}
	if n.pkg != "" {
		_, obj := scope.LookupParent(n.pkg, pos)
		pkg, ok := obj.(*types.PkgName)
		return ok && pkg.Imported() == rt
	}
	for _, name := range funcs {
		if _, obj := scope.LookupParent(name, pos); obj == nil || obj != rt.Scope().Lookup(name) {
			return false
		}
	}
	return true
}

// scopeAt returns the innermost scope at pos. Like types.CheckExpr, it
// searches the file scopes, because the package scope's extent does not
// cover files spread over the file set.
func (x *Fixer) scopeAt(pos token.Pos) *types.Scope {
	for i := range x.pass.Pkg.Scope().NumChildren() {
		if s := x.pass.Pkg.Scope().Child(i).Innermost(pos); s != nil {
			return s
		}
	}
	return nil
}

// infers reports whether runtime.Await(t, f) type-checks for an f of
// type future, i.e. whether Await can infer its T: from Future[T] itself,
// or through the Poll method of a type that has it; not from any.
//
// The call is checked in a scratch package that holds only Await, t and
// f, so that the user's expression is not type-checked again: checking a
// func literal would open scopes, and go/types links every new scope into
// its parent, here the package's own scope tree, which other analyzers
// read at the same time.
func (x *Fixer) infers(future types.Type) bool {
	if future == nil {
		return false
	}
	rt := x.api.Package()
	await, ok := rt.Scope().Lookup("Await").(*types.Func)
	if !ok {
		return false
	}
	task := await.Type().(*types.Signature).Params().At(0).Type()
	scratch := types.NewPackage(x.pass.Pkg.Path(), x.pass.Pkg.Name())
	scratch.Scope().Insert(await)
	scratch.Scope().Insert(types.NewVar(token.NoPos, scratch, "t", task))
	scratch.Scope().Insert(types.NewVar(token.NoPos, scratch, "f", future))
	call := &ast.CallExpr{Fun: ast.NewIdent("Await"), Args: []ast.Expr{ast.NewIdent("t"), ast.NewIdent("f")}}
	return types.CheckExpr(x.pass.Fset, scratch, token.NoPos, call, nil) == nil
}

// sameSleep reports whether runtime.Sleep takes what time.Sleep takes, so
// that the argument can move from one to the other.
func (x *Fixer) sameSleep(timeSleep types.Object) bool {
	sleep, ok := x.api.Package().Scope().Lookup("Sleep").(*types.Func)
	if !ok || timeSleep == nil {
		return false
	}
	return types.Identical(sleep.Type().(*types.Signature).Params(), timeSleep.Type().(*types.Signature).Params())
}

// isTimeSleep reports whether fun is time.Sleep spelled through the
// package name of "time", and that package name is used in the same file
// by something other than a call of time.Sleep, so that the import stays
// used however many of the file's Sleep fixes are applied.
func (x *Fixer) isTimeSleep(fun ast.Expr) bool {
	sel, ok := ast.Unparen(fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	pkg, ok := x.pass.TypesInfo.Uses[id].(*types.PkgName)
	if !ok || pkg.Imported().Path() != "time" {
		return false
	}
	sleep := pkg.Imported().Scope().Lookup("Sleep")
	if x.pass.TypesInfo.Uses[sel.Sel] != sleep || !x.sameSleep(sleep) {
		return false
	}
	for _, file := range x.pass.Files {
		if file.FileStart <= id.Pos() && id.Pos() <= file.FileEnd {
			return x.usedBesidesSleep(file, pkg, sleep)
		}
	}
	return false
}

// usedBesidesSleep reports whether file uses pkg other than as the
// qualifier of sleep.
func (x *Fixer) usedBesidesSleep(file *ast.File, pkg *types.PkgName, sleep types.Object) bool {
	qualifiers := make(map[*ast.Ident]bool) // the X of each pkg.Sleep
	used := false
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok && x.pass.TypesInfo.Uses[n.Sel] == sleep {
				qualifiers[id] = true // visited before its X
			}
		case *ast.Ident:
			used = used || (x.pass.TypesInfo.Uses[n] == pkg && !qualifiers[n])
		}
		return !used
	})
	return used
}

// source returns the text of node as written, or its rendering if the
// file cannot be read.
func (x *Fixer) source(node ast.Node) string {
	if tf := x.pass.Fset.File(node.Pos()); tf != nil {
		if src, err := x.pass.ReadFile(tf.Name()); err == nil {
			start, end := tf.Offset(node.Pos()), tf.Offset(node.End())
			if 0 <= start && start <= end && end <= len(src) {
				return string(src[start:end])
			}
		}
	}
	return report.Render(x.pass.Fset, node)
}
