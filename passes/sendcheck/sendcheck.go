package sendcheck

import (
	"cmp"
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
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

// Analyzer is sendcheck with the default configuration.
var Analyzer = New(nil)

// New returns a sendcheck analyzer configured by cfg (nil means the
// defaults). Its flags -nosend and -unsafe add type names to this instance's
// copy of cfg.Sendcheck.
func New(cfg *config.Config) *analysis.Analyzer {
	sc := config.Sendcheck{}
	if cfg != nil {
		sc.NoSend = slices.Clone(cfg.Sendcheck.NoSend)
		sc.Unsafe = slices.Clone(cfg.Sendcheck.Unsafe)
	}
	a := &analysis.Analyzer{
		Name:      "sendcheck",
		Doc:       analysisdoc.MustExtract(doc, "sendcheck"),
		Requires:  []*analysis.Analyzer{asyncapi.Analyzer},
		FactTypes: []analysis.Fact{new(capturesParams), new(spawnsParams), new(paramAccesses), new(awaitsParams), new(lockedCalls), new(callsParams)},
		Run:       func(pass *analysis.Pass) (any, error) { return run(pass, &sc) },
	}
	a.Flags.Var(typeList{&sc.NoSend}, "nosend", "comma-separated pkg/path.Type names bound to one worker, like runtime.NoSend")
	a.Flags.Var(typeList{&sc.Unsafe}, "unsafe", "comma-separated pkg/path.Type names not safe for concurrent use")
	return a
}

// typeList is a flag that appends validated type names to a config list.
type typeList struct{ list *[]config.TypeReason }

func (l typeList) String() string {
	if l.list == nil {
		return ""
	}
	names := make([]string, len(*l.list))
	for i, tr := range *l.list {
		names[i] = tr.Type
	}
	return strings.Join(names, ",")
}

func (l typeList) Set(s string) error {
	for name := range strings.SplitSeq(s, ",") {
		name = strings.TrimSpace(name)
		if err := config.ValidType(name); err != nil {
			return err
		}
		*l.list = append(*l.list, config.TypeReason{Type: name})
	}
	return nil
}

// checker holds the state of one run of the pass over one package.
type checker struct {
	pass  *analysis.Pass
	api   *asyncapi.API
	r     *report.Reporter
	types *typeJudge
	facts *factComputer

	calls  map[token.Pos]*ast.CallExpr        // by Lparen, the position of an SSA call
	makers map[*ssa.Function]*ssa.MakeClosure // closure -> the instruction that makes it
	bodies map[*ssa.Function]*spawnSite       // closure -> the spawn that runs it
	ctors  map[*ssa.Call]*spawnSite           // constructor call -> the spawn of its future
	locks  map[*ssa.Function]map[ssa.Instruction]lockset
	around map[*ssa.Function]lockset // closure -> the locks held around its every call
	ids    map[ssa.Value]int         // names for key
	cells  map[*ssa.Alloc]ssa.Value  // onlyValue's answers
	all    []*spawnSite              // every spawn of the package
}

func run(pass *analysis.Pass, sc *config.Sendcheck) (any, error) {
	res := pass.ResultOf[asyncapi.Analyzer].(*asyncapi.Result)
	if res.API == nil {
		return nil, nil // doesn't import the runtime
	}
	if res.Std {
		return nil, nil // the standard library spawns no tasks; its unsafe types are a table
	}
	if !imports(pass.Pkg, res.API.Package()) && !declaresFutureFuncs(pass, res.API) {
		return nil, nil // reaches the runtime only through other packages: no spawn, no future constructor or helper
	}
	_, funcs := res.SSA()
	c := &checker{
		pass:   pass,
		api:    res.API,
		r:      report.New(pass, "sendcheck"),
		types:  newTypeJudge(res.API, pass.Pkg, &config.Config{Sendcheck: *sc}),
		calls:  make(map[token.Pos]*ast.CallExpr),
		makers: make(map[*ssa.Function]*ssa.MakeClosure),
		bodies: make(map[*ssa.Function]*spawnSite),
		ctors:  make(map[*ssa.Call]*spawnSite),
		locks:  make(map[*ssa.Function]map[ssa.Instruction]lockset),
		around: make(map[*ssa.Function]lockset),
		ids:    make(map[ssa.Value]int),
		cells:  make(map[*ssa.Alloc]ssa.Value),
	}
	// 1. Facts: which parameters each future constructor captures.
	c.facts = computeFacts(pass, c.api, funcs)
	// 2. Index the syntax of calls and the closures' makers.
	c.index(funcs)
	// 3. Facts: which function parameters each helper calls under lock.
	c.computeLockFacts(funcs)
	// 4. Facts: what each function does to the memory its parameters
	// reach.
	c.computeAccessFacts(funcs)
	// 5. Find the spawns and what their tasks capture.
	sites := c.sites(funcs)
	c.all = sites
	for _, s := range sites {
		for _, b := range s.bodies {
			c.bodies[b] = s
		}
		for _, k := range s.ctors {
			c.ctors[k] = s
		}
	}
	// 6. Check each task that runs off its spawner's worker.
	for _, s := range sites {
		if s.kind == asyncapi.SpawnAnywhere || s.kind == asyncapi.SpawnOffload {
			c.check(s)
		}
	}
	c.r.Finish()
	return nil, nil
}

// imports reports whether pkg is or directly imports rt: only then can it
// call Spawn.
func imports(pkg, rt *types.Package) bool {
	return pkg == rt || slices.Contains(pkg.Imports(), rt)
}

// declaresFutureFuncs reports whether the package declares a function or
// method that returns or takes a future: a constructor or a spawn helper
// that may need a fact.
func declaresFutureFuncs(pass *analysis.Pass, api *asyncapi.API) bool {
	for _, obj := range pass.TypesInfo.Defs {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		for _, tuple := range []*types.Tuple{fn.Signature().Params(), fn.Signature().Results()} {
			for i := 0; i < tuple.Len(); i++ {
				if api.IsFuture(tuple.At(i).Type()) {
					return true
				}
			}
		}
	}
	return false
}

func (c *checker) index(funcs []*ssa.Function) {
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				c.calls[call.Lparen] = call
			}
			return true
		})
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mc, ok := instr.(*ssa.MakeClosure); ok {
					if f, ok := mc.Fn.(*ssa.Function); ok && c.makers[f] == nil {
						c.makers[f] = mc
					}
				}
			}
		}
	}
}

