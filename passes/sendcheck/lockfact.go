package sendcheck

import (
	"cmp"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
)

// lockedCalls is the fact of a helper that calls a function parameter only
// while holding a lock, and only synchronously, before it returns:
//
//	func (s *store) withLock(f func()) { s.mu.Lock(); defer s.mu.Unlock(); f() }
//
// has lockedCalls(1:0.f0): parameter 1 is called with field 0 of parameter
// 0 (the receiver) held. A closure handed to such a helper runs with that
// lock held, so its accesses are guarded by it.
type lockedCalls struct {
	Calls []lockedCall // sorted by Param, Lock, Path; unique
}

// lockedCall is one lock held around the calls of one parameter: the mutex
// is the part Path (a key suffix, see checker.key: ".f0", ".f0*", and
// readHeld for a read lock) of what parameter Lock denotes, or, when Lock
// is -1, the package-level mutex whose whole key is Path.
type lockedCall struct {
	Param int
	Lock  int
	Path  string
}

func (*lockedCalls) AFact() {}

func (f *lockedCalls) String() string {
	s := make([]string, len(f.Calls))
	for i, l := range f.Calls {
		lock := l.Path
		if l.Lock >= 0 {
			lock = strconv.Itoa(l.Lock) + l.Path
		}
		s[i] = strconv.Itoa(l.Param) + ":" + lock
	}
	return "lockedCalls(" + strings.Join(s, " ") + ")"
}

// callsParams is the fact of a helper that calls function parameters only
// synchronously, before it returns, whether or not it holds a lock:
//
//	func (s *store) each(f func()) { f() }
//
// has callsParams(1). A closure handed to it runs during the call, so a
// function that makes the closure does what the closure does (see
// enterCalled), under the locks held around the call. Every parameter of a
// lockedCalls fact is in it too.
type callsParams struct {
	Params []int // sorted, unique
}

func (*callsParams) AFact() {}

func (f *callsParams) String() string { return paramsString("callsParams", f.Params) }

func compareLC(a, b lockedCall) int {
	return cmp.Or(cmp.Compare(a.Param, b.Param), cmp.Compare(a.Lock, b.Lock), cmp.Compare(a.Path, b.Path))
}

