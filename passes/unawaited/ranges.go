package unawaited

import (
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// rangeExits finds the range loops that consume every element of a slice
// holding the future, and returns, for each loop's header block, the block
// its normal exit leads to. Leaving the loop that way means every element
// was consumed, the future included, so search treats that edge as a
// consumer. Without it, strict mode reported collect-then-await-each,
//
//	for ... { fs = append(fs, fetch(i)) }
//	for _, f := range fs { s += runtime.Await(t, f) }
//
// because of the path on which the second loop runs zero times; on that
// path fs is empty, so no future was made.
//
// Matched shape, as go/ssa lowers `for i, f := range xs` over a slice:
//
//	n = len(xs)
//	header: k = phi [-1, k1]; k1 = k + 1; if k1 < n goto body else done
//	body:   ... e = &xs[k1] (or xs[k1]) ...
//
// where xs holds the whole of every slice the future was appended to (see
// whole), and every path from body back to header consumes an element
// taken at k1. A path that leaves the body another way (break, return) is
// followed as usual.
func (c *checker) rangeExits(u *uses) map[*ssa.BasicBlock]*ssa.BasicBlock {
	type loop struct {
		done      *ssa.BasicBlock
		consumers map[ssa.Instruction]bool // of the elements the body takes
	}
	loops := make(map[*ssa.BasicBlock]*loop)
	for x := range u.held {
		refs := x.Referrers()
		if refs == nil {
			continue
		}
		for _, ref := range *refs {
			var index ssa.Value
			switch e := ref.(type) {
			case *ssa.IndexAddr:
				index = e.Index
			case *ssa.Index:
				index = e.Index
			default:
				continue
			}
			header, done, ok := rangeHeader(x, index)
			if !ok || !u.whole(x, make(map[ssa.Value]bool)) {
				continue
			}
			l := loops[header]
			if l == nil {
				l = &loop{done: done, consumers: make(map[ssa.Instruction]bool)}
				loops[header] = l
			}
			for instr := range c.track(ref.(ssa.Value)).consumers {
				l.consumers[instr] = true
			}
		}
	}
	var exits map[*ssa.BasicBlock]*ssa.BasicBlock
	for header, l := range loops {
		if !consumedEachIteration(header, l.consumers) {
			continue
		}
		if exits == nil {
			exits = make(map[*ssa.BasicBlock]*ssa.BasicBlock)
		}
		exits[header] = l.done
	}
	return exits
}

// rangeHeader reports whether xs[index] is taken in a range loop over xs
// with index as its counter, and returns the loop's header and exit
// blocks.
func rangeHeader(xs, index ssa.Value) (header, done *ssa.BasicBlock, ok bool) {
	// index = k + 1, k = phi [-1, index]: the counter runs from 0 by 1.
	inc, ok := index.(*ssa.BinOp)
	if !ok || inc.Op != token.ADD || !isConst(inc.Y, 1) {
		return nil, nil, false
	}
	header = inc.Block()
	phi, ok := inc.X.(*ssa.Phi)
	if !ok || phi.Block() != header {
		return nil, nil, false
	}
	for _, edge := range phi.Edges {
		if edge != index && !isConst(edge, -1) {
			return nil, nil, false
		}
	}
	// if index < len(xs) goto body else done
	cond, ok := header.Instrs[len(header.Instrs)-1].(*ssa.If)
	if !ok || len(header.Succs) != 2 {
		return nil, nil, false
	}
	less, ok := cond.Cond.(*ssa.BinOp)
	if !ok || less.Op != token.LSS || less.X != index || !isLen(less.Y, xs) {
		return nil, nil, false
	}
	return header, header.Succs[1], true
}

// isLen reports whether v is len(xs).
func isLen(v, xs ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	b, ok := call.Call.Value.(*ssa.Builtin)
	return ok && b.Name() == "len" && len(call.Call.Args) == 1 && call.Call.Args[0] == xs
}

func isConst(v ssa.Value, n int64) bool {
	k, ok := v.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return false
	}
	got, exact := constant.Int64Val(k.Value)
	return exact && got == n
}

// consumedEachIteration reports whether every path from the body of the
// loop at header back to header passes one of consumers.
func consumedEachIteration(header *ssa.BasicBlock, consumers map[ssa.Instruction]bool) bool {
	seen := make(map[*ssa.BasicBlock]bool)
	var reaches func(b *ssa.BasicBlock) bool // reports whether b reaches header unconsumed
	reaches = func(b *ssa.BasicBlock) bool {
		if b == header {
			return true
		}
		if seen[b] {
			return false
		}
		seen[b] = true
		for _, instr := range b.Instrs {
			if consumers[instr] || neverReturns(instr) {
				return false
			}
		}
		for _, succ := range b.Succs {
			if reaches(succ) {
				return true
			}
		}
		return false
	}
	return !reaches(header.Succs[0])
}

// whole reports whether x holds every element of each slice the future
// was put in: it is an append to such a slice (or to nothing holding the
// future) of the full contents of another, a full slice of a local array,
// or a phi or change of type of such values. A value the future never
// reached holds none of it and qualifies vacuously. Anything else, such as
// xs[1:], may hold part of them only. visiting breaks cycles through loop
// phis, which hold whatever their other edges hold.
func (u *uses) whole(x ssa.Value, visiting map[ssa.Value]bool) bool {
	if !u.held[x] || visiting[x] {
		return true
	}
	visiting[x] = true
	switch x := x.(type) {
	case *ssa.Phi:
		for _, e := range x.Edges {
			if !u.whole(e, visiting) {
				return false
			}
		}
		return true
	case *ssa.ChangeType:
		return u.whole(x.X, visiting)
	case *ssa.Slice:
		_, local := x.X.(*ssa.Alloc)
		return local && x.Low == nil && x.High == nil && x.Max == nil
	case *ssa.Call:
		b, ok := x.Call.Value.(*ssa.Builtin)
		if !ok || b.Name() != "append" {
			return false
		}
		for _, arg := range x.Call.Args {
			if !u.whole(arg, visiting) {
				return false
			}
		}
		return true
	}
	return false
}
