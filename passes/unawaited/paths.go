package unawaited

import (
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
)

// noReturn lists the standard functions that never return to their caller.
// A path through one of them ends there, like a panic, so a future left
// behind on it is not a leak. Names are types.Func.FullName spellings.
var noReturn = map[string]bool{
	"os.Exit":                   true,
	"runtime.Goexit":            true,
	"log.Fatal":                 true,
	"log.Fatalf":                true,
	"log.Fatalln":               true,
	"log.Panic":                 true,
	"log.Panicf":                true,
	"log.Panicln":               true,
	"(*log.Logger).Fatal":       true,
	"(*log.Logger).Fatalf":      true,
	"(*log.Logger).Fatalln":     true,
	"(*log.Logger).Panic":       true,
	"(*log.Logger).Panicf":      true,
	"(*log.Logger).Panicln":     true,
	"(*testing.common).Fatal":   true,
	"(*testing.common).Fatalf":  true,
	"(*testing.common).FailNow": true,
	"(*testing.common).Skip":    true,
	"(*testing.common).Skipf":   true,
	"(*testing.common).SkipNow": true,
	"(testing.TB).Fatal":        true,
	"(testing.TB).Fatalf":       true,
	"(testing.TB).FailNow":      true,
	"(testing.TB).Skip":         true,
	"(testing.TB).Skipf":        true,
	"(testing.TB).SkipNow":      true,
}

// neverReturns reports whether call is a call to a function in noReturn.
func neverReturns(instr ssa.Instruction) bool {
	call, ok := instr.(ssa.CallInstruction)
	if !ok {
		return false
	}
	if _, isCall := instr.(*ssa.Call); !isCall {
		return false // go and defer return at once
	}
	fn := asyncapi.Callee(call.Common())
	if fn == nil {
		fn = asyncapi.InvokedMethod(call.Common())
	}
	return fn != nil && noReturn[fn.FullName()]
}

// pathState is what the forward search knows on entry to a block: whether a
// path from the future's creation reaches the block with the future still
// unconsumed. Merging is "or": one such path is enough to leak it.
type pathState struct{ live bool }

func (s pathState) fork() pathState { return s }

// merge joins o into s and reports whether s changed.
func (s *pathState) merge(o pathState) bool {
	changed := o.live && !s.live
	s.live = s.live || o.live
	return changed
}

func (s pathState) String() string {
	if s.live {
		return "live"
	}
	return "consumed"
}

// outcome is where the paths from a future's creation lead.
type outcome struct {
	reachesConsumer bool          // some path reaches a consumer
	leaks           []*ssa.Return // returns some path reaches without consuming it

	// replaced reports that a path loops back to def without consuming the
	// future: the next iteration's future takes the place of this one,
	// which is then lost. This is how a future leaks from a loop that never
	// returns, such as a server's `for { ... }`.
	replaced bool

	// stopped reports that some path ends in a panic or a call that never
	// returns.
	stopped bool
}

// leaked reports whether some path loses the future.
func (o outcome) leaked() bool { return len(o.leaks) > 0 || o.replaced }

// never reports whether no path consumes the future, and some path keeps
// running without it: one that returns, loops back to its creation, or
// loops forever (a function whose paths all end in a panic or exit does
// not count).
func (o outcome) never() bool {
	return !o.reachesConsumer && (o.leaked() || !o.stopped)
}

// search follows every path from def, the instruction that creates the
// future, until it meets a consumer, a panic, a call that never returns, a
// return (a leak), or, unless the future is boxed (see uses.boxed), def
// again (a leak too). Leaving a range loop from header to exits[header]
// counts as meeting a consumer (see rangeExits). Each block is rescanned
// only when its entry state changes, which, with one bit of state, means
// at most once.
func search(def ssa.Instruction, consumers map[ssa.Instruction]bool, boxed bool, exits map[*ssa.BasicBlock]*ssa.BasicBlock) outcome {
	var out outcome
	entry := make(map[*ssa.BasicBlock]*pathState)
	var work []*ssa.BasicBlock
	scan := func(b *ssa.BasicBlock, from int, s pathState) {
		if len(b.Instrs) == 0 {
			return // not a block SSA builds; nothing to follow
		}
		for _, instr := range b.Instrs[from:] {
			if consumers[instr] {
				out.reachesConsumer = true
				return
			}
			if instr == def && !boxed {
				out.replaced = true
				return
			}
			if neverReturns(instr) {
				out.stopped = true
				return
			}
		}
		switch last := b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.Return:
			out.leaks = append(out.leaks, last)
		case *ssa.Panic:
			out.stopped = true
		default:
			for _, succ := range b.Succs {
				if done, ok := exits[b]; ok && succ == done {
					out.reachesConsumer = true // the loop consumed every element
					continue
				}
				st, ok := entry[succ]
				if !ok {
					st = new(pathState)
					entry[succ] = st
				}
				if st.merge(s.fork()) {
					work = append(work, succ)
				}
			}
		}
	}
	b := def.Block()
	if b == nil {
		return out
	}
	from := 0
	for i, instr := range b.Instrs {
		if instr == def {
			from = i + 1
		}
	}
	scan(b, from, pathState{live: true})
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		scan(b, 0, *entry[b])
	}
	return out
}