// computeLockFacts builds lockedCalls and callsParams for the package's
// named functions by iterating in source order to a fixed point, and
// exports the non-empty ones. A helper that forwards its parameter to
// another helper inherits the other's locks; on a call-graph cycle the
// facts start empty and stay so, which is the conservative answer.
func (c *checker) computeLockFacts(funcs []*ssa.Function) {
	var named []*ssa.Function
	for _, fn := range funcs {
		if _, ok := fn.Object().(*types.Func); ok && fn.Parent() == nil && takesFunc(fn) {
			named = append(named, fn)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, fn := range named {
			got, calls := c.lockedCallsOf(fn)
			obj := fn.Object().(*types.Func)
			if !slices.Equal(got, c.facts.locked[obj]) {
				c.facts.locked[obj] = got
				changed = true
			}
			if !slices.Equal(calls, c.facts.calls[obj]) {
				c.facts.calls[obj] = calls
				changed = true
			}
		}
	}
	for _, fn := range named {
		obj := fn.Object().(*types.Func)
		if ls := c.facts.locked[obj]; len(ls) > 0 {
			c.pass.ExportObjectFact(obj, &lockedCalls{Calls: ls})
		}
		if ps := c.facts.calls[obj]; len(ps) > 0 {
			c.pass.ExportObjectFact(obj, &callsParams{Params: ps})
		}
	}
}

// takesFunc reports whether fn has a parameter of function type.
func takesFunc(fn *ssa.Function) bool {
	return slices.ContainsFunc(fn.Params, isFuncParam)
}

func isFuncParam(p *ssa.Parameter) bool {
	_, ok := p.Type().Underlying().(*types.Signature)
	return ok
}

// lockedCallsOf returns the locks fn certainly holds at every call of each
// of its function parameters, named relative to its parameters or, for
// package-level mutexes, absolutely, and the sorted indices of the
// function parameters it calls only synchronously. Locks on fn's own local
// mutexes mean nothing to a caller and are dropped.
func (c *checker) lockedCallsOf(fn *ssa.Function) ([]lockedCall, []int) {
	var out []lockedCall
	var calls []int
	for k, p := range fn.Params {
		if !isFuncParam(p) {
			continue
		}
		held, ok := c.heldWhileCalled(p)
		if !ok {
			continue
		}
		calls = append(calls, k)
		for _, key := range held {
			if strings.Contains(key, "[v") {
				continue // an element chosen by a value the caller cannot name
			}
			if j, rest := c.paramRoot(fn, key); j >= 0 {
				out = append(out, lockedCall{Param: k, Lock: j, Path: rest})
			} else if !isValueKey(key) {
				out = append(out, lockedCall{Param: k, Lock: -1, Path: key})
			}
		}
	}
	slices.SortFunc(out, compareLC)
	return slices.Compact(out), calls
}

// paramRoot returns the index of the parameter of fn whose key starts key,
// and the rest of key; -1 if none does.
func (c *checker) paramRoot(fn *ssa.Function, key string) (int, string) {
	for j, p := range fn.Params {
		if rest, ok := strings.CutPrefix(key, c.key(p)); ok && (rest == "" || strings.ContainsAny(rest[:1], ".*[#")) {
			return j, rest
		}
	}
	return -1, ""
}

// isValueKey reports whether key is rooted in an SSA value ("v12.f0")
// rather than a package-level variable ("example.com/p.mu"). A package path
// that looks like a value key is taken for one: the lock is then dropped
// from the fact, which only loses precision.
func isValueKey(key string) bool {
	rest, ok := strings.CutPrefix(key, "v")
	if !ok {
		return false
	}
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	return i > 0 && (i == len(rest) || strings.ContainsAny(rest[i:i+1], ".*[#"))
}

// heldWhileCalled returns the locks certainly held at every call of the
// function value v (a closure, or a function parameter of a helper), and
// whether v is used only in ways that are understood: called directly,
// handed to a helper that calls it before returning (known from its
// lockedCalls or callsParams fact, or a standard-library function of
// asyncapi's synchronous callbacks table, such as sort.Slice), or compared
// with nil. Any other use (stored, returned, run with go or defer,
// captured by another closure, passed to a function without a fact) may
// run v later, with no lock held: ok is then false.
func (c *checker) heldWhileCalled(v ssa.Value) (lockset, bool) {
	refs := v.Referrers()
	if refs == nil {
		return nil, false
	}
	var held lockset
	calls := 0
	add := func(l lockset) {
		if calls == 0 {
			held = l
		} else {
			held = held.merge(l)
		}
		calls++
	}
	for _, u := range *refs {
		switch u := u.(type) {
		case *ssa.DebugRef, *ssa.BinOp:
			// f != nil: a comparison runs nothing.
		case *ssa.Call:
			common := u.Common()
			at := c.locksHeld(u)
			if common.Value == v {
				add(at)
			}
			for i, a := range common.Args {
				if a != v {
					continue
				}
				inside, ok := c.lockedArg(common, i)
				if !ok && !c.callsArg(common, i) {
					return nil, false
				}
				for _, k := range inside {
					at = at.with(k)
				}
				add(at)
			}
		default:
			return nil, false
		}
	}
	return held, calls > 0
}

// lockedArg returns the locks the callee of common holds whenever it calls
// its argument i, in the caller's names, and whether its lockedCalls fact
// says it calls that argument only under lock.
func (c *checker) lockedArg(common *ssa.CallCommon, i int) (lockset, bool) {
	var out lockset
	for _, l := range c.facts.lockedOf(asyncapi.Callee(common)) {
		switch {
		case l.Param != i:
		case l.Lock < 0:
			out = out.with(l.Path)
		case l.Lock < len(common.Args):
			out = out.with(c.key(common.Args[l.Lock]) + l.Path)
		}
	}
	return out, len(out) > 0
}

// callsArg reports whether the callee of common calls its argument i only
// before it returns: its callsParams fact says so, or it is a
// standard-library function that calls its function arguments back
// synchronously.
func (c *checker) callsArg(common *ssa.CallCommon, i int) bool {
	callee := asyncapi.Callee(common)
	if asyncapi.CallsBackSynchronously(callee) {
		return true
	}
	return slices.Contains(c.facts.callsOf(callee), i)
}

// locksHeld returns the locks certainly held at instr: those its function
// takes before it, and, for a closure, those held around every call of the
// closure (see contextLocks).
func (c *checker) locksHeld(instr ssa.Instruction) lockset {
	l := c.locksAt(instr.Parent())[instr]
	for _, k := range c.contextLocks(instr.Parent()) {
		l = l.with(k)
	}
	return l
}

// contextLocks returns the locks held whenever closure fn runs: the closure
// is called only directly or through helpers that call it under lock, as in
// s.withLock(func() { s.tot++ }). It is nil for named functions, whose
// callers are not known, and for closures used in any other way.
func (c *checker) contextLocks(fn *ssa.Function) lockset {
	if fn.Parent() == nil {
		return nil
	}
	if l, ok := c.around[fn]; ok {
		return l
	}
	c.around[fn] = nil   // a closure cannot be called around itself; break the cycle anyway
	var v ssa.Value = fn // a closure without free variables is its own value
	if mc := c.makers[fn]; mc != nil {
		v = mc
	}
	l, ok := c.heldWhileCalled(v)
	if !ok {
		l = nil
	}
	c.around[fn] = l
	return l
}

// lockedOf returns the lockedCalls of callee (a generic origin), from this
// package's facts or an imported fact.
func (fc *factComputer) lockedOf(callee *types.Func) []lockedCall {
	return factFor(fc, fc.locked, callee, func(f *lockedCalls) []lockedCall { return f.Calls })
}

// callsOf returns the callsParams of callee (a generic origin), from this
// package's facts or an imported fact.
func (fc *factComputer) callsOf(callee *types.Func) []int {
	return factFor(fc, fc.calls, callee, func(f *callsParams) []int { return f.Params })
}
