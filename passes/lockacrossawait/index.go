package lockacrossawait

import (
	"fmt"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Index identity.
//
// The Lock and the Unlock of an indexed mutex (c.shards[h%16].mu,
// mus[k]) are different SSA instructions that compute their index again,
// so the index is part of the access path as an expression: two indexes
// are equal when they render equally. Unlike the rest of a path, where a
// reloaded pointer is assumed to be the same (s.mu through two loads of
// s), an index renders equally only when its values are provably equal,
// because matching an Unlock with the wrong Lock would hide a report:
//
//   - constants, by their value;
//   - parameters, which never change;
//   - pure operations (arithmetic, comparisons, conversions, field values)
//     of equal operands;
//   - a load of a local variable that does not escape, keyed by the
//     variable, also from a closure inlined at its call: a store to it
//     makes the locks whose key reads it stale (see stale);
//   - a load of a captured variable in a closure analyzed on its own, when
//     nothing assigns the variable after the capture (see stableCapture);
//   - any other value (a call, a load of a field or a global, a receive, a
//     phi) by its own identity, so that only the same SSA value matches.
//
// A value computed again, such as a phi at a loop header or an
// instruction of a closure inlined a second time, is a new value under the
// same name: at its definition the locks whose key names it become stale.
// Rejected: value numbering over the whole function, which would also need
// an alias analysis to know which stores a load sees.

// index returns the canonical spelling of index value v.
func (a *analyzer) index(fr *frame, v ssa.Value, depth int) string {
	if depth > maxPath {
		return a.identity(fr, v)
	}
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value == nil {
			return "nil"
		}
		// 1, not 1:int: the element is the same. A "$" would read as a
		// parameter (see replaceParams).
		return strings.ReplaceAll(v.Value.ExactString(), "$", `\x24`)
	case *ssa.Parameter, *ssa.FreeVar:
		if p, ok := fr.ienv[v]; ok {
			return p
		}
		if p, ok := fr.env[v]; ok && fr.parent == nil {
			return p // a root's parameter: "$i"
		}
	case *ssa.BinOp:
		return "(" + a.index(fr, v.X, depth+1) + " " + v.Op.String() + " " + a.index(fr, v.Y, depth+1) + ")"
	case *ssa.UnOp:
		switch v.Op {
		case token.MUL:
			if k := a.loadKey(fr, v.X); k != "" {
				return k
			}
		case token.ARROW:
			// A receive takes a new value each time.
		default:
			return v.Op.String() + a.index(fr, v.X, depth+1)
		}
	case *ssa.Convert:
		return v.Type().String() + "(" + a.index(fr, v.X, depth+1) + ")"
	case *ssa.ChangeType:
		return v.Type().String() + "(" + a.index(fr, v.X, depth+1) + ")"
	case *ssa.MakeInterface:
		return v.Type().String() + "(" + a.index(fr, v.X, depth+1) + ")"
	case *ssa.Field:
		return a.index(fr, v.X, depth+1) + "." + fieldName(v.X.Type(), v.Field)
	}
	return a.identity(fr, v)
}

// loadKey returns the spelling of a load through ptr when every load of it
// between two stores reads the same value: ptr is a local variable that does
// not escape, or an inlined closure's by-reference capture of one. It
// returns "" otherwise.
func (a *analyzer) loadKey(fr *frame, ptr ssa.Value) string {
	switch p := ptr.(type) {
	case *ssa.Alloc:
		if a.stableAlloc(p) {
			return "*" + a.identity(fr, p)
		}
	case *ssa.FreeVar:
		if k, inlined := fr.iload[p]; inlined {
			// The caller's variable, whose stores the caller's dataflow
			// sees.
			return k
		}
		if a.stableCapture(p) {
			return "*" + a.identity(fr, p)
		}
	}
	return ""
}

// stableAlloc reports whether alloc is a local variable that only its own
// function stores to: its address is only loaded from, stored to, or
// captured by closures that only read it. Every store is then visible to
// the dataflow, which makes the keys that read the variable stale.
func (a *analyzer) stableAlloc(alloc *ssa.Alloc) bool {
	if ok, seen := a.stable[alloc]; seen {
		return ok
	}
	ok := allocOnlyLoadedAndStored(alloc)
	a.stable[alloc] = ok
	return ok
}

// allocOnlyLoadedAndStored reports whether every use of alloc is a load, a
// store to it, or a read-only capture.
func allocOnlyLoadedAndStored(alloc *ssa.Alloc) bool { return onlyLoaded(alloc, true) }