// check applies both rules to every value s's task captures.
func (c *checker) check(s *spawnSite) {
	for _, cp := range s.capture {
		if isTypeParam(cp.typ) || isTypeParam(deref(cp.typ)) {
			continue // type parameters are never judged (clippy #6947)
		}
		if s.kind == asyncapi.SpawnAnywhere {
			if ns := c.types.noSendIn(cp.typ); ns != nil {
				c.reportNoSend(s, cp, ns)
			}
		}
		c.checkRace(s, cp)
	}
	for _, g := range c.globals(s) {
		c.checkRace(s, &capture{name: g.Name(), root: g, typ: deref(g.Type()), global: true})
	}
}

func (c *checker) reportNoSend(s *spawnSite, cp *capture, ns types.Type) {
	pos, end := cp.pos, cp.end
	if !pos.IsValid() {
		pos, end = c.callPos(s.call), token.NoPos // never a finding without a place
	}
	c.r.Report(analysis.Diagnostic{
		Pos:      pos,
		End:      end,
		Category: "nosend",
		Message: fmt.Sprintf("%s is captured by a task spawned with %s but its type %s contains %s (bound to one worker; use SpawnLocal)",
			cp.name, s.name, c.typeString(cp.typ), c.typeString(ns)),
		Related: []analysis.RelatedInformation{{Pos: c.callPos(s.call), Message: "spawned here"}},
	})
}

