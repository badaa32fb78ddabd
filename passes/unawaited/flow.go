package unawaited

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
)

// uses is where one future goes inside one function: the instructions that
// consume it, and the calls that hand it to a parameter their callee drops.
type uses struct {
	consumers map[ssa.Instruction]bool

	// anywhere reports that a closure capturing the variable that holds the
	// future consumes it: the closure may run at any point (typically
	// deferred), so the future counts as consumed on every path.
	anywhere bool

	// boxed reports that the future was put in a variable whose address is
	// taken, an array or a slice: a box that outlives the SSA value, so a
	// new future made by the same instruction does not replace it.
	boxed bool

	dropped []drop // calls whose callee ignores the parameter it was passed to

	held map[ssa.Value]bool // the values that hold the future, root included
}

// drop is a call that passes the future to a parameter its callee ignores.
type drop struct {
	call   ssa.CallInstruction
	callee string      // the callee's name, for the message when no AST is found
	method *types.Func // the method, when the future is in its receiver
}

func (u *uses) consumed() bool { return u.anywhere || len(u.consumers) > 0 }

// track follows root, a future or a value holding futures, through the
// function that defines it and collects its uses.
//
// Followed shapes: phi nodes, conversions (ChangeType, MakeInterface,
// ChangeInterface, Convert, TypeAssert), loads and stores through local
// variables whose address is taken, slices and arrays built by composite
// literals or append, and indexing into them. Anything the pass does not
// understand counts as a consumer: a false "never awaited" is worse than a
// missed one.
func (c *checker) track(root ssa.Value) *uses {
	u := &uses{consumers: make(map[ssa.Instruction]bool), held: make(map[ssa.Value]bool)}
	var work []ssa.Value
	push := func(v ssa.Value) {
		if v != nil && !u.held[v] {
			u.held[v] = true
			work = append(work, v)
		}
	}
	push(root)
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, instr := range *refs {
			c.use(u, v, instr, push)
		}
	}
	return u
}

// use classifies one use of v (a value holding the future) by instr.
func (c *checker) use(u *uses, v ssa.Value, instr ssa.Instruction, push func(ssa.Value)) {
	consume := func() { u.consumers[instr] = true }
	switch instr := instr.(type) {
	case *ssa.Phi, *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface,
		*ssa.Convert, *ssa.TypeAssert:
		push(instr.(ssa.Value))
	case *ssa.Slice, *ssa.IndexAddr, *ssa.FieldAddr, *ssa.Index, *ssa.Field:
		u.boxed = true
		push(instr.(ssa.Value))
	case *ssa.Extract:
		// Only the value of a comma-ok type assertion: other tuples come
		// from calls, whose results are new values.
		if _, ok := instr.Tuple.(*ssa.TypeAssert); ok && instr.Index == 0 {
			push(instr)
		}
	case *ssa.UnOp:
		switch instr.Op {
		case token.MUL: // a load from a variable or element holding it
			push(instr)
		case token.ARROW:
			consume()
		}
	case *ssa.Store:
		if instr.Val != v {
			return // a store into the holder, not of it
		}
		if root := localRoot(instr.Addr); root != nil {
			u.boxed = true
			push(root) // a local variable or array: follow its loads
			return
		}
		consume() // a field, global, slice element or captured variable: the heap
	case *ssa.Call:
		c.callUse(u, v, instr, push)
	case *ssa.Go:
		c.callUse(u, v, instr, push)
	case *ssa.Defer:
		c.callUse(u, v, instr, push)
	case *ssa.MakeClosure:
		for i, b := range instr.Bindings {
			if b != v {
				continue
			}
			fn, _ := instr.Fn.(*ssa.Function)
			if fn != nil && !c.consumesInput(fn, len(fn.Params)+i) {
				continue
			}
			consume()
			if _, byRef := v.(*ssa.Alloc); byRef {
				u.anywhere = true
			}
		}
	case *ssa.BinOp, *ssa.If, *ssa.Panic, *ssa.DebugRef, *ssa.Jump, *ssa.RunDefers:
		// Comparisons (f != nil) do not consume, and a panic ends the path.
	default:
		// Return, Send, MapUpdate, Select and anything new: the future
		// leaves the function or goes to the heap.
		consume()
	}
}

// localRoot returns the local variable (an Alloc) that addr points into,
// through field and array-element addresses, or nil when addr may point
// into the heap.
func localRoot(addr ssa.Value) *ssa.Alloc {
	for {
		switch a := addr.(type) {
		case *ssa.Alloc:
			return a
		case *ssa.FieldAddr:
			addr = a.X
		case *ssa.IndexAddr:
			// Only arrays held in a local: a slice's backing array may be
			// shared with the caller.
			if _, isArray := derefType(a.X.Type()).Underlying().(*types.Array); !isArray {
				return nil
			}
			addr = a.X
		default:
			return nil
		}
	}
}

