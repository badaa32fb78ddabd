package sendcheck

import (
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
)

// running is the dataflow state of one spawned task, seen from its spawner:
// whether the task may still be running concurrently at a program point.
// The spawn sets it; awaiting or joining the task's JoinHandle clears it.
type running bool

func (r running) fork() running { return r }

// merge joins two paths: the task may be running if it may be on either.
func (r running) merge(o running) running { return r || o }

func (r running) String() string {
	if r {
		return "running"
	}
	return "joined"
}

// concurrency is the result of the running dataflow from one spawn.
type concurrency struct {
	at      map[ssa.Instruction]running // state before each instruction
	respawn bool                        // the spawn is reached again while the task may run: two instances run at once
}

// runningFrom computes, for every instruction of s's spawner, whether s's
// task may be running when it executes. kill, if not nil, is an instruction
// that makes the shared value a fresh one (the allocation of a per-iteration
// variable), which also ends the sharing.
func (c *checker) runningFrom(s *spawnSite, kill ssa.Instruction) *concurrency {
	joins, edges := c.joins(s)
	exits := loopExits(s.fn, joins)
	maps.Copy(exits, edges)
	res := &concurrency{at: make(map[ssa.Instruction]running)}
	entry := make(map[*ssa.BasicBlock]running)

	// step runs the block's instructions from index i with state r, and
	// returns the state at the block's end.
	step := func(b *ssa.BasicBlock, i int, r running) running {
		for _, instr := range b.Instrs[i:] {
			if r {
				res.at[instr] = r
			}
			switch {
			case instr == ssa.Instruction(s.call):
				if r {
					res.respawn = true
				}
				r = true
			case instr == kill || joins[instr]:
				r = false
			}
		}
		return r
	}
	start := s.call.Block()
	var work []*ssa.BasicBlock
	push := func(b *ssa.BasicBlock, r running) {
		if !r {
			return
		}
		if old, seen := entry[b]; seen && old.merge(r) == old {
			return
		}
		entry[b] = entry[b].merge(r)
		work = append(work, b)
	}
	idx := slices.Index(start.Instrs, ssa.Instruction(s.call))
	out := step(start, idx+1, true)
	for _, succ := range start.Succs {
		push(succ, out.fork() && running(!exits[[2]*ssa.BasicBlock{start, succ}]))
	}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		out := step(b, 0, entry[b])
		for _, succ := range b.Succs {
			push(succ, out.fork() && running(!exits[[2]*ssa.BasicBlock{b, succ}]))
		}
	}
	return res
}

// joins returns the instructions of s's spawner that wait for s's task: a
// suspending or blocking runtime call (Await, Join2, Join3, BlockOn) that
// consumes the JoinHandle or a value derived from it, or a call of a helper
// whose awaitsParams fact says it waits for it. It also returns the CFG
// edges after which the task is joined: the branch of if !r.TimedOut where
// r is the awaited Timeout of the handle.
//
// Derived values: conversions to Future, local variables, struct fields,
// map entries, slices the handle is appended to (and their elements, as in
// for _, h := range hs { Await(t, h) }), and JoinAll over them. Awaiting any handle of a slice counts as
// joining them all: a may-join, so fan-out-then-join code is not reported.
func (c *checker) joins(s *spawnSite) (map[ssa.Instruction]bool, map[[2]*ssa.BasicBlock]bool) {
	handles := map[ssa.Value]bool{}
	var derive func(v ssa.Value)
	derive = func(v ssa.Value) {
		if v == nil || handles[v] || v.Referrers() == nil {
			return
		}
		handles[v] = true
		for _, u := range *v.Referrers() {
			switch u := u.(type) {
			case *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType, *ssa.Phi, *ssa.Slice, *ssa.IndexAddr, *ssa.FieldAddr, *ssa.Lookup:
				derive(u.(ssa.Value))
			case *ssa.MapUpdate:
				if u.Value == v {
					derive(u.Map)
				}
			case *ssa.UnOp:
				if u.Op == token.MUL {
					derive(u)
				}
			case *ssa.Store:
				if u.Val == v {
					derive(container(u.Addr))
				}
			case *ssa.Call:
				common := u.Common()
				if b, ok := common.Value.(*ssa.Builtin); ok && b.Name() == "append" {
					derive(u)
				} else if e := c.api.CallEntry(common); e != nil && e.Name == "JoinAll" {
					derive(u)
				}
			}
		}
	}
	derive(s.call)
	out := c.signalJoins(s)
	edges := make(map[[2]*ssa.BasicBlock]bool)
	for h := range handles {
		for _, u := range *h.Referrers() {
			call, ok := u.(*ssa.Call) // not go or defer: they do not wait here
			if !ok {
				continue
			}
			args := call.Call.Args
			for _, i := range c.facts.awaitedArgs(call.Common()) {
				if i < len(args) && args[i] == h {
					out[u] = true
				}
			}
			if e := c.api.CallEntry(call.Common()); e != nil && e.Name == "Timeout" && len(args) > 1 && args[1] == h {
				c.timeoutJoins(call, edges)
			}
		}
	}
	return out, edges
}