// checkRace reports cp if the task and another party touch it while both may
// run, at least one of them writing, without a common mutex.
func (c *checker) checkRace(s *spawnSite, cp *capture) {
	task := c.taskAccesses(s, cp)
	if len(task) == 0 {
		return
	}
	var kill ssa.Instruction
	if instr, ok := cp.root.(ssa.Instruction); ok && instr.Parent() == s.fn {
		kill = instr
	}
	conc := c.runningFrom(s, kill)
	others := c.otherAccesses(s, cp, conc)
	if conc.respawn {
		for _, ta := range task {
			self := *ta
			self.who = bySelf
			others = append(others, &self)
		}
	}
	type pair struct{ ta, oa *access }
	var best *pair
	rank := func(p *pair) (int, token.Pos, token.Pos) {
		w := 1
		if p.oa.kind.writes() {
			w = 0
		}
		return w, p.oa.pos(), p.ta.pos()
	}
	for _, ta := range task {
		for _, oa := range others {
			if !conflicts(ta, oa) || c.guarded(ta, oa) {
				continue
			}
			p := &pair{ta, oa}
			if best == nil {
				best = p
				continue
			}
			w1, o1, t1 := rank(p)
			w2, o2, t2 := rank(best)
			if cmp.Or(cmp.Compare(w1, w2), cmp.Compare(o1, o2), cmp.Compare(t1, t2)) < 0 {
				best = p
			}
		}
	}
	if best == nil {
		return
	}
	c.reportRace(s, cp, best.ta, best.oa)
}

// taskAccesses returns how the task touches cp: through the free variable
// in its body (and closures nested in it), or, for a constructor argument of
// a type unsafe for concurrent use, a use at the constructor call.
func (c *checker) taskAccesses(s *spawnSite, cp *capture) []*access {
	spawn := c.callPos(s.call)
	if cp.in != nil {
		w := &walker{c: c, hint: spawn}
		if p, ok := cp.in.(*ssa.Parameter); ok {
			w.rename = &keyRename{from: c.key(p), to: c.key(cp.root)}
		}
		w.walk(cp.in, "", nil, 0)
		return w.out
	}
	if cp.method != nil {
		// A future from another package: its Poll's fact stands for the
		// accesses, at the spawn, outside any lock (facts keep only
		// unguarded accesses).
		var out []*access
		for _, a := range c.facts.accessesOf(cp.method.Origin()) {
			if a.Param == 0 {
				k := read
				if a.Write {
					k = write
				}
				out = append(out, &access{at: s.call, frame: s.call, kind: k, path: a.Path, hint: spawn, unlocked: true})
			}
		}
		return out
	}
	if g, ok := cp.root.(*ssa.Global); ok {
		w := &walker{c: c, hint: spawn}
		for _, body := range s.bodies {
			w.walkGlobal(body, g, true)
		}
		return w.out
	}
	if c.types.isUnsafe(cp.typ) {
		for _, k := range s.ctors {
			if slices.Contains(k.Call.Args, cp.root) {
				return []*access{{at: k, frame: k, kind: use}}
			}
		}
	}
	return nil
}

// otherAccesses returns the accesses to cp's root by the spawner and by
// other tasks that may run concurrently with s's task.
func (c *checker) otherAccesses(s *spawnSite, cp *capture, conc *concurrency) []*access {
	w := &walker{c: c, who: bySpawner, hint: c.callPos(s.call)}
	w.enter = func(w *walker, mc *ssa.MakeClosure, fv *ssa.FreeVar, path string, cell bool) {
		if slices.Contains(s.mcs, mc) {
			return // the task itself
		}
		frame := w.frame
		if frame == nil {
			frame = mc
		}
		inner := &walker{c: c, frame: frame, who: w.who, site: w.site, enter: w.enter, hint: w.hint}
		if sib := c.bodies[mc.Fn.(*ssa.Function)]; sib != nil && w.who == bySpawner {
			inner.who, inner.site, inner.enter = bySibling, sib, nil
			if sib.fn == s.fn {
				inner.frame = sib.call
			}
		}
		if cell {
			inner.walkCell(fv, path, nil, 0)
		} else {
			inner.walk(fv, path, nil, 0)
		}
		w.out = append(w.out, inner.out...)
	}
	if g, ok := cp.root.(*ssa.Global); ok {
		// A global is not bound to closures: scan the spawner's own code
		// and the tasks it spawns.
		w.walkGlobal(s.fn, g, false)
		for _, sib := range c.all {
			if sib == s || sib.fn != s.fn {
				continue
			}
			ws := &walker{c: c, frame: sib.call, who: bySibling, site: sib, hint: w.hint}
			for _, body := range sib.bodies {
				ws.walkGlobal(body, g, true)
			}
			w.out = append(w.out, ws.out...)
		}
	} else {
		w.walk(cp.root, "", nil, 0)
	}
	var out []*access
	for _, a := range w.out {
		if k, ok := a.at.(*ssa.Call); ok {
			if sib := c.ctors[k]; sib != nil {
				if sib == s {
					continue // handing the value to the task itself
				}
				a.who, a.site, a.frame = bySibling, sib, sib.call
			}
		}
		if a.frame.Parent() == s.fn && conc.at[a.frame] {
			out = append(out, a)
		}
	}
	return out
}