func derefType(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// callUse classifies passing v to a call, go or defer.
func (c *checker) callUse(u *uses, v ssa.Value, call ssa.CallInstruction, push func(ssa.Value)) {
	common := call.Common()
	consume := func() { u.consumers[call] = true }
	if common.Value == v || common.IsInvoke() {
		// Calling a PollFunc polls it; a method of an interface value
		// (Poll or an unknown one) counts as consuming.
		consume()
		return
	}
	if b, ok := common.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "append":
			if res, ok := call.(*ssa.Call); ok {
				u.boxed = true
				push(res) // the result holds the future
				return
			}
			consume()
		case "len", "cap":
		default:
			consume() // copy, print...: not worth following
		}
		return
	}
	sig := common.Signature()
	recv := 0
	if sig.Recv() != nil {
		recv = 1
	}
	for i, arg := range common.Args {
		if arg != v {
			continue
		}
		if c.callConsumes(common, sig, i, recv) {
			consume()
		} else {
			d := drop{call: call, callee: calleeName(common)}
			if i < recv {
				d.method = asyncapi.Callee(common)
			}
			u.dropped = append(u.dropped, d)
		}
	}
}

// callConsumes reports whether the static or dynamic call consumes its
// argument i (receiver included when recv is 1). Unknown callees consume.
func (c *checker) callConsumes(common *ssa.CallCommon, sig *types.Signature, i, recv int) bool {
	param := i - recv
	if e := c.api.CallEntry(common); e != nil {
		if param < 0 {
			// A method of a runtime type on the future itself: only Poll
			// runs it (JoinHandle.Abort and friends do not).
			return asyncapi.Callee(common).Name() == "Poll"
		}
		if len(e.Consumes) == 0 && !e.Variadic {
			return true // a runtime function the table says nothing about
		}
		return e.ConsumesArg(param, sig.Params().Len())
	}
	fn := asyncapi.StaticFunction(common)
	if fn == nil {
		return true // a function value: unknown
	}
	if param < 0 {
		if callee := asyncapi.Callee(common); callee != nil && callee.Name() == "Poll" && c.api.IsPollSignature(callee.Signature()) {
			return true // a direct Poll
		}
	}
	if origin := fn.Origin(); origin != nil {
		fn = origin
	}
	if sum, ok := c.summary[fn]; ok {
		return i < len(sum) && sum[i]
	}
	obj := asyncapi.Callee(common)
	if obj == nil || obj.Pkg() == c.pass.Pkg || param < 0 {
		return true // a wrapper, or a receiver: facts do not cover them
	}
	var fact consumesParams
	if !c.pass.ImportObjectFact(obj, &fact) {
		return true // no fact: std, or a package the pass could not see
	}
	return fact.consumes(param)
}

// consumesInput reports whether fn consumes its input i (parameters, then
// free variables) according to the current summaries. Functions without a
// summary (none should be missing) count as consuming.
func (c *checker) consumesInput(fn *ssa.Function, i int) bool {
	if fn == nil {
		return true
	}
	if origin := fn.Origin(); origin != nil {
		fn = origin
	}
	sum, ok := c.summary[fn]
	if !ok || i >= len(sum) {
		return true
	}
	return sum[i]
}

// calleeName names a static callee for messages when no call expression is
// found in the syntax.
func calleeName(common *ssa.CallCommon) string {
	if obj := asyncapi.Callee(common); obj != nil {
		return obj.Name()
	}
	return "the callee"
}

// summarize computes c.summary: for each function, which inputs it consumes
// on some path. It starts from "consumes nothing" and iterates in source
// order until nothing changes, so recursion that only passes a future around
// without consuming it is a drop, and the result does not depend on map
// order.
func (c *checker) summarize(funcs []*ssa.Function) {
	c.summary = make(map[*ssa.Function][]bool, len(funcs))
	for _, fn := range funcs {
		c.summary[fn] = make([]bool, len(fn.Params)+len(fn.FreeVars))
	}
	for changed := true; changed; {
		changed = false
		for _, fn := range funcs {
			sum := c.summary[fn]
			for i := range sum {
				if sum[i] {
					continue
				}
				in := input(fn, i)
				if !c.holdsFutures(in.Type()) {
					sum[i] = true // not a future: nothing to drop
					continue
				}
				if c.track(in).consumed() {
					sum[i] = true
					changed = true
				}
			}
		}
	}
}

// input returns fn's parameter i, or free variable i-len(fn.Params).
func input(fn *ssa.Function, i int) ssa.Value {
	if i < len(fn.Params) {
		return fn.Params[i]
	}
	return fn.FreeVars[i-len(fn.Params)]
}
