package lockacrossawait

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/report"
)

// lockEffect is the fact of a function that leaves locks of its caller
// changed: it releases a lock reached from a parameter or a global
// (func (s *S) unlock() { s.mu.Unlock() }), or returns with one held
// (func (s *S) lock() { s.mu.Lock() }). Keys are access paths whose base is
// "$i", the i'th parameter (the receiver is $0), or a global or pseudo-lock
// name; the caller substitutes its own path for the argument.
type lockEffect struct {
	Acquires []heldEffect // sorted by Key
	Releases []string     // sorted
}

// heldEffect is a lock that may still be held when the function returns.
type heldEffect struct {
	Key      string // "$0.mu", "$1.rw(r)", "example.com/p.mu"
	Name     string // how the helper spells a global or pseudo-lock
	Read     bool
	Class    string
	Reason   string
	Category string
}

func (*lockEffect) AFact() {}

// String lists the effect, e.g. "acquires $0.mu; releases $1.mu".
func (e *lockEffect) String() string {
	var parts []string
	if len(e.Acquires) > 0 {
		keys := make([]string, len(e.Acquires))
		for i, h := range e.Acquires {
			keys[i] = h.Key
		}
		parts = append(parts, "acquires "+strings.Join(keys, ", "))
	}
	if len(e.Releases) > 0 {
		parts = append(parts, "releases "+strings.Join(e.Releases, ", "))
	}
	return strings.Join(parts, "; ")
}

func (e *lockEffect) empty() bool { return len(e.Acquires) == 0 && len(e.Releases) == 0 }

// paramKey is the access-path base of parameter i in a function whose
// effect is being summarized.
func paramKey(i int) string { return "$" + strconv.Itoa(i) }

// splitParamKey splits "$i<suffix>" into i and suffix.
func splitParamKey(key string) (int, string, bool) {
	if !strings.HasPrefix(key, "$") {
		return 0, "", false
	}
	end := 1
	for end < len(key) && key[end] >= '0' && key[end] <= '9' {
		end++
	}
	i, err := strconv.Atoi(key[1:end])
	if err != nil {
		return 0, "", false
	}
	return i, key[end:], true
}

// exported reports whether key names a lock a caller can see: one based on
// a parameter, a global or a pseudo-lock, with no local value in its path.
// Below a parameter base, a parameter can only be in an index
// ($0.shards[$1]), which bind rewrites too; in a key with another base it
// is a getter's argument (a path, not an index), which bind cannot rewrite.
func exported(key string) bool {
	if strings.Contains(key, ":") {
		return false // a local value
	}
	return strings.HasPrefix(key, "$") || !strings.Contains(key, "$")
}

// replaceParams replaces each parameter "$j" in s with f(j), or reports
// false when f cannot. Index constants never hold a "$" (see index).
func replaceParams(s string, f func(j int) (string, bool)) (string, bool) {
	var b strings.Builder
	for {
		at := strings.IndexByte(s, '$')
		if at < 0 {
			break
		}
		j, rest, ok := splitParamKey(s[at:])
		if !ok {
			return "", false
		}
		sub, ok := f(j)
		if !ok {
			return "", false
		}
		b.WriteString(s[:at])
		b.WriteString(sub)
		s = rest
	}
	b.WriteString(s)
	return b.String(), true
}

// computeEffects summarizes, to a fixed point, the lock effect of every
// declared function of the package, and exports the non-empty ones. The
// effects feed on each other (a helper calling a helper), and a function
// whose effect keeps changing after maxEffectRounds keeps its last one.
func (a *analyzer) computeEffects(funcs []*ssa.Function) {
	const maxEffectRounds = 8
	for round := 0; round < maxEffectRounds; round++ {
		changed := false
		for _, fn := range funcs {
			obj := a.funcObj(fn)
			if obj == nil || fn.Parent() != nil || fn.Blocks == nil || !a.hasLockOps(fn) {
				continue
			}
			e := a.summarize(fn)
			old := a.effects[obj]
			if old == nil && e.empty() || old != nil && old.String() == e.String() {
				continue
			}
			a.effects[obj] = e
			changed = true
		}
		if !changed {
			break
		}
	}
	for _, fn := range funcs {
		if obj := a.funcObj(fn); obj != nil && fn.Parent() == nil {
			if e := a.effects[obj]; e != nil && !e.empty() {
				a.pass.ExportObjectFact(obj, e)
			}
		}
	}
}