// timeoutJoins adds to edges the branches on which the Timeout call tm,
// awaited, did not time out: the wrapped handle was awaited to completion.
//
// Matched shape: r := runtime.Await(t, runtime.Timeout(d, h)); if
// !r.TimedOut { ... } (or if r.TimedOut { return }), with r a value or a
// local variable assigned only there.
func (c *checker) timeoutJoins(tm *ssa.Call, edges map[[2]*ssa.BasicBlock]bool) {
	var waits []*ssa.Call
	var find func(v ssa.Value, depth int)
	find = func(v ssa.Value, depth int) {
		if depth > 4 || v.Referrers() == nil {
			return
		}
		for _, u := range *v.Referrers() {
			switch u := u.(type) {
			case *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType:
				find(u.(ssa.Value), depth+1)
			case *ssa.Call:
				for _, i := range c.facts.awaitedArgs(u.Common()) {
					if i < len(u.Call.Args) && u.Call.Args[i] == v {
						waits = append(waits, u)
					}
				}
			}
		}
	}
	find(tm, 0)
	for _, w := range waits {
		st, ok := w.Type().Underlying().(*types.Struct)
		if !ok {
			continue // Join2 and Join3 return tuples; only Await is matched
		}
		idx := -1
		for i := 0; i < st.NumFields(); i++ {
			if st.Field(i).Name() == "TimedOut" {
				idx = i
			}
		}
		for _, flag := range timedOutFlags(w, idx) {
			for _, fu := range *flag.Referrers() {
				cond, succ := fu, 1 // if r.TimedOut: the else branch
				if not, ok := fu.(*ssa.UnOp); ok && not.Op == token.NOT && not.Referrers() != nil && len(*not.Referrers()) == 1 {
					cond, succ = (*not.Referrers())[0], 0 // if !r.TimedOut: the then branch
				}
				if br, ok := cond.(*ssa.If); ok {
					b := br.Block()
					edges[[2]*ssa.BasicBlock{b, b.Succs[succ]}] = true
				}
			}
		}
	}
}

// timedOutFlags returns the values that read field idx (TimedOut) of the
// result of w: r.TimedOut on the value itself, or loads of the field of the
// local variable r that w's result is stored in, when nothing else is
// stored in r.
func timedOutFlags(w *ssa.Call, idx int) []ssa.Value {
	var out []ssa.Value
	for _, u := range *w.Referrers() {
		switch u := u.(type) {
		case *ssa.Field:
			if u.Field == idx {
				out = append(out, u)
			}
		case *ssa.Store:
			local, ok := u.Addr.(*ssa.Alloc)
			if !ok || u.Val != w || !storedOnce(local) {
				continue
			}
			for _, lu := range *local.Referrers() {
				fa, ok := lu.(*ssa.FieldAddr)
				if !ok || fa.Field != idx {
					continue
				}
				for _, fu := range *fa.Referrers() {
					if load, ok := fu.(*ssa.UnOp); ok && load.Op == token.MUL {
						out = append(out, load)
					}
				}
			}
		}
	}
	return out
}

// storedOnce reports whether local is written by one Store of a whole value
// and never through a field or element address or by a call.
func storedOnce(local *ssa.Alloc) bool {
	stores := 0
	for _, u := range *local.Referrers() {
		switch u := u.(type) {
		case *ssa.Store:
			stores++
		case *ssa.FieldAddr:
			for _, fu := range *u.Referrers() {
				if _, ok := fu.(*ssa.UnOp); !ok {
					return false // written or escaping through a field
				}
			}
		case *ssa.UnOp:
			if u.Op != token.MUL {
				return false
			}
		default:
			return false // escapes: a call, a closure, a conversion
		}
	}
	return stores == 1
}

