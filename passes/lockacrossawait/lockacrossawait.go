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
	tokens      map[ssa.Value]string        // values named by their identity in some key (see index)
	stable      map[*ssa.Alloc]bool         // memo of stableAlloc

	sites       []*site                         // lock sites, in discovery order
	siteIndex   map[ssa.Instruction]int         // acquiring call -> index in sites
	helperSites map[siteKey]int                 // call of a helper returning with a lock held -> index in sites
	calls       map[token.Pos]*callSyntax       // by Lparen; built with selectors on first use
	selectors   map[token.Pos]*ast.SelectorExpr // by Sel position
}

// site is one acquiring call and the await points it may be held across.
type site struct {
	pos, end token.Pos
	instr    *ssa.Call // the acquiring call, or the call of a helper that acquires
	name     string    // the lock as the user spells it: s.mu
	op       *lockOp
	awaits   map[token.Pos]ssa.CallInstruction // await point -> its first call seen there
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
		tokens:      make(map[ssa.Value]string),
		stable:      make(map[*ssa.Alloc]bool),
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
			msg := fmt.Sprintf("await while %s is %s", s.name, verb)
			if nextIteration(s.instr, s.awaits[p]) {
				msg += " (next iteration)"
			}
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: p, Message: msg})
		}
		r.Report(d)
	}
}
