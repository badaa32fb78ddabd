package lockacrossawait

import "golang.org/x/tools/go/ssa"

// nextIteration reports whether await, where the lock of lock may be held,
// is reachable from lock only through a loop's back edge, and both are in
// that loop: the lock is taken late in one iteration and the await comes
// early in the next, above the Lock in the source, which the related
// message then says.
//
// An await that some path reaches within the iteration (even one where
// the lock was released meanwhile), one after the loop, a deferred call
// (it runs at the return), and an await in another function than the lock
// (an inlined closure) keep the plain message. Only natural loops are
// recognized, so the back edges of an irreducible loop made with goto
// count as forward edges, and the message stays plain there too.
func nextIteration(lock *ssa.Call, await ssa.CallInstruction) bool {
	if lock == nil || await == nil {
		return false
	}
	if _, deferred := await.(*ssa.Defer); deferred {
		return false
	}
	lb, ab := lock.Block(), await.Block()
	if lb == nil || ab == nil || lb.Parent() != ab.Parent() {
		return false
	}
	if lb == ab {
		if position(lock) < position(await) {
			return false
		}
	} else if forwardReaches(lb, ab) {
		return false
	}
	return inCommonLoop(lb, ab)
}

// position returns the index of instr in its block.
func position(instr ssa.Instruction) int {
	for i, in := range instr.Block().Instrs {
		if in == instr {
			return i
		}
	}
	return -1
}

// isBackEdge reports whether the edge from b to succ closes a natural loop:
// succ, the loop's header, dominates b.
func isBackEdge(b, succ *ssa.BasicBlock) bool {
	return succ.Dominates(b)
}

// forwardReaches reports whether to is reachable from from without taking
// a back edge.
func forwardReaches(from, to *ssa.BasicBlock) bool {
	seen := make([]bool, len(from.Parent().Blocks))
	stack := []*ssa.BasicBlock{from}
	seen[from.Index] = true
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, s := range b.Succs {
			if seen[s.Index] || isBackEdge(b, s) {
				continue
			}
			if s == to {
				return true
			}
			seen[s.Index] = true
			stack = append(stack, s)
		}
	}
	return false
}

// inCommonLoop reports whether the body of some natural loop holds both x
// and y.
func inCommonLoop(x, y *ssa.BasicBlock) bool {
	for _, tail := range x.Parent().Blocks {
		for _, header := range tail.Succs {
			if !isBackEdge(tail, header) {
				continue
			}
			body := loopBody(tail, header)
			if body[x.Index] && body[y.Index] {
				return true
			}
		}
	}
	return false
}

// loopBody returns the blocks of the natural loop of the back edge from
// tail to header: the header, and every block that reaches tail without
// passing through it.
func loopBody(tail, header *ssa.BasicBlock) []bool {
	body := make([]bool, len(header.Parent().Blocks))
	body[header.Index] = true
	stack := []*ssa.BasicBlock{tail}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if body[b.Index] {
			continue
		}
		body[b.Index] = true
		stack = append(stack, b.Preds...)
	}
	return body
}
