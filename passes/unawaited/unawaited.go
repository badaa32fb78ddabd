package unawaited

import (
	_ "embed"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/analysisdoc"
	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/config"
	"github.com/asynclint/asynclint/internal/report"
)

//go:embed doc.go
var doc string

// Analyzer is the unawaited check with the default settings.
var Analyzer = New(nil)

// New returns an unawaited analyzer configured by cfg (nil means the
// defaults). Its -strict flag writes into this instance's own copy of the
// settings, so analyzers built from the same Config never share flags.
func New(cfg *config.Config) *analysis.Analyzer {
	var settings config.Unawaited
	if cfg != nil {
		settings = cfg.Unawaited
	}
	a := &analysis.Analyzer{
		Name:      "unawaited",
		Doc:       analysisdoc.MustExtract(doc, "unawaited"),
		URL:       "https://pkg.go.dev/github.com/asynclint/asynclint/passes/unawaited",
		Requires:  []*analysis.Analyzer{asyncapi.Analyzer},
		FactTypes: []analysis.Fact{new(consumesParams)},
	}
	a.Flags.BoolVar(&settings.Strict, "strict", settings.Strict,
		"also report futures that are awaited on some paths but not on every path")
	a.Run = func(pass *analysis.Pass) (any, error) {
		return run(pass, settings)
	}
	return a
}

// checker holds the state of one run over one package.
type checker struct {
	pass   *analysis.Pass
	api    *asyncapi.API
	strict bool
	r      *report.Reporter

	// summary says, for each function of the package (generic origins,
	// closures included), which of its parameters and then free variables
	// it consumes on some path; indices follow fn.Params then fn.FreeVars.
	summary map[*ssa.Function][]bool

	sites    *siteIndex         // the AST around every call, for messages and fixes
	reported map[token.Pos]bool // positions already reported
}

func run(pass *analysis.Pass, settings config.Unawaited) (any, error) {
	res, ok := pass.ResultOf[asyncapi.Analyzer].(*asyncapi.Result)
	if !ok || res.API == nil {
		return nil, nil // doesn't reach the runtime: no futures, no facts
	}
	if res.Std {
		return nil, nil // std's treatment of futures is "unknown callee: consumes"
	}
	if pass.Pkg.Path() == asyncapi.RuntimePath {
		return nil, nil // the runtime's own API is described by asyncapi's table
	}
	pkg, funcs := res.SSA()
	if pkg == nil {
		return nil, nil // no SSA (odd code): skip rather than guess
	}
	c := &checker{
		pass:   pass,
		api:    res.API,
		strict: settings.Strict,
		r:      report.New(pass, "unawaited"),

		reported: make(map[token.Pos]bool),
	}

	// 1. Summarize which parameters (and captured variables) each function
	//    consumes, to a fixed point over the package's call graph.
	c.summarize(funcs)
	// 2. Export those summaries as facts for other packages.
	c.exportFacts(funcs)
	// 3. Follow every future a call produces and report those that no path
	//    (or, in strict mode, not every path) consumes.
	c.sites = indexSites(pass)
	ctx := res.Contexts()
	for _, fn := range funcs {
		c.checkFunc(fn, ctx[fn])
	}
	// The package initializer runs the package-level var declarations:
	// `var _ = fetch(0)` drops its future there. (Its closures are in funcs.)
	if init := pkg.Func("init"); init != nil {
		c.checkFunc(init, ctx[init])
	}
	c.r.Finish()
	return nil, nil
}

// holdsFutures reports whether values of type t are futures or hold futures
// the pass follows: slices and arrays of futures, and pointers to them.
func (c *checker) holdsFutures(t types.Type) bool {
	for range 3 {
		if c.api.IsFuture(t) {
			return true
		}
		switch u := t.Underlying().(type) {
		case *types.Slice:
			t = u.Elem()
		case *types.Array:
			t = u.Elem()
		case *types.Pointer:
			t = u.Elem()
		default:
			return false
		}
	}
	return false
}
