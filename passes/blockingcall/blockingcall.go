package blockingcall

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/analysisdoc"
	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/awaitfix"
	"github.com/asynclint/asynclint/internal/config"
	"github.com/asynclint/asynclint/internal/report"
)

//go:embed doc.go
var doc string

const name = "blockingcall"

// Analyzer is the blockingcall check with the default configuration.
var Analyzer = New(nil)

// New returns a blockingcall analyzer configured by cfg (nil means the
// defaults). Its flags (-blockingcall.level, -blockingcall.functions,
// -blockingcall.allow, -blockingcall.offload) extend a copy of cfg's
// settings, so analyzers built from one Config never share state.
func New(cfg *config.Config) *analysis.Analyzer {
	var c config.Blockingcall
	if cfg != nil {
		c = cfg.Blockingcall
		c.Functions = slices.Clone(c.Functions)
		c.Allow = slices.Clone(c.Allow)
		c.Offload = slices.Clone(c.Offload)
	}
	a := &analysis.Analyzer{
		Name:      name,
		Doc:       analysisdoc.MustExtract(doc, name),
		Requires:  []*analysis.Analyzer{asyncapi.Analyzer},
		FactTypes: []analysis.Fact{new(mayBlock)},
	}
	a.Flags.Var(levelFlag{&c.Level}, "level", "default or strict: strict also reports may-block calls (sync.Mutex.Lock, os.Open, ...) in tasks")
	a.Flags.Var(hintsFlag{&c.Functions}, "functions", "extra blocking functions, comma-separated `pkg.Func=hint` (the hint is optional)")
	a.Flags.Var(listFlag{&c.Allow}, "allow", "comma-separated functions never reported as blocking and never followed")
	a.Flags.Var(listFlag{&c.Offload}, "offload", "comma-separated functions that run their function arguments off the worker, like runtime.SpawnBlocking")

	// Flags are set after New returns and before the first Run.
	var once sync.Once
	var set *settings
	a.Run = func(pass *analysis.Pass) (any, error) {
		once.Do(func() { set = compile(&c) })
		return run(pass, set)
	}
	return a
}

// settings is one analyzer's configuration, compiled for lookups.
type settings struct {
	strict  bool
	funcs   map[string]*entry // the catalog plus configured functions
	allow   map[string]bool
	offload map[string]bool
}

func compile(c *config.Blockingcall) *settings {
	s := &settings{
		strict:  c.Level == "strict",
		funcs:   catalogIndex(),
		allow:   make(map[string]bool),
		offload: make(map[string]bool),
	}
	for _, f := range c.Functions {
		hint := f.Hint
		if hint == "" {
			hint = "use runtime.SpawnBlocking"
		}
		s.funcs[f.Func] = &entry{Tier: 1, Family: "configured", Hint: hint}
	}
	for _, f := range c.Allow {
		s.allow[f] = true
	}
	for _, f := range c.Offload {
		s.offload[f] = true
	}
	return s
}

func run(pass *analysis.Pass, set *settings) (any, error) {
	res := pass.ResultOf[asyncapi.Analyzer].(*asyncapi.Result)
	if res.API == nil {
		// The other passes skip packages that cannot reach the runtime:
		// this pass, computing facts for helper libraries, is the only
		// user of their SSA, which would otherwise live until the run ends.
		defer res.Release()
	}
	if res.Std {
		return nil, nil // the catalog speaks for the standard library
	}
	if p := pass.Pkg.Path(); p == asyncapi.RuntimePath || strings.HasPrefix(p, asyncapi.RuntimePath+"/") {
		return nil, nil // the runtime blocks on purpose (its blocking pool, BlockOn); its table says what callers see
	}
	c := &checker{
		pass:  pass,
		api:   res.API,
		set:   set,
		local: make(map[*types.Func]*ssa.Function),
		sums:  make(map[*ssa.Function]*finding),
		locs:  make(map[string]token.Pos),
	}
	if !c.mayReach() {
		if c.api != nil {
			report.New(pass, name).Finish() // every ignore directive for this check is stale
		}
		return nil, nil // no blocking operation reachable from this package
	}

	// 1. Summarize every function: the best blocking chain in its body,
	//    iterated to a fixed point for calls within the package.
	_, funcs := res.SSA()
	c.summarize(funcs)

	// 2. Export a mayBlock fact for each named function that can block.
	c.exportFacts(funcs)

	if c.api == nil {
		return nil, nil // no task context without the runtime: facts only
	}

	// 3. Report blocking operations in task and poll context.
	r := report.New(pass, name)
	ctxs := res.Contexts()
	for _, fn := range funcs {
		cx := ctxs[fn]
		if cx == asyncapi.NoContext {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if f := c.classify(instr); f != nil && c.reportable(f, cx, ctxs) {
					r.Report(c.diagnostic(fn, cx, f))
				}
			}
		}
	}
	r.Finish()
	return nil, nil
}