func (c *checker) reportRace(s *spawnSite, cp *capture, ta, oa *access) {
	verb := map[accessKind]string{read: "read", write: "written", use: "used"}[oa.kind]
	var by string
	switch oa.who {
	case bySpawner:
		by = "the spawner"
	case bySibling:
		by = "another task spawned with " + oa.site.name
	case bySelf:
		by = "another task spawned by the same call"
	}
	unsafe := c.types.isUnsafe(cp.typ) || ta.kind == use || oa.kind == use
	ut := cp.typ
	if ta.typ != nil {
		ut = ta.typ
	} else if oa.typ != nil {
		ut = oa.typ
	}
	var why, fix string
	switch {
	case s.kind == asyncapi.SpawnOffload && unsafe:
		why, fix = c.typeString(ut)+" is not safe for concurrent use and the closure runs on another thread", "use a sync.Mutex"
	case s.kind == asyncapi.SpawnOffload:
		why, fix = "the closure runs on another thread", "use a sync.Mutex or an atomic"
	case unsafe:
		why, fix = c.typeString(ut)+" is not safe for concurrent use and the task may run on another worker", "use SpawnLocal or a runtime.Mutex"
	default:
		why, fix = "the task may run on another worker", "use SpawnLocal, a runtime.Mutex, or an atomic"
	}
	shared := "captured by"
	if cp.global {
		shared = "shared with" // a package-level variable is not captured
	}
	pos, end := ta.pos(), token.NoPos
	if cp.in == nil && cp.method == nil && !cp.global {
		pos, end = cp.pos, cp.end // a constructor argument: no access in this package
	}
	if !pos.IsValid() {
		pos, end = c.callPos(s.call), token.NoPos // never a finding without a place
	}
	c.r.Report(analysis.Diagnostic{
		Pos:      pos,
		End:      end,
		Category: "race",
		Message:  fmt.Sprintf("%s is %s a task spawned with %s and also %s by %s (data race: %s; %s)", cp.name, shared, s.name, verb, by, why, fix),
		Related:  c.raceRelated(s, oa, verb, by),
	})
}

// raceRelated points at the other access and at the spawn; for a spawn
// that runs again while its earlier tasks may still run, the other access is
// the task's own, so only the spawn is shown.
func (c *checker) raceRelated(s *spawnSite, oa *access, verb, by string) []analysis.RelatedInformation {
	if oa.who == bySelf {
		return []analysis.RelatedInformation{{Pos: c.callPos(s.call), Message: "spawned here again while earlier tasks may still run"}}
	}
	rel := []analysis.RelatedInformation{{Pos: c.callPos(s.call), Message: "spawned here"}}
	if p := oa.pos(); p.IsValid() {
		rel = slices.Insert(rel, 0, analysis.RelatedInformation{Pos: p, Message: fmt.Sprintf("%s by %s here", verb, by)})
	}
	return rel
}

// callPos returns the start of call's syntax, or its SSA position.
func (c *checker) callPos(call *ssa.Call) token.Pos {
	if e := c.calls[call.Pos()]; e != nil {
		return e.Pos()
	}
	return call.Pos()
}

// typeString spells t as the user does: unqualified in its own package.
func (c *checker) typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == c.pass.Pkg {
			return ""
		}
		return p.Name()
	})
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}
