package asyncapi

import (
	"golang.org/x/tools/go/ssa"
)

// Context says what kind of code a function is, as far as the worker that
// runs it is concerned.
type Context uint8

const (
	NoContext   Context = iota // plain code: main, goroutines, the blocking pool
	TaskContext                // an async body or a function taking *Task: runs on a worker, may suspend
	PollContext                // a Poll method or PollFunc literal: runs on a worker, must never block
)

func (c Context) String() string {
	switch c {
	case TaskContext:
		return "task"
	case PollContext:
		return "poll"
	}
	return "none"
}

// OwnContext returns the context fn has by its own signature, ignoring its
// callers:
//
//   - a function or method with a *runtime.Task parameter (this covers the
//     literal passed to Async) is TaskContext;
//   - a method Poll(*runtime.Cx) runtime.Poll[T] of a future type, and any
//     function of that signature (a PollFunc literal), is PollContext.
func (a *API) OwnContext(fn *ssa.Function) Context {
	if a == nil || fn == nil || fn.Signature == nil {
		return NoContext
	}
	sig := fn.Signature
	if a.hasTaskParam(sig) {
		return TaskContext
	}
	if a.IsPollSignature(sig) {
		return PollContext
	}
	return NoContext
}

// Contexts returns the context of each function in funcs (normally
// buildssa's SrcFuncs, which lists closures after their parents). A closure
// without a context of its own inherits its parent's context when it runs
// only synchronously (see SynchronousClosure), and so does the body of a
// range-over-func loop. Closures handed to `go`, to SpawnBlocking or to any
// function outside the callback table, or stored, get no inherited context:
// they may run elsewhere, and a chain through them is not a task blocking
// itself.
func (a *API) Contexts(funcs []*ssa.Function) map[*ssa.Function]Context {
	ctx := make(map[*ssa.Function]Context, len(funcs))
	if a == nil {
		return ctx
	}
	var of func(fn *ssa.Function) Context
	visiting := make(map[*ssa.Function]bool)
	of = func(fn *ssa.Function) Context {
		if c, ok := ctx[fn]; ok {
			return c
		}
		c := a.OwnContext(fn)
		if c == NoContext && fn.Parent() != nil && !visiting[fn] {
			visiting[fn] = true
			if SynchronousClosure(fn) || IsRangeBody(fn) {
				c = of(fn.Parent())
			}
			visiting[fn] = false
		}
		ctx[fn] = c
		return c
	}
	for _, fn := range funcs {
		of(fn)
	}
	return ctx
}

// IsRangeBody reports whether fn is the body of a range-over-func loop
// (for x := range seq { ... }), which SSA builds as a closure passed to seq:
// it runs inside that call, on its parent's goroutine, like any loop body.
func IsRangeBody(fn *ssa.Function) bool {
	return fn.Synthetic == "range-over-func yield"
}

// SynchronousClosure reports whether anonymous function fn runs only on
// its parent's goroutine, before the parent returns: every use of it is a
// direct call or defer of it, or passes it to a standard-library function
// that calls it back synchronously (CallsBackSynchronously), possibly after
// converting it to a named function type.
//
// Matched shapes: func(){...}(), f := func(){...}; f(), defer func(){...}(),
// once.Do(func(){...}), sort.Slice(xs, func(i, j int) bool {...}),
// filepath.WalkDir(root, func(...) error {...}).
func SynchronousClosure(fn *ssa.Function) bool {
	if fn.Parent() == nil {
		return false
	}
	var v ssa.Value = fn
	var uses []ssa.Instruction
	if len(fn.FreeVars) == 0 {
		// A closure without free variables is used as the *ssa.Function
		// value itself; its referrers are not tracked, so scan the parent.
		uses = functionUses(fn)
	} else {
		mc := findMakeClosure(fn)
		if mc == nil || mc.Referrers() == nil {
			return false
		}
		v, uses = mc, *mc.Referrers()
	}
	for _, u := range uses {
		if !callsValue(u, v) && !callsBack(u, v) {
			return false
		}
	}
	return len(uses) > 0
}

// callsValue reports whether instruction u uses v only as the callee of a
// call or defer.
func callsValue(u ssa.Instruction, v ssa.Value) bool {
	if _, ok := u.(*ssa.DebugRef); ok {
		return true
	}
	common := syncCall(u)
	if common == nil || common.Value != v {
		return false
	}
	for _, arg := range common.Args {
		if arg == v {
			return false
		}
	}
	return true
}

// callsBack reports whether instruction u passes function value v, only as
// an argument, to a call or defer of a function that calls it back
// synchronously. A `go` statement is not matched: the callee itself runs
// elsewhere. A conversion to a named function type (filepath.WalkFunc)
// qualifies when each of its own uses does.
func callsBack(u ssa.Instruction, v ssa.Value) bool {
	if ct, ok := u.(*ssa.ChangeType); ok {
		refs := ct.Referrers()
		if ct.X != v || refs == nil || len(*refs) == 0 {
			return false
		}
		for _, r := range *refs {
			if _, ok := r.(*ssa.DebugRef); !ok && !callsBack(r, ct) {
				return false
			}
		}
		return true
	}
	common := syncCall(u)
	if common == nil || common.Value == v || !CallsBackSynchronously(Callee(common)) {
		return false
	}
	for _, arg := range common.Args {
		if arg == v {
			return true
		}
	}
	return false
}

// syncCall returns the call of a call or defer instruction, which runs
// before the function returns, and nil for anything else (a go statement
// included).
func syncCall(u ssa.Instruction) *ssa.CallCommon {
	switch u := u.(type) {
	case *ssa.Call:
		return u.Common()
	case *ssa.Defer:
		return u.Common()
	}
	return nil
}

func findMakeClosure(fn *ssa.Function) *ssa.MakeClosure {
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				return mc
			}
		}
	}
	return nil
}

// functionUses returns the instructions of fn's parent that use fn as an
// operand.
func functionUses(fn *ssa.Function) []ssa.Instruction {
	var uses []ssa.Instruction
	var ops []*ssa.Value
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			ops = instr.Operands(ops[:0])
			for _, op := range ops {
				if op != nil && *op == ssa.Value(fn) {
					uses = append(uses, instr)
					break
				}
			}
		}
	}
	return uses
}

// TaskParam returns fn's *Task parameter or free variable, if any: the
// task a fix can use to insert runtime.Await(t, ...). SSA captures variables
// by reference, so a captured task is a free variable of type **Task.
func (a *API) TaskParam(fn *ssa.Function) (name string, ok bool) {
	if a == nil || fn == nil {
		return "", false
	}
	for _, p := range fn.Params {
		if a.IsTask(p.Type()) {
			return p.Name(), true
		}
	}
	for _, fv := range fn.FreeVars {
		if a.IsTask(fv.Type()) || a.IsTask(derefVar(fv.Type())) {
			return fv.Name(), true
		}
	}
	return "", false
}
