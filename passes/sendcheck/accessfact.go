package sendcheck

import (
	"cmp"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// paramAccesses is the fact of a function that touches the memory its
// parameters point to without holding a lock: a method that increments a
// field of its receiver, a helper that writes a map it is given. A call of
// it counts as those accesses at the call site, so that s.record() in a task
// conflicts with s.count++ in the spawner.
type paramAccesses struct {
	Accesses []paramAccess // sorted by Param, Path, Write; unique
}

// paramAccess is one access: the parameter (receiver first, as in an SSA
// static call), the part of what it points to ("" the whole, ".f1;" field
// 1, "*" what a pointer field holds...), and whether it writes.
type paramAccess struct {
	Param int
	Path  string
	Write bool
}

func (*paramAccesses) AFact() {}

func (f *paramAccesses) String() string {
	s := make([]string, len(f.Accesses))
	for i, a := range f.Accesses {
		rw := "r"
		if a.Write {
			rw = "w"
		}
		s[i] = strconv.Itoa(a.Param) + readablePath(a.Path) + ":" + rw
	}
	return "paramAccesses(" + strings.Join(s, " ") + ")"
}

// readablePath spells an access path for fact strings: ".f1;" as ".f1".
func readablePath(p string) string {
	return strings.ReplaceAll(p, ";", "")
}

// Bounds that keep facts small and the fixed point finite on recursive
// data structures.
const (
	maxFactAccesses = 16
	maxPathLen      = 32
)

func comparePA(a, b paramAccess) int {
	return cmp.Or(cmp.Compare(a.Param, b.Param), cmp.Compare(a.Path, b.Path), compareBool(a.Write, b.Write))
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// computeAccessFacts builds paramAccesses for the package's named functions
// by iterating in source order to a fixed point, and exports the non-empty
// ones.
func (c *checker) computeAccessFacts(funcs []*ssa.Function) {
	if c.pass.Pkg == c.api.Package() {
		return // the runtime synchronizes its own state
	}
	var named []*ssa.Function
	for _, fn := range funcs {
		if _, ok := fn.Object().(*types.Func); ok && fn.Parent() == nil && len(fn.Params) > 0 {
			named = append(named, fn)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, fn := range named {
			got := c.paramAccessesOf(fn)
			obj := fn.Object().(*types.Func)
			if !slices.Equal(got, c.facts.access[obj]) {
				c.facts.access[obj] = got
				changed = true
			}
		}
	}
	for _, fn := range named {
		obj := fn.Object().(*types.Func)
		if as := c.facts.access[obj]; len(as) > 0 {
			c.pass.ExportObjectFact(obj, &paramAccesses{Accesses: as})
		}
	}
}

// paramAccessesOf returns fn's unguarded accesses through its parameters.
func (c *checker) paramAccessesOf(fn *ssa.Function) []paramAccess {
	var out []paramAccess
	for i, p := range fn.Params {
		if !c.sharesMemory(p) {
			continue
		}
		w := &walker{c: c, enter: c.enterCalled}
		w.walk(p, "", nil, 0)
		for _, a := range w.out {
			if len(a.path) > maxPathLen || len(c.locksHeld(a.at)) > 0 {
				continue
			}
			out = append(out, paramAccess{Param: i, Path: a.path, Write: a.kind.writes()})
		}
	}
	slices.SortFunc(out, comparePA)
	out = slices.Compact(out)
	if len(out) > maxFactAccesses {
		out = out[:maxFactAccesses]
	}
	return out
}

// enterCalled walks a closure that receives a parameter as part of the
// function that makes it only if the closure runs before the function
// returns: it is called directly or handed to a helper that calls it then
// (see heldWhileCalled), as in s.each(func() { s.tot++ }). A closure that is
// deferred, run with go, stored, returned (a future's body included) or
// passed to a function not known to call it may run after the call, or not
// at all: its accesses are not the call's. The locks held around its calls
// count as held at its accesses (see locksHeld).
func (c *checker) enterCalled(w *walker, mc *ssa.MakeClosure, fv *ssa.FreeVar, path string, cell bool) {
	if _, ok := c.heldWhileCalled(mc); !ok {
		return
	}
	if cell {
		w.walkCell(fv, path, nil, 0)
	} else {
		w.walk(fv, path, nil, 0)
	}
}

// sharesMemory reports whether a parameter can reach memory its caller
// also sees: a pointer, a map or an interface. The runtime's own types (the
// task, the Cx, the sync types) are left out: they are made for sharing, and
// their internals are not the user's to race on.
func (c *checker) sharesMemory(p *ssa.Parameter) bool {
	if n, ok := types.Unalias(deref(p.Type())).(*types.Named); ok && n.Obj().Pkg() == c.api.Package() {
		return false
	}
	switch p.Type().Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Interface:
		return true
	}
	return false
}

// accessesOf returns the paramAccesses of callee (a generic origin), from
// this package's facts or an imported fact.
func (fc *factComputer) accessesOf(callee *types.Func) []paramAccess {
	return factFor(fc, fc.access, callee, func(f *paramAccesses) []paramAccess { return f.Accesses })
}