// checker holds the state of one run over one package.
type checker struct {
	pass  *analysis.Pass
	api   *asyncapi.API // nil when the package cannot reach the runtime
	set   *settings
	local map[*types.Func]*ssa.Function // named functions of this package, by object
	sums  map[*ssa.Function]*finding    // best blocking finding of each function's body
	nodes map[token.Pos]ast.Node        // call, receive, send, select and range nodes by SSA position; see node
	locs  map[string]token.Pos          // positions of the facts' file:line:col, once resolved

	// consulted records whether the last classify read another function's
	// summary, so that summarize knows which findings may still change.
	consulted bool
}

// mayReach reports whether the package could contain a blocking operation:
// a use of a catalog or configured function, of os.Stdin, of
// runtime.BlockOn or Run, or of a function with a mayBlock fact, a channel
// operation, or a //asynclint:blocking annotation. It is a cheap syntactic test that lets
// packages with nothing blocking skip SSA.
func (c *checker) mayReach() bool {
	for _, obj := range c.pass.TypesInfo.Uses {
		if v, ok := obj.(*types.Var); ok && v.Pkg() != nil && v.Pkg().Path() == "os" && v.Name() == "Stdin" {
			return true // the functions that block only on stdin
		}
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		if e := c.set.funcs[config.FuncName(fn)]; e != nil && !e.OnStdin {
			return true
		}
		if e := c.api.Lookup(fn); e != nil && e.Blocks {
			return true
		}
		if fn.Pkg() != nil && fn.Pkg() != c.pass.Pkg && !isStdPath(fn.Pkg().Path()) {
			if c.pass.ImportObjectFact(fn.Origin(), new(mayBlock)) {
				return true
			}
		}
	}
	found := false
	for _, file := range c.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			if found {
				return false
			}
			switch n := n.(type) {
			case *ast.UnaryExpr:
				found = n.Op == token.ARROW
			case *ast.SendStmt, *ast.SelectStmt:
				found = true
			case *ast.RangeStmt:
				if t := c.pass.TypesInfo.TypeOf(n.X); t != nil {
					_, found = t.Underlying().(*types.Chan)
				}
			case *ast.FuncDecl:
				found = blockingDirective(n) != nil
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// reportable reports whether finding f is reported in a function of
// context cx.
func (c *checker) reportable(f *finding, cx asyncapi.Context, ctxs map[*ssa.Function]asyncapi.Context) bool {
	if f.tier > 1 && cx != asyncapi.PollContext && !c.set.strict {
		return false
	}
	switch f.kind {
	case viaClosure:
		// A closure with a context of its own is checked in its body.
		return ctxs[f.closure] == asyncapi.NoContext
	case viaCall:
		// A callee taking the task, or a Poll method, is task context
		// itself: its blocking is reported in its own body.
		return c.ownContext(f.callee.Signature()) == asyncapi.NoContext
	}
	return true
}

func (c *checker) ownContext(sig *types.Signature) asyncapi.Context {
	for i := 0; i < sig.Params().Len(); i++ {
		if c.api.IsTask(sig.Params().At(i).Type()) {
			return asyncapi.TaskContext
		}
	}
	if c.api.IsPollSignature(sig) {
		return asyncapi.PollContext
	}
	return asyncapi.NoContext
}

// diagnostic builds the report of finding f in fn.
func (c *checker) diagnostic(fn *ssa.Function, cx asyncapi.Context, f *finding) analysis.Diagnostic {
	node := c.node(f.pos)
	d := analysis.Diagnostic{Pos: f.pos, Category: "direct"}
	if node != nil {
		d.Pos, d.End = node.Pos(), node.End()
	}
	verb := "blocks the worker thread"
	if f.tier > 1 {
		verb = "may block the worker thread"
	}
	switch f.kind {
	case leafCall:
		callee := c.spelling(node, f.tail[0].string(c.pass.Pkg.Path()))
		if f.dynType != nil {
			callee += " on " + types.TypeString(f.dynType, types.RelativeTo(c.pass.Pkg))
		}
		d.Message = fmt.Sprintf("%s %s; %s", callee, verb, f.hint)
		if cx == asyncapi.TaskContext {
			d.SuggestedFixes = c.sleepFix(fn, f, node)
		}
	case nestedRuntime:
		where := "a task"
		if cx == asyncapi.PollContext {
			where = "Poll"
		}
		d.Message = fmt.Sprintf("%s inside %s runs a nested runtime on the worker (likely deadlock); %s",
			c.spelling(node, f.tail[0].string(c.pass.Pkg.Path())), where, f.hint)
	case chanRecv, chanSend, selectOp:
		d.Message = f.opMessage(c.pass.Fset, node)
	case viaCall, viaClosure:
		d.Category = "transitive"
		callee := "func literal"
		if f.kind == viaCall {
			callee = c.spelling(node, f.tail[0].string(c.pass.Pkg.Path()))
		}
		verb = "blocks the worker"
		if f.tier > 1 {
			verb = "may block the worker"
		}
		chain := chainString(f.tail, c.pass.Pkg.Path())
		if f.reason != "" {
			chain += ", marked blocking: " + f.reason
		}
		d.Message = fmt.Sprintf("call to %s %s (%s)", callee, verb, chain)
		d.Related = c.related(f)
	}
	return d
}

// spelling returns the user's spelling of the called function of a call
// node, or def when there is no such node.
func (c *checker) spelling(node ast.Node, def string) string {
	if call, ok := node.(*ast.CallExpr); ok {
		return report.Render(c.pass.Fset, call.Fun)
	}
	return def
}

// related returns the secondary positions of a transitive finding: where
// the callee's chain starts, and the blocking operation at its end, where
// either is known.
func (c *checker) related(f *finding) []analysis.RelatedInformation {
	var rel []analysis.RelatedInformation
	if len(f.tail) < 2 {
		return nil // the call itself is all there is
	}
	from := c.pass.Pkg.Path()
	inner := c.position(f.inner, f.innerLoc)
	if inner.IsValid() {
		rel = append(rel, analysis.RelatedInformation{
			Pos:     inner,
			Message: fmt.Sprintf("%s calls %s here", f.tail[0].string(from), f.tail[1].string(from)),
		})
	}
	if leaf := c.position(f.leaf, f.leafLoc); leaf.IsValid() && leaf != inner {
		rel = append(rel, analysis.RelatedInformation{
			Pos:     leaf,
			Message: fmt.Sprintf("%s blocks here", f.tail[len(f.tail)-1].string(from)),
		})
	}
	return rel
}

// position returns the start of the node at SSA position pos if valid, or
// else the place that loc ("file:line:col", from a fact) names.
//
// The file set may hold that file with its real lines (the standalone
// driver parses dependencies), and then the position is in it. Under go
// vet it holds only what export data gave: a file whose lines are one byte
// long and stop at the last exported object, which can neither reach the
// column nor, often, the line. Then the position is in a small file of the
// same name added for it, whose only purpose is that the file set print
// file:line:col exactly.
func (c *checker) position(pos token.Pos, loc string) token.Pos {
	if pos.IsValid() {
		if node := c.node(pos); node != nil {
			return node.Pos() // the start of the call, not its parenthesis
		}
		return pos
	}
	if loc == "" {
		return token.NoPos
	}
	if p, ok := c.locs[loc]; ok {
		return p
	}
	file, line, col, ok := splitLoc(loc)
	if !ok {
		return token.NoPos
	}
	pos = token.NoPos
	c.pass.Fset.Iterate(func(f *token.File) bool {
		if f.Name() == file && line <= f.LineCount() {
			end := f.Base() + f.Size()
			if line < f.LineCount() {
				end = int(f.LineStart(line + 1))
			}
			if p := f.LineStart(line) + token.Pos(col-1); int(p) < end {
				pos = p
				return false
			}
		}
		return true
	})
	if !pos.IsValid() {
		pos = placeholder(c.pass.Fset, file, line, col)
	}
	c.locs[loc] = pos
	return pos
}

// placeholder adds to fset a file named file in which line has col bytes
// and the lines before it one byte each, and returns the position of line
// and col there.
func placeholder(fset *token.FileSet, file string, line, col int) token.Pos {
	lines := make([]int, line) // line i+1 starts at offset i
	for i := range lines {
		lines[i] = i
	}
	tf := fset.AddFile(file, -1, line-1+col)
	tf.SetLines(lines)
	return tf.Pos(line - 1 + col - 1)
}

// sleepFix rewrites time.Sleep(d) to runtime.Await(t, runtime.Sleep(d))
// when that type-checks (see awaitfix for the rule it shares with
// unawaited's fix).
//
// Matched shape: a direct call time.Sleep(d), in a function that has a
// *runtime.Task parameter or captures one.
func (c *checker) sleepFix(fn *ssa.Function, f *finding, node ast.Node) []analysis.SuggestedFix {
	call, ok := node.(*ast.CallExpr)
	if !ok || f.callee == nil || config.FuncName(f.callee) != "time.Sleep" {
		return nil
	}
	edits, ok := awaitfix.New(c.pass, c.api).Sleep(fn, call)
	if !ok {
		return nil
	}
	return []analysis.SuggestedFix{{Message: "Await runtime.Sleep instead", TextEdits: edits}}
}

// node returns the call, receive, send, select or range node at SSA
// position pos, or nil. The index is built on first use: only packages
// that report, or export a fact with a position, need it.
func (c *checker) node(pos token.Pos) ast.Node {
	if c.nodes == nil {
		c.nodes = indexNodes(c.pass.Files)
	}
	return c.nodes[pos]
}

// indexNodes maps the SSA positions of calls (Lparen), receives (the
// arrow), sends (the arrow), selects (the keyword) and range loops (the
// for keyword, where SSA puts a range-over-channel receive) to their nodes.
func indexNodes(files []*ast.File) map[token.Pos]ast.Node {
	m := make(map[token.Pos]ast.Node)
	for _, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				m[n.Lparen] = n
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					m[n.OpPos] = n
				}
			case *ast.SendStmt:
				m[n.Arrow] = n
			case *ast.SelectStmt:
				m[n.Select] = n
			case *ast.RangeStmt:
				m[n.For] = n
			}
			return true
		})
	}
	return m
}

