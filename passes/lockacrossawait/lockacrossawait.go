package lockacrossawait

import (
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/analysisdoc"
	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/config"
	"github.com/asynclint/asynclint/internal/report"
)

//go:embed doc.go
var doc string

const name = "lockacrossawait"

// Analyzer is the lockacrossawait check with the default configuration.
var Analyzer = New(nil)

// New returns a lockacrossawait analyzer configured by cfg (nil means the
// defaults). The analyzer owns a copy of its settings: its -mustnothold flag
// adds to that copy, never to cfg or to another instance.
func New(cfg *config.Config) *analysis.Analyzer {
	s := &settings{}
	if cfg != nil {
		s.mustNotHold = append(s.mustNotHold, cfg.Lockacrossawait.MustNotHold...)
	}
	a := &analysis.Analyzer{
		Name:      name,
		Doc:       analysisdoc.MustExtract(doc, name),
		URL:       "https://pkg.go.dev/github.com/asynclint/asynclint/passes/lockacrossawait",
		Requires:  []*analysis.Analyzer{asyncapi.Analyzer},
		Run:       s.run,
		FactTypes: []analysis.Fact{new(maySuspend), new(lockEffect)},
	}
	a.Flags.Init(name, flag.ContinueOnError)
	a.Flags.Var((*typeReasonFlag)(s), "mustnothold",
		"`pkg/path.Type=reason`: a type whose values must not be held across an await (repeatable)")
	return a
}

// settings is one analyzer instance's configuration.
type settings struct {
	mustNotHold []config.TypeReason
}

// typeReasonFlag adds "pkg/path.Type=reason" entries to settings.
type typeReasonFlag settings

func (f *typeReasonFlag) String() string {
	if f == nil {
		return ""
	}
	var parts []string
	for _, tr := range f.mustNotHold {
		parts = append(parts, tr.Type+"="+tr.Reason)
	}
	return strings.Join(parts, ",")
}

func (f *typeReasonFlag) Set(v string) error {
	typ, reason, _ := strings.Cut(v, "=")
	if err := config.ValidType(typ); err != nil {
		return err
	}
	f.mustNotHold = append(f.mustNotHold, config.TypeReason{Type: typ, Reason: reason})
	return nil
}

// analyzer is the state of one run on one package.
type analyzer struct {
	pass        *analysis.Pass
	api         *asyncapi.API
	mustNotHold []config.TypeReason
	local       map[*types.Func]bool        // maySuspend of this package's functions
	effects     map[*types.Func]*lockEffect // lock effects of this package's functions
	released    map[string]bool             // while summarizing: the caller's locks released

	sites       []*site                         // lock sites, in discovery order
	siteIndex   map[ssa.Instruction]int         // acquiring call -> index in sites
	helperSites map[siteKey]int                 // call of a helper returning with a lock held -> index in sites
	calls       map[token.Pos]*callSyntax       // by Lparen; built with selectors on first use
	selectors   map[token.Pos]*ast.SelectorExpr // by Sel position
}

// site is one acquiring call and the await points it may be held across.
type site struct {
	pos, end token.Pos
	name     string // the lock as the user spells it: s.mu
	op       *lockOp
	awaits   map[token.Pos]bool
}

// run is the plan:
//
//  1. skip packages that cannot reach the runtime, and the runtime itself;
//  2. decide which functions may suspend and export maySuspend facts;
//  3. summarize which of their callers' locks functions release or return
//     holding, and export lockEffect facts;
//  4. run the lockset dataflow over every function, inlining synchronously
//     called closures, and note each await point reached while a lock may be
//     held;
//  5. report each lock site once, with its await points as related positions.
func (s *settings) run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[asyncapi.Analyzer].(*asyncapi.Result)
	if res.API == nil {
		return nil, nil // doesn't import the runtime
	}
	if pass.Pkg.Path() == asyncapi.RuntimePath {
		return nil, nil // the runtime itself: asyncapi's table models its API, no facts needed
	}
	_, funcs := res.SSA()
	if funcs == nil {
		return nil, nil // standard library: no tasks, no facts
	}
	a := &analyzer{
		pass:        pass,
		api:         res.API,
		mustNotHold: s.mustNotHold,
		local:       make(map[*types.Func]bool),
		effects:     make(map[*types.Func]*lockEffect),
		siteIndex:   make(map[ssa.Instruction]int),
		helperSites: make(map[siteKey]int),
	}
	a.computeFacts(funcs)
	a.computeEffects(funcs)

	// Await points noted while the effects were still changing may not
	// hold: start the final pass afresh.
	for _, st := range a.sites {
		clear(st.awaits)
	}
	for _, fn := range funcs {
		if fn.Blocks == nil || !a.hasLockOps(fn) {
			continue // no lockset to track
		}
		a.flow(a.rootFrame(fn), &lockset{})
	}

	r := report.New(pass, name)
	a.report(r)
	r.Finish()
	return nil, nil
}

