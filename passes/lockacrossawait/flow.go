package lockacrossawait

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
)

// frame is one function being analyzed: a root, or a closure inlined at a
// synchronous call, whose parameters and free variables then stand for the
// caller's access paths.
type frame struct {
	fn     *ssa.Function
	env    map[ssa.Value]string     // inlined closure's params and free vars -> caller's path
	ienv   map[ssa.Value]string     // the same, as the caller's index (see index)
	iload  map[*ssa.FreeVar]string  // inlined closure's by-reference free vars -> caller's index of a load, or ""
	tries  map[ssa.Value]pendingTry // TryLock results not yet tested
	parent *frame
	depth  int
}

// pendingTry is a TryLock whose result decides whether the lock is held.
type pendingTry struct {
	key  string
	site int
}

// maxInline bounds the nesting of inlined closures.
const maxInline = 8

// flow runs the lockset dataflow over fr.fn from entry and returns the
// lockset on return, after the function's deferred releases (nil if it
// never returns). Each block's entry state is cached, and a block is
// revisited only when that state grows.
func (a *analyzer) flow(fr *frame, entry *lockset) *lockset {
	fn := fr.fn
	fr.tries = make(map[ssa.Value]pendingTry)
	var defers []*ssa.Defer
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if d, ok := instr.(*ssa.Defer); ok {
				defers = append(defers, d)
			}
		}
	}

	in := make([]*lockset, len(fn.Blocks))
	in[0] = entry.fork()
	queued := make([]bool, len(fn.Blocks))
	queued[0] = true
	var exit *lockset
	for {
		i := -1
		for j, q := range queued {
			if q {
				i = j
				break
			}
		}
		if i < 0 {
			break
		}
		queued[i] = false
		b := fn.Blocks[i]
		st := in[i].fork()
		for _, instr := range b.Instrs {
			if st == nil {
				break
			}
			st = a.redefine(instr, st)
			switch instr := instr.(type) {
			case *ssa.Call:
				st = a.call(fr, instr, instr.Common(), st)
			case *ssa.Return:
				st = a.runDefers(fr, defers, st)
				exit = exit.merge(st)
			}
		}
		if st == nil {
			continue
		}
		outs := a.branch(fr, b, st)
		for k, succ := range b.Succs {
			merged := in[succ.Index].merge(outs[k])
			if in[succ.Index] == nil || !merged.equal(in[succ.Index]) {
				in[succ.Index] = merged
				queued[succ.Index] = true
			}
		}
	}
	return exit
}

// redefine makes stale, before instr runs, the held locks whose key names
// the previous value of what instr computes or stores to (see index).
func (a *analyzer) redefine(instr ssa.Instruction, st *lockset) *lockset {
	if len(st.locks) == 0 {
		return st
	}
	if v, ok := instr.(ssa.Value); ok {
		if tok, named := a.tokens[v]; named {
			st = stale(st, tok)
		}
	}
	if store, ok := instr.(*ssa.Store); ok {
		if tok, named := a.tokens[store.Addr]; named {
			st = stale(st, "*"+tok)
		}
	}
	return st
}

// branch returns the state on each successor edge of b: the same state
// everywhere, except that the true edge of an If on a TryLock result holds
// the lock.
func (a *analyzer) branch(fr *frame, b *ssa.BasicBlock, st *lockset) []*lockset {
	outs := make([]*lockset, len(b.Succs))
	for k := range outs {
		outs[k] = st
	}
	if len(b.Instrs) == 0 {
		return outs
	}
	ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok || len(b.Succs) != 2 {
		return outs
	}
	cond, taken := ifInstr.Cond, 0
	if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
		cond, taken = u.X, 1
	}
	if try, ok := fr.tries[cond]; ok {
		held := st.fork()
		held.add(try.key, try.site)
		outs[taken] = held
	}
	return outs
}

// runDefers applies, at a return, the calls that fr.fn defers, last
// deferred first: releases, awaits (a deferred closure that awaits runs
// while the locks released by earlier defers are still held) and
// synchronous closures. Conditional defers are assumed to have run: a
// deferred unlock is almost always paired with its lock.
func (a *analyzer) runDefers(fr *frame, defers []*ssa.Defer, st *lockset) *lockset {
	for i := len(defers) - 1; i >= 0 && st != nil; i-- {
		common := defers[i].Common()
		if op := a.opOf(common); op != nil {
			if op.kind == release {
				key := a.lockKey(fr, op, common, nil)
				a.noteRelease(st, key)
				st = st.fork()
				st.remove(key)
			}
			continue
		}
		if e := a.effectOf(common); e != nil {
			st = a.applyReleases(fr, common, e, st)
		}
		st = a.suspension(fr, defers[i], st)
	}
	return st
}

// call applies one call to the lockset and returns the state after it (nil
// when the call never returns).
func (a *analyzer) call(fr *frame, instr *ssa.Call, common *ssa.CallCommon, st *lockset) *lockset {
	op := a.opOf(common)
	if op == nil {
		e := a.effectOf(common)
		if e == nil {
			return a.suspension(fr, instr, st)
		}
		st = a.applyReleases(fr, common, e, st)
		if st = a.suspension(fr, instr, st); st == nil {
			return nil
		}
		return a.applyAcquires(fr, instr, e, st)
	}
	key := a.lockKey(fr, op, common, instr)
	switch op.kind {
	case acquire:
		st = st.fork()
		st.add(key, a.siteOf(instr, op))
	case release:
		a.noteRelease(st, key)
		st = st.fork()
		st.remove(key)
	case tryAcquire:
		fr.tries[instr] = pendingTry{key: key, site: a.siteOf(instr, op)}
	}
	return st
}