type levelFlag struct{ level *string }

func (f levelFlag) String() string {
	if f.level == nil {
		return ""
	}
	return *f.level
}

func (f levelFlag) Set(s string) error {
	if s != "default" && s != "strict" {
		return fmt.Errorf("%q is not default or strict", s)
	}
	*f.level = s
	return nil
}

// listFlag appends comma-separated function names to a list.
type listFlag struct{ list *[]string }

func (f listFlag) String() string {
	if f.list == nil {
		return ""
	}
	return strings.Join(*f.list, ",")
}

func (f listFlag) Set(s string) error {
	for _, fn := range strings.Split(s, ",") {
		if fn = strings.TrimSpace(fn); fn == "" {
			continue
		}
		if err := config.ValidFunc(fn); err != nil {
			return err
		}
		*f.list = append(*f.list, fn)
	}
	return nil
}

// hintsFlag appends comma-separated `func=hint` pairs to a list.
type hintsFlag struct{ list *[]config.FuncHint }

func (f hintsFlag) String() string {
	if f.list == nil {
		return ""
	}
	var parts []string
	for _, h := range *f.list {
		parts = append(parts, h.Func+"="+h.Hint)
	}
	return strings.Join(parts, ",")
}

func (f hintsFlag) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		fn, hint, _ := strings.Cut(part, "=")
		fn = strings.TrimSpace(fn)
		if err := config.ValidFunc(fn); err != nil {
			return err
		}
		*f.list = append(*f.list, config.FuncHint{Func: fn, Hint: strings.TrimSpace(hint)})
	}
	return nil
}