// hasLockOps reports whether fn or a closure nested in it calls a lock
// operation or a function with a lock effect: only then can fn hold a lock
// across an await.
func (a *analyzer) hasLockOps(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if a.opOf(call.Common()) != nil {
				return true
			}
			if e := a.effectOf(call.Common()); e != nil && !e.empty() {
				return true
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if a.hasLockOps(anon) {
			return true
		}
	}
	return false
}

// frame is one function being analyzed: a root, or a closure inlined at a
// synchronous call, whose parameters and free variables then stand for the
// caller's access paths.
type frame struct {
	fn     *ssa.Function
	env    map[ssa.Value]string     // inlined closure's params and free vars -> caller's path
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
		st = a.suspension(fr, common, defers[i].Pos(), st)
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
			return a.suspension(fr, common, instr.Pos(), st)
		}
		st = a.applyReleases(fr, common, e, st)
		if st = a.suspension(fr, common, instr.Pos(), st); st == nil {
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
func (a *analyzer) suspension(fr *frame, common *ssa.CallCommon, pos token.Pos, st *lockset) *lockset {
	switch s, callee := a.api.Suspension(common); s {
	case asyncapi.Suspends, asyncapi.MaySuspend:
		a.await(st, pos)
	case asyncapi.AskFact:
		if a.calleeSuspends(callee) {
			a.await(st, pos)
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
	env := make(map[ssa.Value]string)
	for i, p := range callee.Params {
		if i < len(args) {
			env[p] = a.path(fr, args[i], 0)
		}
	}
	if mc != nil {
		for i, fv := range callee.FreeVars {
			if i < len(mc.Bindings) {
				env[fv] = a.path(fr, mc.Bindings[i], 0)
			}
		}
	}
	return a.flow(&frame{fn: callee, env: env, parent: fr, depth: fr.depth + 1}, st)
}

// maxYieldRounds bounds the iterations of a range-over-func body analyzed
// at its iterator's call; the lockset grows monotonically, so a few suffice.
const maxYieldRounds = 4

// rangeBodies applies the bodies of range-over-func loops that a call
// receives: for x := range seq { ... } calls seq with the body as a
// synthetic yield closure, which runs zero or more times inside the call.
// The state after the call is the union over any number of iterations.
func (a *analyzer) rangeBodies(fr *frame, common *ssa.CallCommon, st *lockset) *lockset {
	for _, arg := range common.Args {
		body, mc := yieldBody(arg)
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

// yieldBody returns the range-over-func body closure that v is, if any.
func yieldBody(v ssa.Value) (*ssa.Function, *ssa.MakeClosure) {
	var fn *ssa.Function
	mc, _ := v.(*ssa.MakeClosure)
	if mc != nil {
		fn, _ = mc.Fn.(*ssa.Function)
	} else {
		fn, _ = v.(*ssa.Function)
	}
	if fn == nil || !asyncapi.IsRangeBody(fn) {
		return nil, nil
	}
	return fn, mc
}

// await records that every lock in st may be held across the await point at
// pos.
func (a *analyzer) await(st *lockset, pos token.Pos) {
	if len(st.locks) == 0 {
		return
	}
	if cs := a.syntax(pos); cs != nil {
		pos = cs.call.Pos()
	}
	for _, h := range st.locks {
		for _, i := range h.sites {
			a.sites[i].awaits[pos] = true
		}
	}
}

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
// by field selections, dereferences and getter calls. Conversions to
// interfaces such as sync.Locker are transparent, so l.Unlock() matches
// mu.Lock() when l holds &mu. Equal paths name the same lock even when they
// are different SSA values, as two loads of s in s.mu.Lock() ...
// s.mu.Unlock() are.
func (a *analyzer) path(fr *frame, v ssa.Value, depth int) string {
	if depth > maxPath {
		return fmt.Sprintf("%s:%s", fr.fn, v.Name())
	}
	if p, ok := fr.env[v]; ok {
		return p
	}
	switch v := v.(type) {
	case *ssa.FieldAddr:
		return a.path(fr, v.X, depth+1) + "." + fieldName(v.X.Type(), v.Field)
	case *ssa.Field:
		return a.path(fr, v.X, depth+1) + "." + fieldName(v.X.Type(), v.Field)
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
	return fmt.Sprintf("%s:%s", fr.fn, v.Name())
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

// siteOf returns the index of the site of acquiring call instr, creating it
// on first sight. A call inlined in several contexts is one site.
func (a *analyzer) siteOf(instr *ssa.Call, op *lockOp) int {
	if i, ok := a.siteIndex[instr]; ok {
		return i
	}
	s := &site{pos: instr.Pos(), end: instr.Pos(), op: op, awaits: make(map[token.Pos]bool)}
	if cs := a.syntax(instr.Pos()); cs != nil {
		s.pos, s.end = cs.call.Pos(), cs.call.End()
		s.name = a.spell(instr, op, cs)
	}
	if s.name == "" {
		s.name = op.pseudo
	}
	if s.name == "" {
		s.name = "the lock"
	}
	a.sites = append(a.sites, s)
	a.siteIndex[instr] = len(a.sites) - 1
	return len(a.sites) - 1
}

// report reports each lock site held across at least one await point.
func (a *analyzer) report(r *report.Reporter) {
	sites := append([]*site(nil), a.sites...)
	sort.SliceStable(sites, func(i, j int) bool { return sites[i].pos < sites[j].pos })
	for _, s := range sites {
		if len(s.awaits) == 0 {
			continue
		}
		awaits := make([]token.Pos, 0, len(s.awaits))
		for p := range s.awaits {
			awaits = append(awaits, p)
		}
		sort.Slice(awaits, func(i, j int) bool { return awaits[i] < awaits[j] })
		verb := "held"
		if s.op.read {
			verb = "read-locked"
		}
		d := analysis.Diagnostic{
			Pos:      s.pos,
			End:      s.end,
			Category: s.op.category,
			Message:  fmt.Sprintf("%s (%s) is %s across an await (%s)", s.name, s.op.class, verb, s.op.reason),
		}
		for _, p := range awaits {
			d.Related = append(d.Related, analysis.RelatedInformation{
				Pos:     p,
				Message: fmt.Sprintf("await while %s is %s", s.name, verb),
			})
		}
		r.Report(d)
	}
}

// callSyntax is a call expression and the single variable its result is
// assigned to, if any.
type callSyntax struct {
	call     *ast.CallExpr
	assigned ast.Expr
}

// syntax returns the call expression whose left parenthesis is at lparen
// (where SSA places a call), indexing the package's calls on first use.
func (a *analyzer) syntax(lparen token.Pos) *callSyntax {
	if a.calls == nil {
		a.calls = make(map[token.Pos]*callSyntax)
		a.selectors = make(map[token.Pos]*ast.SelectorExpr)
		for _, f := range a.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					a.selectors[n.Sel.Pos()] = n
				case *ast.CallExpr:
					if a.calls[n.Lparen] == nil {
						a.calls[n.Lparen] = &callSyntax{call: n}
					}
				case *ast.AssignStmt:
					if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
						if c, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
							a.calls[c.Lparen] = &callSyntax{call: c, assigned: n.Lhs[0]}
						}
					}
				case *ast.ValueSpec:
					if len(n.Names) == 1 && len(n.Values) == 1 {
						if c, ok := ast.Unparen(n.Values[0]).(*ast.CallExpr); ok {
							a.calls[c.Lparen] = &callSyntax{call: c, assigned: n.Names[0]}
						}
					}
				}
				return true
			})
		}
	}
	return a.calls[lparen]
}

// spell renders the lock of an acquiring call as the user wrote it: the
// receiver of s.mu.Lock(), with the embedded fields a promoted s.Lock()
// goes through (s.Mutex), or the variable a guard is assigned to.
func (a *analyzer) spell(instr *ssa.Call, op *lockOp, cs *callSyntax) string {
	fset := a.pass.Fset
	switch op.ident {
	case byNothing:
		return op.pseudo
	case byResult:
		if cs.assigned != nil {
			return report.Render(fset, cs.assigned)
		}
		return report.Render(fset, cs.call)
	}
	sel, ok := ast.Unparen(cs.call.Fun).(*ast.SelectorExpr)
	if !ok {
		// A method value called later (lock := s.mu.Lock; lock()): SSA
		// places its bound closure at the selector's Sel.
		if mc, isClosure := instr.Call.Value.(*ssa.MakeClosure); isClosure {
			sel = a.selectors[mc.Pos()]
		}
		if sel == nil {
			return ""
		}
	}
	name := report.Render(fset, sel.X)
	selection := a.pass.TypesInfo.Selections[sel]
	if selection == nil {
		return name
	}
	t := selection.Recv()
	idx := selection.Index()
	for _, i := range idx[:len(idx)-1] {
		under := t.Underlying()
		if p, ok := under.(*types.Pointer); ok {
			under = p.Elem().Underlying()
		}
		st, ok := under.(*types.Struct)
		if !ok || i >= st.NumFields() {
			break
		}
		f := st.Field(i)
		name += "." + f.Name()
		t = f.Type()
	}
	return name
}