// readOnlyCapture reports whether every free variable that mc binds to v,
// and every closure that captures it in turn, only loads from it.
func readOnlyCapture(mc *ssa.MakeClosure, v ssa.Value) bool {
	fn, _ := mc.Fn.(*ssa.Function)
	if fn == nil {
		return false
	}
	for i, b := range mc.Bindings {
		if b != v {
			continue
		}
		if i >= len(fn.FreeVars) || !onlyLoaded(fn.FreeVars[i], false) {
			return false
		}
	}
	return true
}

// onlyLoaded reports whether every use of the variable v (an Alloc or a
// captured free variable) is a load, a store of another value to it when
// stores is set, or a read-only capture by a closure.
func onlyLoaded(v ssa.Value, stores bool) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
		case *ssa.Store:
			if !stores || r.Addr != v || r.Val == v {
				return false
			}
		case *ssa.DebugRef:
		case *ssa.MakeClosure:
			if !readOnlyCapture(r, v) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// stableCapture reports whether a load of free variable fv, in a closure
// analyzed on its own, reads the same value every time: wherever the
// closure is made, fv is bound to a stable local variable of the parent
// that nothing assigns after the capture (or to such a capture of the
// parent's own). The closure may be a spawned body that runs while its
// parent goes on, so a later assignment by the parent could land between
// two loads.
func (a *analyzer) stableCapture(fv *ssa.FreeVar) bool {
	fn := fv.Parent()
	parent := fn.Parent()
	i := slices.Index(fn.FreeVars, fv)
	if parent == nil || i < 0 {
		return false
	}
	found := false
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok || mc.Fn != fn || i >= len(mc.Bindings) {
				continue
			}
			found = true
			switch bound := mc.Bindings[i].(type) {
			case *ssa.Alloc:
				if !a.stableAlloc(bound) || storedAfter(bound, mc) {
					return false
				}
			case *ssa.FreeVar:
				if !a.stableCapture(bound) {
					return false
				}
			default:
				return false
			}
		}
	}
	return found
}

// storedAfter reports whether some path from mc stores to alloc before it
// executes alloc again (a loop's per-iteration variable is a new one each
// time).
func storedAfter(alloc *ssa.Alloc, mc *ssa.MakeClosure) bool {
	stores := func(instrs []ssa.Instruction) bool {
		return slices.ContainsFunc(instrs, func(instr ssa.Instruction) bool {
			st, ok := instr.(*ssa.Store)
			return ok && st.Addr == alloc
		})
	}
	start := mc.Block()
	if stores(start.Instrs[position(mc)+1:]) {
		return true
	}
	seen := make([]bool, len(start.Parent().Blocks))
	stack := slices.Clone(start.Succs)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b.Index] {
			continue
		}
		seen[b.Index] = true
		if b == alloc.Block() {
			if stores(b.Instrs[:position(alloc)]) {
				return true
			}
			continue // a new variable from here on
		}
		if stores(b.Instrs) {
			return true
		}
		stack = append(stack, b.Succs...)
	}
	return false
}

// identity returns the name of v as a value of its own, and remembers it so
// that the dataflow makes the keys that name it stale when v is computed
// again (see stale).
func (a *analyzer) identity(fr *frame, v ssa.Value) string {
	tok := fmt.Sprintf("%s:%s", fr.fn, v.Name())
	if _, isInstr := v.(ssa.Instruction); isInstr {
		a.tokens[v] = tok
	}
	return tok
}

// stale makes the locks of st whose key names tok stale, when the value tok
// names is computed again or the variable it loads is stored to: a prime
// after the name marks the previous value, which no later key names. The
// lock stays held, under a key that no release matches.
func stale(st *lockset, tok string) *lockset {
	if !slices.ContainsFunc(st.locks, func(h held) bool { return indexToken(h.key, tok) >= 0 }) {
		return st
	}
	out := &lockset{}
	for _, h := range st.locks {
		key := primed(h.key, tok)
		for _, s := range h.sites {
			out.add(key, s)
		}
	}
	return out
}

// primed returns key with a prime after each whole occurrence of tok.
func primed(key, tok string) string {
	var b strings.Builder
	for {
		i := indexToken(key, tok)
		if i < 0 {
			break
		}
		end := i + len(tok)
		b.WriteString(key[:end])
		b.WriteByte('\'')
		key = key[end:]
	}
	b.WriteString(key)
	return b.String()
}

// indexToken returns the index of the first whole occurrence of tok in s,
// one not followed by more of a name or by a prime already, or -1.
func indexToken(s, tok string) int {
	for off := 0; ; {
		i := strings.Index(s[off:], tok)
		if i < 0 {
			return -1
		}
		end := off + i + len(tok)
		if end == len(s) || !isNameByte(s[end]) {
			return off + i
		}
		off += i + 1
	}
}

// isNameByte reports whether c continues an SSA value's name (t12, x) or
// marks it primed.
func isNameByte(c byte) bool {
	return c == '_' || c == '\'' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