// container returns the variable or composite literal that address addr
// points into: the cell of a local variable, or the array behind a slice
// literal.
func container(addr ssa.Value) ssa.Value {
	for {
		switch a := addr.(type) {
		case *ssa.IndexAddr:
			addr = a.X
		case *ssa.FieldAddr:
			addr = a.X
		default:
			return addr
		}
	}
}

// loopExits returns, for the blocks of fn that contain a join, the exit
// edges of every loop around them: a loop that awaits each handle in turn
// has joined them all when it exits, even though the CFG also has a path
// through zero iterations.
func loopExits(fn *ssa.Function, joins map[ssa.Instruction]bool) map[[2]*ssa.BasicBlock]bool {
	exits := make(map[[2]*ssa.BasicBlock]bool)
	for instr := range joins {
		b := instr.Block()
		if b == nil || b.Parent() != fn {
			continue
		}
		for _, latch := range fn.Blocks {
			for _, h := range latch.Succs {
				if !h.Dominates(latch) {
					continue // not a back edge
				}
				body := loopBody(h, latch)
				if !body[b] {
					continue
				}
				for _, exit := range h.Succs {
					if !body[exit] {
						exits[[2]*ssa.BasicBlock{h, exit}] = true
					}
				}
			}
		}
	}
	return exits
}

// loopBody returns the natural loop of back edge latch -> header.
func loopBody(header, latch *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	body := map[*ssa.BasicBlock]bool{header: true}
	work := []*ssa.BasicBlock{latch}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if body[b] {
			continue
		}
		body[b] = true
		work = append(work, b.Preds...)
	}
	return body
}

// signalJoins returns the instructions of s's spawner that wait for a signal
// s's task sends: Wait on a WaitGroup the task calls Done on, and a receive
// from a channel the task sends on or closes. After either, the task has
// finished the work it did before signalling; later accesses are ordered
// after it, as after an Await of its handle.
func (c *checker) signalJoins(s *spawnSite) map[ssa.Instruction]bool {
	signals := make(map[string]bool)
	seen := make(map[*ssa.Function]bool)
	var scan func(fn *ssa.Function)
	scan = func(fn *ssa.Function) {
		if seen[fn] {
			return
		}
		seen[fn] = true
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.Send:
					signals[c.key(instr.Chan)] = true
				case *ssa.MakeClosure:
					scan(instr.Fn.(*ssa.Function))
				case ssa.CallInstruction:
					if v := c.syncCall(instr.Common(), signalMethods); v != nil {
						signals[c.key(v)] = true
					}
				}
			}
		}
	}
	for _, body := range s.bodies {
		scan(body)
	}
	out := make(map[ssa.Instruction]bool)
	if len(signals) == 0 {
		return out
	}
	for _, b := range s.fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.UnOp:
				if instr.Op == token.ARROW && signals[c.key(instr.X)] {
					out[instr] = true
				}
			case *ssa.Call:
				if v := c.syncCall(instr.Common(), waitMethods); v != nil && signals[c.key(v)] {
					out[instr] = true
				}
				// Await(t, ch.RecvFuture()) and the like: awaiting a future
				// that completes on the signal.
				for _, i := range c.facts.awaitedArgs(instr.Common()) {
					if i >= len(instr.Call.Args) {
						continue
					}
					mk, ok := asyncapi.Unconvert(instr.Call.Args[i]).(*ssa.Call)
					if !ok {
						continue
					}
					if v := c.syncCall(mk.Common(), waitFutures); v != nil && signals[c.key(v)] {
						out[instr] = true
					}
				}
			}
		}
	}
	return out
}

// signalMethods and waitMethods pair the calls by which a task signals
// completion with the calls by which its spawner waits for that signal;
// waitFutures make the futures that complete on such a signal, which the
// spawner then awaits. Runtime methods and functions are named as in the
// asyncapi table; "close" is the builtin, FromGoChan wraps a Go channel.
var (
	signalMethods = []string{
		"(*sync.WaitGroup).Done", "WaitGroup.Done",
		"Chan.Send", "Chan.TrySend", "Chan.Close", "close",
		"Oneshot.Send", "Oneshot.Close",
		"Notify.NotifyOne", "Notify.NotifyAll",
	}
	waitMethods = []string{"(*sync.WaitGroup).Wait", "WaitGroup.Wait", "Chan.Recv", "Oneshot.Recv", "Notify.Wait"}
	waitFutures = []string{"Chan.RecvFuture", "Oneshot.RecvFuture", "WaitGroup.WaitFuture", "Notify.WaitFuture", "FromGoChan"}
)

