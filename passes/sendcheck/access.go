package sendcheck

import (
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
)

// accessKind says how an instruction touches a shared value.
type accessKind uint8

const (
	read  accessKind = iota
	write            // a store, a map update or delete
	use              // a method call on (or other use of) a type unsafe for concurrent use: a write
)

func (k accessKind) writes() bool { return k != read }

// who is the party other than the task that touches a shared value.
type who uint8

const (
	bySpawner who = iota // the spawning function, before it joins the task
	bySibling            // another task spawned by the same function
	bySelf               // another instance of the same task (a spawn in a loop)
)

// access is one instruction touching a shared value.
type access struct {
	at    ssa.Instruction // the access
	frame ssa.Instruction // where it happens as seen from the spawner: at, or the closure or spawn that contains it
	kind  accessKind
	path  string // which part: "" the variable, "*" what it points to, ".f1;" a field...
	who   who
	site  *spawnSite // for bySibling: the other spawn
	typ   types.Type // for use: the unsafe type used, when it is part of the captured value

	// hint is the place to report when neither at nor frame has one: an
	// access inside a synthetic wrapper (a method value's), or one known
	// only from another package's fact. It is the spawn.
	hint token.Pos

	// unlocked marks an access known from a paramAccesses fact, which keeps
	// only accesses made without a lock: at is not where it happens.
	unlocked bool

	// rename maps the locks held at the access to the spawner's names: in
	// a method that runs as the task, its receiver parameter (from) is the
	// spawner's value (to), so r.mu held there is the spawner's s.mu.
	rename *keyRename
}

// keyRename substitutes the root of lock keys that start with from.
type keyRename struct{ from, to string }

func (r *keyRename) apply(l lockset) lockset {
	if r == nil {
		return l
	}
	var out lockset
	for _, k := range l {
		if rest, ok := strings.CutPrefix(k, r.from); ok && (rest == "" || strings.ContainsAny(rest[:1], ".*[#")) {
			k = r.to + rest
		}
		out = out.with(k)
	}
	return out
}

func (a *access) pos() token.Pos {
	if a.unlocked && a.hint.IsValid() {
		return a.hint
	}
	if p := a.at.Pos(); p.IsValid() {
		return p
	}
	if p := a.frame.Pos(); p.IsValid() {
		return p
	}
	return a.hint
}

// conflicts reports whether a and b race on the same part of a value: one of
// them writes a part that contains what the other touches. Writing a map's
// contents (path "*") does not conflict with reading the variable holding
// the map (path ""), but assigning the variable conflicts with both.
func conflicts(a, b *access) bool {
	return a.kind.writes() && strings.HasPrefix(b.path, a.path) ||
		b.kind.writes() && strings.HasPrefix(a.path, b.path)
}

// walker collects the accesses to one shared value in one party's code.
type walker struct {
	c      *checker
	frame  ssa.Instruction // nil: each access is its own frame
	who    who
	site   *spawnSite
	hint   token.Pos  // see access.hint
	rename *keyRename // see access.rename
	out    []*access

	// enter decides what to do with a closure that captures the value; nil
	// walks it as part of the same party. cell says whether fv is the cell
	// of a variable that holds the value (see walkCell) rather than the
	// value itself.
	enter func(w *walker, mc *ssa.MakeClosure, fv *ssa.FreeVar, path string, cell bool)
}

func (w *walker) emit(at ssa.Instruction, k accessKind, path string) {
	frame := w.frame
	if frame == nil {
		frame = at
	}
	w.out = append(w.out, &access{at: at, frame: frame, kind: k, path: path, who: w.who, site: w.site, hint: w.hint, rename: w.rename})
}

// walk records the uses of v and of the values derived from it: loads,
// field addresses, conversions and the free variables of closures.
//
// Element addresses (s[i], a[i]) are deliberately not followed: tasks that
// each fill their own element of a shared slice are the common, correct
// fan-out pattern, and indices are beyond this pass.
//
// ut is the type not safe for concurrent use that v is (or is part of),
// once one is found on the way from the captured value; nil before.
func (w *walker) walk(v ssa.Value, path string, ut types.Type, depth int) {
	if depth > 8 || v.Referrers() == nil {
		return
	}
	ut = w.unsafeType(v, ut)
	for _, u := range *v.Referrers() {
		w.use(u, v, path, ut, depth)
	}
}

// unsafeType returns ut, or v's type if that is the first type not safe for
// concurrent use on the way from the shared value.
func (w *walker) unsafeType(v ssa.Value, ut types.Type) types.Type {
	if ut != nil || !w.c.types.isUnsafe(v.Type()) {
		return ut
	}
	if _, ok := v.(*ssa.FieldAddr); ok {
		return deref(v.Type()) // the field's own type
	}
	return v.Type()
}

// walkGlobal records the uses of package-level variable g in fn and, if
// nested is set, in the closures inside fn. Globals have no referrers in
// SSA, so the instructions are scanned.
func (w *walker) walkGlobal(fn *ssa.Function, g *ssa.Global, nested bool) {
	ut := w.unsafeType(g, nil)
	var ops []*ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ops = instr.Operands(ops[:0])
			for _, op := range ops {
				if op != nil && *op == ssa.Value(g) {
					w.use(instr, g, "", ut, 0)
					break
				}
			}
		}
	}
	if nested {
		for _, anon := range fn.AnonFuncs {
			w.walkGlobal(anon, g, true)
		}
	}
}