// summarize runs the dataflow over fn with its parameters as path bases and
// collects the locks it releases on some path and those that may be held
// when it returns.
func (a *analyzer) summarize(fn *ssa.Function) *lockEffect {
	a.released = make(map[string]bool)
	defer func() { a.released = nil }()
	exit := a.flow(a.rootFrame(fn), &lockset{})

	e := &lockEffect{}
	for key := range a.released {
		if exported(key) {
			e.Releases = append(e.Releases, key)
		}
	}
	slices.Sort(e.Releases)
	if exit != nil {
		for _, h := range exit.locks {
			if !exported(h.key) || len(h.sites) == 0 {
				continue
			}
			s := a.sites[h.sites[0]]
			he := heldEffect{Key: h.key, Read: s.op.read, Class: s.op.class, Reason: s.op.reason, Category: s.op.category}
			if _, _, ok := splitParamKey(h.key); !ok {
				he.Name = s.name
			}
			e.Acquires = append(e.Acquires, he)
		}
	}
	return e
}

// rootFrame returns the frame of fn analyzed on its own: parameters are the
// path bases $0, $1, ...
func (a *analyzer) rootFrame(fn *ssa.Function) *frame {
	env := make(map[ssa.Value]string, len(fn.Params))
	for i, p := range fn.Params {
		env[p] = paramKey(i)
	}
	return &frame{fn: fn, env: env}
}

// effectOf returns the lock effect of a static call's callee, from this
// package's summaries or from the fact of the callee's package.
func (a *analyzer) effectOf(common *ssa.CallCommon) *lockEffect {
	if common.IsInvoke() {
		return nil
	}
	callee := common.StaticCallee()
	if callee == nil || callee.Parent() != nil {
		return nil // dynamic, or a closure (inlined instead)
	}
	obj := a.funcObj(callee)
	if obj == nil {
		return nil
	}
	if obj.Pkg() == a.pass.Pkg {
		return a.effects[obj]
	}
	e := new(lockEffect)
	if a.pass.ImportObjectFact(obj, e) {
		return e
	}
	return nil
}

// bind rewrites a parameter-based key of the callee's effect into the
// caller's access path, or returns "" when it cannot: the base becomes the
// argument's path, and a parameter in an index the argument's index.
func (a *analyzer) bind(fr *frame, common *ssa.CallCommon, key string) string {
	i, suffix, ok := splitParamKey(key)
	if !ok {
		return key
	}
	args := common.Args
	if mc, isClosure := common.Value.(*ssa.MakeClosure); isClosure && len(mc.Bindings) == 1 {
		args = append([]ssa.Value{mc.Bindings[0]}, args...) // a method value's receiver
	}
	if i >= len(args) {
		return ""
	}
	suffix, ok = replaceParams(suffix, func(j int) (string, bool) {
		if j >= len(args) {
			return "", false
		}
		return a.index(fr, args[j], 0), true
	})
	if !ok {
		return ""
	}
	return a.path(fr, args[i], 0) + suffix
}

// applyReleases applies a callee's releases to st. They come before the
// callee's own await points, and its acquisitions after them (see
// applyAcquires), so that a helper that unlocks, awaits and locks again
// (a condition-variable wait) does not hold the lock across its await.
func (a *analyzer) applyReleases(fr *frame, common *ssa.CallCommon, e *lockEffect, st *lockset) *lockset {
	if len(e.Releases) == 0 {
		return st
	}
	st = st.fork()
	for _, key := range e.Releases {
		if k := a.bind(fr, common, key); k != "" {
			a.noteRelease(st, k)
			st.remove(k)
		}
	}
	return st
}