// syncCall returns the receiver (or, for close, the channel) of a call to
// one of names, or nil.
func (c *checker) syncCall(common *ssa.CallCommon, names []string) ssa.Value {
	if len(common.Args) == 0 {
		return nil
	}
	if b, ok := common.Value.(*ssa.Builtin); ok {
		if slices.Contains(names, b.Name()) {
			return common.Args[0]
		}
		return nil
	}
	fn := asyncapi.Callee(common)
	if fn == nil {
		return nil
	}
	if e := c.api.Lookup(fn); e != nil {
		if slices.Contains(names, e.Name) {
			return common.Args[0]
		}
		return nil
	}
	if fn.Pkg() != nil && fn.Pkg().Path() == "sync" && slices.Contains(names, fn.FullName()) {
		return common.Args[0]
	}
	return nil
}

// lockset is the set of mutexes certainly held at a program point, by
// canonical name (see checker.key), sorted.
type lockset []string

func (l lockset) fork() lockset { return slices.Clone(l) }

// merge keeps the locks held on both paths.
func (l lockset) merge(o lockset) lockset {
	var out lockset
	for _, k := range l {
		if slices.Contains(o, k) {
			out = append(out, k)
		}
	}
	return out
}

func (l lockset) String() string { return "{" + strings.Join(l, ",") + "}" }

func (l lockset) with(k string) lockset {
	if slices.Contains(l, k) {
		return l
	}
	out := append(l.fork(), k)
	slices.Sort(out)
	return out
}

func (l lockset) without(k string) lockset {
	return slices.DeleteFunc(l.fork(), func(s string) bool { return s == k })
}

// lockKind says whether a call locks or unlocks a mutex, and how.
type lockKind uint8

const (
	notLock lockKind = iota
	locks
	unlocks
	rlocks
	runlocks
	trylocks  // holds the lock when it returns true
	tryrlocks // holds the read lock when it returns true
)

// readHeld marks a lockset entry held for reading (RLock).
const readHeld = "#r"

// mutexMethods are the lock methods of the standard library's and the
// runtime's mutexes. A read lock guards a read against a writer holding the
// write lock, but not a write made under a read lock (see guarded).
var mutexMethods = map[string]lockKind{
	"(*sync.Mutex).Lock":       locks,
	"(*sync.Mutex).Unlock":     unlocks,
	"(*sync.RWMutex).Lock":     locks,
	"(*sync.RWMutex).Unlock":   unlocks,
	"(*sync.RWMutex).RLock":    rlocks,
	"(*sync.RWMutex).RUnlock":  runlocks,
	"(*sync.Mutex).TryLock":    trylocks,
	"(*sync.RWMutex).TryLock":  trylocks,
	"(*sync.RWMutex).TryRLock": tryrlocks,
	"Mutex.TryLock":            trylocks,
	"RWMutex.TryLock":          trylocks,
	"RWMutex.TryRLock":         tryrlocks,
	"Mutex.Lock":               locks, // runtime, by asyncapi table name
	"Mutex.Unlock":             unlocks,
	"RWMutex.Lock":             locks,
	"RWMutex.Unlock":           unlocks,
	"RWMutex.RLock":            rlocks,
	"RWMutex.RUnlock":          runlocks,
	"(sync.Locker).Lock":       locks, // an interface call: the Locker's dynamic value is the mutex
	"(sync.Locker).Unlock":     unlocks,
}

