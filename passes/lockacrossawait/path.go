package lockacrossawait

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
)

// lockKey returns the identity of the lock op acts on.
func (a *analyzer) lockKey(fr *frame, op *lockOp, common *ssa.CallCommon, instr *ssa.Call) string {
	var key string
	switch op.ident {
	case byNothing:
		key = op.pseudo
	case byResult:
		key = a.path(fr, instr, 0)
	default:
		if recv := receiver(common); recv != nil {
			key = a.path(fr, recv, 0)
		}
	}
	if op.read {
		key += "(r)"
	}
	return key
}

// receiver returns the receiver of a method call: the interface value of
// an invoke, the bound receiver of a method value (lock := mu.Lock; lock()),
// or the first argument of a static call.
func receiver(common *ssa.CallCommon) ssa.Value {
	if common.IsInvoke() {
		return common.Value
	}
	if mc, ok := common.Value.(*ssa.MakeClosure); ok {
		if mc.Fn.(*ssa.Function).Parent() == nil && len(mc.Bindings) == 1 {
			return mc.Bindings[0]
		}
	}
	if len(common.Args) > 0 {
		return common.Args[0]
	}
	return nil
}

// maxPath bounds the length of an access path, and maxGetterDepth the
// depth at which getter calls still count as part of one (each argument
// is a path of its own, so nested calls would multiply the work).
const (
	maxPath        = 16
	maxGetterDepth = 4
)

// path returns the canonical access path of v: its base (a parameter, a
// free variable, a global, a local allocation, or any other value) followed
// by field selections, indexes (see index), dereferences and getter calls.
// Conversions to interfaces such as sync.Locker are transparent, so
// l.Unlock() matches mu.Lock() when l holds &mu. Equal paths name the same
// lock even when they are different SSA values, as two loads of s in
// s.mu.Lock() ... s.mu.Unlock() are.
func (a *analyzer) path(fr *frame, v ssa.Value, depth int) string {
	if depth > maxPath {
		return a.identity(fr, v)
	}
	if p, ok := fr.env[v]; ok {
		return p
	}
	switch v := v.(type) {
	case *ssa.FieldAddr:
		return a.path(fr, v.X, depth+1) + "." + fieldName(v.X.Type(), v.Field)
	case *ssa.Field:
		return a.path(fr, v.X, depth+1) + "." + fieldName(v.X.Type(), v.Field)
	case *ssa.IndexAddr:
		return a.path(fr, v.X, depth+1) + "[" + a.index(fr, v.Index, depth+1) + "]"
	case *ssa.Index:
		return a.path(fr, v.X, depth+1) + "[" + a.index(fr, v.Index, depth+1) + "]"
	case *ssa.Lookup:
		if !v.CommaOk {
			return a.path(fr, v.X, depth+1) + "[" + a.index(fr, v.Index, depth+1) + "]"
		}
	case *ssa.Extract:
		// The value of a comma-ok lookup: mu, ok := mus[k].
		if l, ok := v.Tuple.(*ssa.Lookup); ok && v.Index == 0 {
			return a.path(fr, l.X, depth+1) + "[" + a.index(fr, l.Index, depth+1) + "]"
		}
	case *ssa.UnOp:
		// Loads are transparent: s.mu reached through a pointer field or
		// a value copy of the struct holding it is the same lock.
		if v.Op == token.MUL {
			return a.path(fr, v.X, depth+1)
		}
	case *ssa.MakeInterface:
		return a.path(fr, v.X, depth+1)
	case *ssa.ChangeInterface:
		return a.path(fr, v.X, depth+1)
	case *ssa.ChangeType:
		return a.path(fr, v.X, depth+1)
	case *ssa.Call:
		// A getter called twice with the same arguments, as in
		// s.mutex().Lock() ... s.mutex().Unlock(), is assumed to return
		// the same lock.
		if callee := asyncapi.Callee(v.Common()); callee != nil && depth < maxGetterDepth {
			args := make([]string, len(v.Call.Args))
			for i, arg := range v.Call.Args {
				args[i] = a.path(fr, arg, depth+1)
			}
			return callee.FullName() + "(" + strings.Join(args, ", ") + ")"
		}
	case *ssa.Alloc:
		// A parameter spilled to the stack (t0 = local T (h); *t0 = h) is
		// the parameter itself.
		if p := spilledParam(v); p != nil {
			return a.path(fr, p, depth+1)
		}
	case *ssa.Global:
		return v.String()
	case *ssa.Const:
		return v.String()
	}
	return a.identity(fr, v)
}

// spilledParam returns the parameter that alloc holds, when its only store
// is of that parameter: how SSA spills a parameter whose address is taken.
func spilledParam(alloc *ssa.Alloc) *ssa.Parameter {
	refs := alloc.Referrers()
	if refs == nil {
		return nil
	}
	var param *ssa.Parameter
	for _, r := range *refs {
		st, ok := r.(*ssa.Store)
		if !ok || st.Addr != alloc {
			continue
		}
		p, ok := st.Val.(*ssa.Parameter)
		if !ok || param != nil {
			return nil // assigned again, or from something else
		}
		param = p
	}
	return param
}

// fieldName returns the name of field i of the struct that t (a struct or a
// pointer to one) denotes.
func fieldName(t types.Type, i int) string {
	t = t.Underlying()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem().Underlying()
	}
	if st, ok := t.(*types.Struct); ok && i < st.NumFields() {
		return st.Field(i).Name()
	}
	return fmt.Sprintf("#%d", i)
}