// applyAcquires adds the locks a callee returns with, each a site at the
// call.
func (a *analyzer) applyAcquires(fr *frame, instr *ssa.Call, e *lockEffect, st *lockset) *lockset {
	if len(e.Acquires) == 0 {
		return st
	}
	st = st.fork()
	for _, h := range e.Acquires {
		k := a.bind(fr, instr.Common(), h.Key)
		if k == "" {
			continue
		}
		op := &lockOp{kind: acquire, read: h.Read, class: h.Class, reason: h.Reason, category: h.Category}
		st.add(k, a.helperSite(instr, op, h))
	}
	return st
}

// helperSite returns the site of a call to a helper that returns with a
// lock held. It is reported at the call, naming the lock in the caller's
// terms: the argument's spelling and the path below it.
func (a *analyzer) helperSite(instr *ssa.Call, op *lockOp, h heldEffect) int {
	key := siteKey{instr, h.Key}
	if i, ok := a.helperSites[key]; ok {
		return i
	}
	s := &site{pos: instr.Pos(), end: instr.Pos(), instr: instr, op: op, name: h.Name, awaits: make(map[token.Pos]ssa.CallInstruction)}
	if cs := a.syntax(instr.Pos()); cs != nil {
		s.pos, s.end = cs.call.Pos(), cs.call.End()
		if i, suffix, ok := splitParamKey(h.Key); ok {
			if arg := a.argSyntax(cs.call, i); arg != nil {
				if below, ok := a.displaySuffix(cs.call, suffix); ok {
					s.name = report.Render(a.pass.Fset, arg) + below
				}
			}
		}
	}
	if s.name == "" {
		s.name = "the lock"
	}
	a.sites = append(a.sites, s)
	a.helperSites[key] = len(a.sites) - 1
	return len(a.sites) - 1
}

// siteKey identifies the site of one lock acquired by a helper call.
type siteKey struct {
	instr *ssa.Call
	key   string
}

// argSyntax returns the expression of the call's i'th SSA argument: the
// receiver of a method call is argument 0.
func (a *analyzer) argSyntax(call *ast.CallExpr, i int) ast.Expr {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := a.pass.TypesInfo.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			if i == 0 {
				return sel.X
			}
			i--
		}
	}
	if i < len(call.Args) {
		return call.Args[i]
	}
	return nil
}

// displaySuffix turns the path below a parameter into source spelling for
// a call of the helper: ".in.mu" stays, the read mark "(r)" goes, and a
// parameter in an index becomes the call's argument (".shards[$1 % 16]"
// with argument k+1 reads ".shards[(k + 1) % 16]").
func (a *analyzer) displaySuffix(call *ast.CallExpr, suffix string) (string, bool) {
	suffix = strings.TrimSuffix(suffix, "(r)")
	suffix, ok := replaceParams(suffix, func(j int) (string, bool) {
		arg := a.argSyntax(call, j)
		if arg == nil {
			return "", false
		}
		s := report.Render(a.pass.Fset, arg)
		if _, binary := ast.Unparen(arg).(*ast.BinaryExpr); binary {
			s = "(" + s + ")"
		}
		return s, true
	})
	return unparenIndexes(suffix), ok
}

// unparenIndexes drops the parentheses that enclose a whole index, as in
// [(h % 16)], which index puts around every binary operation.
func unparenIndexes(s string) string {
	for from := 0; ; {
		i := strings.Index(s[from:], "[(")
		if i < 0 {
			return s
		}
		open := from + i + 1
		depth, end := 0, -1
		for k := open; k < len(s) && end < 0; k++ {
			switch s[k] {
			case '(':
				depth++
			case ')':
				if depth--; depth == 0 {
					end = k
				}
			}
		}
		if end < 0 {
			return s
		}
		if end+1 < len(s) && s[end+1] == ']' {
			s = s[:open] + s[open+1:end] + s[end+1:]
		}
		from = open
	}
}

// noteRelease records, while a summary is being computed, the release of a
// lock the function did not acquire itself on this path: its caller's lock.
// A helper that locks and unlocks its own critical section has no effect.
func (a *analyzer) noteRelease(st *lockset, key string) {
	if a.released != nil && !st.has(key) {
		a.released[key] = true
	}
}