// lockCall says whether common locks or unlocks a mutex, and returns the
// mutex: the receiver of a sync or runtime mutex method, or the interface
// value of a call of sync.Locker's Lock or Unlock (var l sync.Locker = &mu).
func (c *checker) lockCall(common *ssa.CallCommon) (lockKind, ssa.Value) {
	if m := asyncapi.InvokedMethod(common); m != nil {
		if m.Pkg() != nil && m.Pkg().Path() == "sync" {
			return mutexMethods[m.FullName()], common.Value
		}
		return notLock, nil
	}
	fn := asyncapi.Callee(common)
	if fn == nil || len(common.Args) == 0 {
		return notLock, nil
	}
	if e := c.api.Lookup(fn); e != nil {
		return mutexMethods[e.Name], common.Args[0]
	}
	if fn.Pkg() != nil && fn.Pkg().Path() == "sync" {
		return mutexMethods[fn.FullName()], common.Args[0]
	}
	return notLock, nil
}

// locksAt returns the lockset before each instruction of fn, computed once
// per function: Lock adds the receiver, Unlock removes it, a deferred Unlock
// does nothing until return.
func (c *checker) locksAt(fn *ssa.Function) map[ssa.Instruction]lockset {
	if m, ok := c.locks[fn]; ok {
		return m
	}
	m := make(map[ssa.Instruction]lockset)
	c.locks[fn] = m
	if len(fn.Blocks) == 0 {
		return m
	}
	entry := map[*ssa.BasicBlock]lockset{fn.Blocks[0]: nil}
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		l := entry[b]
		for _, instr := range b.Instrs {
			m[instr] = l
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			switch kind, mu := c.lockCall(call.Common()); kind {
			case locks:
				l = l.with(c.key(mu))
			case unlocks:
				l = l.without(c.key(mu))
			case rlocks:
				l = l.with(c.key(mu) + readHeld)
			case runlocks:
				l = l.without(c.key(mu) + readHeld)
			}
		}
		for i, succ := range b.Succs {
			out := l
			if i == 0 {
				out = c.tryLocked(b, l) // if mu.TryLock() { ... }: held on the true edge
			}
			old, seen := entry[succ]
			next := out.fork()
			if seen {
				next = old.merge(out)
				if slices.Equal(next, old) {
					continue
				}
			}
			entry[succ] = next
			work = append(work, succ)
		}
	}
	return m
}

// tryLocked returns l plus the mutex that b's final if-statement holds on
// its true edge when its condition is a successful TryLock or TryRLock.
//
// Matched shape: if mu.TryLock() { ... }.
func (c *checker) tryLocked(b *ssa.BasicBlock, l lockset) lockset {
	if len(b.Instrs) == 0 {
		return l
	}
	cond, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return l
	}
	call, ok := cond.Cond.(*ssa.Call)
	if !ok {
		return l
	}
	switch kind, mu := c.lockCall(call.Common()); kind {
	case trylocks:
		return l.with(c.key(mu))
	case tryrlocks:
		return l.with(c.key(mu) + readHeld)
	}
	return l
}

// key names the memory a value denotes, the same way in a closure and in
// the function that made it: a free variable is named by its binding in the
// parent, so the spawner's mu and the task's captured mu agree.
func (c *checker) key(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.FreeVar:
		if mc := c.makers[v.Parent()]; mc != nil {
			if i := slices.Index(v.Parent().FreeVars, v); i >= 0 && i < len(mc.Bindings) {
				return c.key(mc.Bindings[i])
			}
		}
	case *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType:
		// The same memory seen through another type: a sync.Locker holding
		// &mu, a receive-only view of a channel.
		return c.key(asyncapi.Unconvert(v))
	case *ssa.UnOp:
		if v.Op != token.MUL {
			break
		}
		if val := c.onlyValue(v.X); val != nil {
			return c.key(val) // a variable assigned once: var l sync.Locker = &mu
		}
		return c.key(v.X) + "*"
	case *ssa.FieldAddr:
		return c.key(v.X) + ".f" + strconv.Itoa(v.Field)
	case *ssa.IndexAddr:
		// mus[0] and mus[i]: the same element when the index is the same
		// constant or the same value (not merely the same variable, which
		// may change between the two accesses).
		return c.key(v.X) + "[" + c.indexKey(v.Index) + "]"
	case *ssa.Field:
		return c.key(v.X) + ".f" + strconv.Itoa(v.Field)
	case *ssa.Global:
		return v.Pkg.Pkg.Path() + "." + v.Name()
	}
	id, ok := c.ids[v]
	if !ok {
		id = len(c.ids)
		c.ids[v] = id
	}
	return "v" + strconv.Itoa(id)
}