// use records how instruction u uses v (see walk).
func (w *walker) use(u ssa.Instruction, v ssa.Value, path string, ut types.Type, depth int) {
	switch u := u.(type) {
	case *ssa.Store:
		if u.Addr == v {
			w.emit(u, write, path)
		} else if u.Val == v && w.c.onlyValue(u.Addr) == v {
			w.walkCell(u.Addr, path, ut, depth+1)
		}
	case *ssa.UnOp:
		if u.Op == token.MUL {
			w.emit(u, read, path)
			w.walk(u, path+"*", nil, depth+1)
		}
	case *ssa.FieldAddr:
		w.walk(u, path+".f"+strconv.Itoa(u.Field)+";", ut, depth+1)
	case *ssa.Field:
		w.walk(u, path+".f"+strconv.Itoa(u.Field)+";", ut, depth+1)
	case *ssa.MapUpdate:
		if u.Map == v {
			w.emit(u, write, path)
		}
	case *ssa.Lookup:
		if u.X == v && isMap(v.Type()) {
			w.emit(u, read, path)
		}
	case *ssa.Range:
		if isMap(v.Type()) {
			w.emit(u, read, path)
		}
	case *ssa.MakeInterface:
		w.walk(u, path, ut, depth+1)
	case *ssa.ChangeInterface:
		w.walk(u, path, ut, depth+1)
	case *ssa.ChangeType:
		w.walk(u, path, ut, depth+1)
	case *ssa.Convert:
		w.walk(u, path, ut, depth+1)
	case *ssa.MakeClosure:
		for i, b := range u.Bindings {
			if b != v {
				continue
			}
			w.closure(u, u.Fn.(*ssa.Function).FreeVars[i], path, ut, depth, false)
		}
	case ssa.CallInstruction:
		w.call(u, v, path, ut)
		w.callee(u, v, path)
	}
}

// walkCell records the uses of the value that cell, the heap cell of a
// variable assigned that value only (see checker.onlyValue), holds. go/ssa
// moves a variable that a closure captures into such a cell, a parameter
// too: in func (s *store) add() { s.each(func() { s.tot++ }) } every use
// of s, in add and in its closure, loads the cell. A load is the value
// itself, not an access: the variable is not the shared memory.
func (w *walker) walkCell(cell ssa.Value, path string, ut types.Type, depth int) {
	if depth > 8 || cell.Referrers() == nil {
		return
	}
	for _, u := range *cell.Referrers() {
		switch u := u.(type) {
		case *ssa.UnOp:
			if u.Op == token.MUL {
				w.walk(u, path, ut, depth+1)
			}
		case *ssa.MakeClosure:
			for i, b := range u.Bindings {
				if b == cell {
					w.closure(u, u.Fn.(*ssa.Function).FreeVars[i], path, ut, depth, true)
				}
			}
		}
	}
}

// closure follows the value into closure mc through its free variable fv,
// which is the value or, if cell is set, the cell holding it.
func (w *walker) closure(mc *ssa.MakeClosure, fv *ssa.FreeVar, path string, ut types.Type, depth int, cell bool) {
	switch {
	case w.enter != nil:
		w.enter(w, mc, fv, path, cell)
	case cell:
		w.walkCell(fv, path, ut, depth+1)
	default:
		w.walk(fv, path, ut, depth+1)
	}
}

// callee records the accesses a static callee makes through the parameter
// that receives v, known from its paramAccesses fact: s.record() writes
// s's fields as surely as s.count++ does.
func (w *walker) callee(u ssa.CallInstruction, v ssa.Value, path string) {
	common := u.Common()
	if _, isGo := u.(*ssa.Go); isGo || w.c.facts == nil {
		return // a go statement is not this party's access
	}
	as := w.c.facts.accessesOf(asyncapi.Callee(common))
	for _, a := range as {
		if a.Param < len(common.Args) && common.Args[a.Param] == v {
			k := read
			if a.Write {
				k = write
			}
			w.emit(u, k, path+a.Path)
		}
	}
}

// call records a call that uses v: delete and clear write a map; any call
// that receives a value of unsafe type ut (as receiver or argument) counts
// as a write, since its methods mutate hidden state.
func (w *walker) call(u ssa.CallInstruction, v ssa.Value, path string, ut types.Type) {
	common := u.Common()
	if b, ok := common.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "delete", "clear":
			if len(common.Args) > 0 && common.Args[0] == v && isMap(v.Type()) {
				w.emit(u, write, path)
			}
		}
		return
	}
	if ut == nil || !(common.IsInvoke() && common.Value == v || slices.Contains(common.Args, v)) {
		return
	}
	w.emit(u, use, path)
	if path != "" {
		// A part of the captured value (a field, or what a variable holds):
		// name the part's type, not the whole value's.
		w.out[len(w.out)-1].typ = ut
	}
}

func isMap(t types.Type) bool {
	_, ok := t.Underlying().(*types.Map)
	return ok
}
