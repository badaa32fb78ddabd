package asyncapi

import (
	"go/types"
)

// RuntimePath is the import path of the runtime package.
const RuntimePath = "github.com/asynclint/asynclint/runtime"

// API is the runtime API as seen from one package under analysis. A nil *API
// means the package cannot reach the runtime; every method is safe to call on
// nil and then reports that nothing is a future, a task or a runtime call.
type API struct {
	pkg *types.Package // the runtime package

	future     *types.Named // runtime.Future (generic interface)
	poll       *types.Named // runtime.Poll (generic struct)
	cx         *types.Named // runtime.Cx
	task       *types.Named // runtime.Task
	joinHandle *types.Named // runtime.JoinHandle (generic)
	noSend     *types.Named // runtime.NoSend

	funcs map[*types.Func]*Entry // origin object -> table entry
}

// For returns the runtime API reachable from pkg through its imports, or nil
// when pkg neither is nor (transitively) imports the runtime.
func For(pkg *types.Package) *API {
	rt := findRuntime(pkg)
	if rt == nil {
		return nil
	}
	named := func(name string) *types.Named {
		tn, _ := rt.Scope().Lookup(name).(*types.TypeName)
		if tn == nil {
			return nil
		}
		n, _ := tn.Type().(*types.Named)
		return n
	}
	a := &API{
		pkg:        rt,
		future:     named("Future"),
		poll:       named("Poll"),
		cx:         named("Cx"),
		task:       named("Task"),
		joinHandle: named("JoinHandle"),
		noSend:     named("NoSend"),
	}
	if a.future == nil || a.poll == nil || a.cx == nil || a.task == nil {
		return nil // not the runtime this tool knows (a stub or an old version)
	}
	a.funcs = buildTable(a)
	return a
}

// findRuntime returns the runtime package if pkg is it or imports it,
// directly or transitively.
func findRuntime(pkg *types.Package) *types.Package {
	return FindImport(pkg, RuntimePath)
}

// FindImport returns the package with import path path if pkg is it or
// imports it, directly or transitively, and nil otherwise.
func FindImport(pkg *types.Package, path string) *types.Package {
	if pkg == nil {
		return nil
	}
	seen := make(map[*types.Package]bool)
	var walk func(p *types.Package) *types.Package
	walk = func(p *types.Package) *types.Package {
		if seen[p] {
			return nil
		}
		seen[p] = true
		if p.Path() == path {
			return p
		}
		for _, imp := range p.Imports() {
			if r := walk(imp); r != nil {
				return r
			}
		}
		return nil
	}
	return walk(pkg)
}

// Package returns the runtime package.
func (a *API) Package() *types.Package {
	if a == nil {
		return nil
	}
	return a.pkg
}

// IsTask reports whether t is *runtime.Task.
func (a *API) IsTask(t types.Type) bool {
	return a != nil && isPtrTo(t, a.task)
}

// IsCx reports whether t is *runtime.Cx.
func (a *API) IsCx(t types.Type) bool {
	return a != nil && isPtrTo(t, a.cx)
}

// IsNoSend reports whether t is runtime.NoSend itself.
func (a *API) IsNoSend(t types.Type) bool {
	if a == nil || a.noSend == nil {
		return false
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj() == a.noSend.Obj()
}

// IsJoinHandle reports whether t is *runtime.JoinHandle[T] for some T.
func (a *API) IsJoinHandle(t types.Type) bool {
	if a == nil || a.joinHandle == nil {
		return false
	}
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && isInstanceOf(p.Elem(), a.joinHandle)
}

// IsFuture reports whether values of type t are futures: t's method set has
// Poll(*runtime.Cx) runtime.Poll[T] for some T. Interfaces (Future[T] itself
// and user interfaces embedding it), type parameters whose constraint has that
// method, *JoinHandle[T], PollFunc[T] and user types all qualify. Pointer
// receivers count only for pointer types, as in Go's method sets.
func (a *API) IsFuture(t types.Type) bool {
	_, ok := a.FutureResult(t)
	return ok
}

// FutureResult returns the T of a future type t (see IsFuture).
func (a *API) FutureResult(t types.Type) (types.Type, bool) {
	if a == nil || t == nil {
		return nil, false
	}
	sig := a.pollMethod(t)
	if sig == nil {
		return nil, false
	}
	return a.pollSignatureResult(sig)
}

// IsPollSignature reports whether sig is func(*runtime.Cx) runtime.Poll[T]
// (receiver ignored): the shape of Future.Poll and of a PollFunc.
func (a *API) IsPollSignature(sig *types.Signature) bool {
	_, ok := a.pollSignatureResult(sig)
	return ok
}

func (a *API) pollSignatureResult(sig *types.Signature) (types.Type, bool) {
	if a == nil || sig == nil || sig.Params().Len() != 1 || sig.Results().Len() != 1 {
		return nil, false
	}
	if !a.IsCx(sig.Params().At(0).Type()) {
		return nil, false
	}
	res, ok := types.Unalias(sig.Results().At(0).Type()).(*types.Named)
	if !ok || !isInstanceOf(res, a.poll) || res.TypeArgs().Len() != 1 {
		return nil, false
	}
	return res.TypeArgs().At(0), true
}

// pollMethod returns the signature of t's Poll method, if t has one in its
// method set.
func (a *API) pollMethod(t types.Type) *types.Signature {
	t = types.Unalias(t)
	if tp, ok := t.(*types.TypeParam); ok {
		iface, _ := tp.Constraint().Underlying().(*types.Interface)
		if iface == nil {
			return nil
		}
		for i := 0; i < iface.NumMethods(); i++ {
			if m := iface.Method(i); m.Name() == "Poll" {
				return m.Signature()
			}
		}
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(t, false, a.pkg, "Poll")
	fn, ok := obj.(*types.Func)
	if !ok {
		return nil
	}
	return fn.Signature()
}

func isPtrTo(t types.Type, n *types.Named) bool {
	if n == nil || t == nil {
		return false
	}
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	e, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && e.Obj() == n.Obj()
}

// isInstanceOf reports whether t is generic type n or an instance of it.
func isInstanceOf(t types.Type, n *types.Named) bool {
	if n == nil || t == nil {
		return false
	}
	tn, ok := types.Unalias(t).(*types.Named)
	return ok && tn.Origin().Obj() == n.Obj()
}