// indexKey names an index for key: a constant by its value, anything else
// by its SSA value, a free variable by the value the closure's maker binds.
func (c *checker) indexKey(v ssa.Value) string {
	for {
		v = c.binding(v)
		load, ok := v.(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			break
		}
		val := c.onlyValue(load.X)
		if val == nil {
			break
		}
		v = val // a variable assigned once, captured by the task: i
	}
	if k, ok := v.(*ssa.Const); ok && k.Value != nil {
		return k.Value.ExactString()
	}
	id, ok := c.ids[v]
	if !ok {
		id = len(c.ids)
		c.ids[v] = id
	}
	return "v" + strconv.Itoa(id)
}

// binding returns the value that v, a free variable, is bound to where its
// closure is made (recursively), or v itself.
func (c *checker) binding(v ssa.Value) ssa.Value {
	for {
		fv, ok := v.(*ssa.FreeVar)
		if !ok {
			return v
		}
		mc := c.makers[fv.Parent()]
		i := slices.Index(fv.Parent().FreeVars, fv)
		if mc == nil || i < 0 || i >= len(mc.Bindings) {
			return v
		}
		v = mc.Bindings[i]
	}
}

// onlyValue returns the value of the variable whose cell is addr (seen
// through free variables) if the variable is assigned exactly once, before
// any read and before any closure captures it, and its address goes
// nowhere else; nil otherwise. Every read of such a variable yields that
// value, so reads on both sides of a spawn name the same thing.
func (c *checker) onlyValue(addr ssa.Value) ssa.Value {
	cell, ok := c.binding(addr).(*ssa.Alloc)
	if !ok {
		return nil
	}
	if v, ok := c.cells[cell]; ok {
		return v
	}
	c.cells[cell] = nil // in progress
	var store *ssa.Store
	var reads []ssa.Instruction // loads and captures in cell's function
	var scan func(v ssa.Value, depth int) bool
	scan = func(v ssa.Value, depth int) bool {
		if depth > 4 || v.Referrers() == nil {
			return false
		}
		for _, u := range *v.Referrers() {
			switch u := u.(type) {
			case *ssa.Store:
				if u.Addr != v || store != nil || depth > 0 {
					return false // stored elsewhere, assigned twice, or assigned by a closure
				}
				store = u
			case *ssa.UnOp:
				if u.Op != token.MUL {
					return false
				}
				if depth == 0 {
					reads = append(reads, u)
				}
			case *ssa.MakeClosure:
				if depth == 0 {
					reads = append(reads, u)
				}
				for i, b := range u.Bindings {
					if b == v && !scan(u.Fn.(*ssa.Function).FreeVars[i], depth+1) {
						return false
					}
				}
			case *ssa.DebugRef:
			default:
				return false // its address escapes
			}
		}
		return true
	}
	if !scan(cell, 0) || store == nil {
		return nil
	}
	for _, r := range reads {
		if !before(store, r) {
			return nil
		}
	}
	c.cells[cell] = store.Val
	return store.Val
}

// before reports whether a executes before b on every path: earlier in the
// same block, or in a block that dominates b's.
func before(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab != bb {
		return ab.Dominates(bb)
	}
	return slices.Index(ab.Instrs, a) < slices.Index(ab.Instrs, b)
}

// guarded reports whether a common mutex is held at both accesses.
//
// A mutex held for writing on one side and for reading or writing on the
// other orders the two accesses. Read locks on both sides do not: they
// exclude no one but writers, so a write made under a read lock still races.
func (c *checker) guarded(a, b *access) bool {
	la, lb := c.held(a), c.held(b)
	for _, k := range la {
		if strings.HasSuffix(k, readHeld) {
			if slices.Contains(lb, strings.TrimSuffix(k, readHeld)) {
				return true // read-locked here, write-locked there
			}
			continue
		}
		if slices.Contains(lb, k) || slices.Contains(lb, k+readHeld) {
			return true
		}
	}
	return false
}

// held returns the locks held at a: inside its function (and around every
// call of it, for a closure handed to a helper that locks), plus those held
// around the closure or spawn that contains it.
func (c *checker) held(a *access) lockset {
	if a.unlocked {
		return nil
	}
	l := a.rename.apply(c.locksHeld(a.at))
	if a.frame != a.at && a.frame.Parent() != a.at.Parent() {
		for _, k := range c.locksHeld(a.frame) {
			l = l.with(k)
		}
	}
	return l
}