// suspension applies a call that is not a lock operation: an await point
// records the locks held across it, and a closure called on the spot is
// analyzed from the caller's state.
func (a *analyzer) suspension(fr *frame, call ssa.CallInstruction, st *lockset) *lockset {
	common := call.Common()
	switch s, callee := a.api.Suspension(common); s {
	case asyncapi.Suspends, asyncapi.MaySuspend:
		a.await(st, call)
	case asyncapi.AskFact:
		if a.calleeSuspends(callee) {
			a.await(st, call)
		}
	case asyncapi.Inline:
		return a.inline(fr, common, callee, st)
	case asyncapi.NoSuspend:
		// A closure that cannot suspend may still lock or unlock.
		if callee := asyncapi.StaticFunction(common); callee != nil && callee.Parent() != nil {
			return a.inline(fr, common, callee, st)
		}
	}
	return a.rangeBodies(fr, common, st)
}

// inline analyzes a synchronously called closure from the caller's state and
// returns the state after it, so that a closure that unlocks (directly or by
// its own defer) releases the caller's lock.
func (a *analyzer) inline(fr *frame, common *ssa.CallCommon, callee *ssa.Function, st *lockset) *lockset {
	mc, _ := common.Value.(*ssa.MakeClosure)
	return a.inlineWith(fr, callee, common.Args, mc, st)
}

// inlineWith analyzes closure callee called with args, its free variables
// bound by mc (nil for a closure without free variables).
func (a *analyzer) inlineWith(fr *frame, callee *ssa.Function, args []ssa.Value, mc *ssa.MakeClosure, st *lockset) *lockset {
	if callee.Blocks == nil || fr.depth >= maxInline {
		return st
	}
	for p := fr; p != nil; p = p.parent {
		if p.fn == callee {
			return st // recursion through a closure variable
		}
	}
	inner := &frame{
		fn:     callee,
		env:    make(map[ssa.Value]string),
		ienv:   make(map[ssa.Value]string),
		iload:  make(map[*ssa.FreeVar]string),
		parent: fr,
		depth:  fr.depth + 1,
	}
	for i, p := range callee.Params {
		if i < len(args) {
			inner.env[p] = a.path(fr, args[i], 0)
			inner.ienv[p] = a.index(fr, args[i], 0)
		}
	}
	if mc != nil {
		for i, fv := range callee.FreeVars {
			if i < len(mc.Bindings) {
				b := mc.Bindings[i]
				inner.env[fv] = a.path(fr, b, 0)
				inner.ienv[fv] = a.index(fr, b, 0)
				inner.iload[fv] = a.loadKey(fr, b)
			}
		}
	}
	return a.flow(inner, st)
}

// maxYieldRounds bounds the iterations of a range-over-func body analyzed
// at its iterator's call; the lockset grows monotonically, so a few suffice.
const maxYieldRounds = 4

// rangeBodies applies the closures that a call runs inside itself (see
// innerBody): range-over-func loop bodies and synchronous callbacks, each
// run zero or more times. The state after the call is the union over any
// number of runs.
func (a *analyzer) rangeBodies(fr *frame, common *ssa.CallCommon, st *lockset) *lockset {
	for _, arg := range common.Args {
		body, mc := innerBody(common, arg)
		if body == nil {
			continue
		}
		out, cur := st, st
		for range maxYieldRounds {
			next := a.inlineWith(fr, body, nil, mc, cur)
			if next == nil {
				break
			}
			merged := out.merge(next)
			if merged.equal(out) {
				break
			}
			out, cur = merged, next
		}
		st = out
	}
	return st
}

// innerBody returns the closure that argument v of a call is, when the call
// runs it on this task, zero or more times, before it returns: the body of a
// range-over-func loop (for x := range seq calls seq with the body as a
// synthetic yield closure), or a callback of a standard function that calls
// back synchronously (once.Do, sort.Slice; see asyncapi.CallbackClosures).
func innerBody(common *ssa.CallCommon, v ssa.Value) (*ssa.Function, *ssa.MakeClosure) {
	if ct, ok := v.(*ssa.ChangeType); ok {
		v = ct.X // a closure converted to a named func type (filepath.WalkFunc)
	}
	var fn *ssa.Function
	mc, _ := v.(*ssa.MakeClosure)
	if mc != nil {
		fn, _ = mc.Fn.(*ssa.Function)
	} else {
		fn, _ = v.(*ssa.Function)
	}
	if fn == nil || fn.Parent() == nil {
		return nil, nil
	}
	if asyncapi.IsRangeBody(fn) || asyncapi.CallsBackSynchronously(asyncapi.Callee(common)) {
		return fn, mc
	}
	return nil, nil
}

// await records that every lock in st may be held across the await point
// call (a call, or a deferred call at a return).
func (a *analyzer) await(st *lockset, call ssa.CallInstruction) {
	if len(st.locks) == 0 {
		return
	}
	pos := call.Pos()
	if cs := a.syntax(pos); cs != nil {
		pos = cs.call.Pos()
	}
	for _, h := range st.locks {
		for _, i := range h.sites {
			if _, seen := a.sites[i].awaits[pos]; !seen {
				a.sites[i].awaits[pos] = call
			}
		}
	}
}
