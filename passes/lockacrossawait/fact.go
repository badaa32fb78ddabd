package lockacrossawait

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
)

// maySuspend is the fact of a function that takes a *runtime.Task and may
// reach an await point: a call to it is an await point for its caller. A
// function that takes the task only to spawn has no fact, so a call to it
// inside a critical section is fine.
type maySuspend struct{}

func (*maySuspend) AFact() {}

func (*maySuspend) String() string { return "maySuspend" }

// computeFacts decides, for every function of the package that takes a
// *Task, whether it may suspend, and exports the fact for those that may.
//
// It is a least fixed point over the package's functions in source order:
// each round marks the functions that reach an await point directly, through
// a synchronously called closure, through a dynamic call receiving the task
// (conservatively), or through a function already marked here or in a
// dependency. Recursion without an await therefore never suspends, and the
// result does not depend on map order. A function without a body (written
// in assembly, or pulled in by go:linkname) may do anything with the task,
// so it may suspend, as a dynamic call receiving the task may.
func (a *analyzer) computeFacts(funcs []*ssa.Function) {
	var cands []*ssa.Function
	for _, fn := range funcs {
		if fn.Parent() == nil && a.funcObj(fn) != nil && a.takesTask(fn) {
			cands = append(cands, fn)
			if fn.Blocks == nil {
				a.local[a.funcObj(fn)] = true
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, fn := range cands {
			obj := a.funcObj(fn)
			if !a.local[obj] && a.bodySuspends(fn, make(map[*ssa.Function]bool)) {
				a.local[obj] = true
				changed = true
			}
		}
	}
	for _, fn := range cands {
		if obj := a.funcObj(fn); a.local[obj] {
			a.pass.ExportObjectFact(obj, new(maySuspend))
		}
	}
}

// bodySuspends reports whether fn, or a closure it calls synchronously
// (range-over-func loop bodies included), may suspend its task. Bodies of go statements run elsewhere and do not count.
func (a *analyzer) bodySuspends(fn *ssa.Function, visiting map[*ssa.Function]bool) bool {
	if visiting[fn] {
		return false
	}
	visiting[fn] = true
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if _, isGo := instr.(*ssa.Go); isGo {
				continue
			}
			switch s, callee := a.api.Suspension(call.Common()); s {
			case asyncapi.Suspends, asyncapi.MaySuspend:
				return true
			case asyncapi.AskFact:
				if a.calleeSuspends(callee) {
					return true
				}
			case asyncapi.Inline:
				if a.bodySuspends(callee, visiting) {
					return true
				}
			}
			// The body of a range-over-func loop, or a synchronous
			// callback, runs inside the call, on this task.
			for _, arg := range call.Common().Args {
				if body, _ := innerBody(call.Common(), arg); body != nil && a.bodySuspends(body, visiting) {
					return true
				}
			}
		}
	}
	return false
}

// calleeSuspends reports whether a call to the named function callee is an
// await point: by this package's fixed point, or by the fact its own package
// exported. Every dependency is analyzed before its importers, so a missing
// fact means the callee was analyzed and cannot suspend.
func (a *analyzer) calleeSuspends(callee *ssa.Function) bool {
	obj := a.funcObj(callee)
	if obj == nil {
		return true // no object to ask: treat it like a dynamic call
	}
	if obj.Pkg() == a.pass.Pkg {
		return a.local[obj]
	}
	return a.pass.ImportObjectFact(obj, new(maySuspend))
}

// funcObj returns the generic origin of fn's declared object, or nil for
// closures and synthetic wrappers without one.
func (a *analyzer) funcObj(fn *ssa.Function) *types.Func {
	obj, _ := fn.Object().(*types.Func)
	if obj == nil {
		return nil
	}
	return obj.Origin()
}

// takesTask reports whether fn has a *Task parameter (its receiver included).
func (a *analyzer) takesTask(fn *ssa.Function) bool {
	for _, p := range fn.Params {
		if a.api.IsTask(p.Type()) {
			return true
		}
	}
	return false
}
