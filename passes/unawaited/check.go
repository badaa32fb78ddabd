package unawaited

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/awaitfix"
	"github.com/asynclint/asynclint/internal/report"
)

// checkFunc reports the futures created by calls in fn that are not
// consumed. Every call whose result (or tuple component) is a future is a
// creation, except *JoinHandle results: a spawned task runs whether or not
// anyone joins it, as tokio::spawn detaches.
func (c *checker) checkFunc(fn *ssa.Function, ctx asyncapi.Context) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if c.isSource(call.Type()) {
				c.checkSource(fn, ctx, call, call, -1)
				continue
			}
			tuple, ok := call.Type().(*types.Tuple)
			if !ok {
				continue
			}
			for i := 0; i < tuple.Len(); i++ {
				if c.isSource(tuple.At(i).Type()) {
					c.checkSource(fn, ctx, call, extract(call, i), i)
				}
			}
		}
	}
}

func (c *checker) isSource(t types.Type) bool {
	return c.api.IsFuture(t) && !c.api.IsJoinHandle(t)
}

// extract returns the Extract of component i of call's tuple, or nil when
// the program never reads it.
func extract(call *ssa.Call, i int) ssa.Value {
	refs := call.Referrers()
	if refs == nil {
		return nil
	}
	for _, ref := range *refs {
		if e, ok := ref.(*ssa.Extract); ok && e.Index == i {
			return e
		}
	}
	return nil
}

// checkSource follows the future root (nil if unread), created by call, and
// reports it if it leaks. component is its index in call's results, or -1.
func (c *checker) checkSource(fn *ssa.Function, ctx asyncapi.Context, call *ssa.Call, root ssa.Value, component int) {
	u := &uses{}
	var def ssa.Instruction = call
	if root != nil {
		u = c.track(root)
		def = root.(ssa.Instruction)
	}
	if u.anywhere {
		return
	}
	var exits map[*ssa.BasicBlock]*ssa.BasicBlock
	if c.strict && u.boxed {
		exits = c.rangeExits(u) // only strict mode reports paths that skip a loop
	}
	out := search(def, u.consumers, u.boxed, exits)
	if out.never() {
		c.reportNever(fn, ctx, call, component, u)
		return
	}
	if c.strict && out.reachesConsumer && out.leaked() {
		c.reportStrict(fn, call, component, out)
	}
}

// finding is one diagnostic being built.
type finding struct {
	pos, end token.Pos
	category string
	message  string
	related  []analysis.RelatedInformation
	fixStmt  ast.Stmt // the statement "Await the future" rewrites
	fixExpr  ast.Expr // the future expression it wraps
	fixes    []analysis.SuggestedFix
}

// reportNever reports a future that no path consumes.
func (c *checker) reportNever(fn *ssa.Function, ctx asyncapi.Context, call *ssa.Call, component int, u *uses) {
	s := c.sites.calls[call.Pos()]
	producer := c.producer(s, call)
	f := finding{
		pos:      call.Pos(),
		end:      call.Pos(),
		category: "discarded",
		message:  fmt.Sprintf("future returned by %s is never awaited (it will not run)", producer),
	}
	if s != nil {
		f.pos, f.end = s.call.Pos(), s.call.End()
	}
	switch {
	case len(u.dropped) > 0:
		d := u.dropped[0]
		callee := d.callee
		f.pos, f.end = d.call.Pos(), d.call.Pos()
		if ds := c.sites.calls[d.call.Pos()]; ds != nil {
			callee = report.Render(c.pass.Fset, ds.call.Fun)
			f.pos, f.end = ds.call.Pos(), ds.call.End()
		}
		f.category = "dropped-param"
		f.message = fmt.Sprintf("future passed to %s is never awaited (%s ignores its parameter)", callee, callee)
		if d.method != nil {
			// The call's spelling would repeat the receiver expression
			// (`named{fetch(1)}.Name`); the method expression names it.
			callee = c.methodName(d.method)
			f.message = fmt.Sprintf("future passed to %s is never awaited (%s ignores its receiver)", callee, callee)
		}
		// Point at the creation when it is not an argument of the call.
		if s != nil && !(f.pos <= s.call.Pos() && s.call.End() <= f.end) {
			f.related = append(f.related, analysis.RelatedInformation{Pos: s.call.Pos(), End: s.call.End(), Message: "the future is created here"})
		}
	case s != nil:
		c.classify(fn, s, component, producer, &f)
	}
	if f.fixStmt != nil {
		f.fix(c, fn, ctx)
	}
	c.emit(f)
}

// classify refines a finding for a future that no path consumes from the
// syntax around its creation.
//
// Shapes: `doWork()` and `_ = doWork()` (discarded); `f := doWork()` with f
// never awaited (unused), assigned again before it was awaited
// (overwritten), or dropped by `_ = f` (discarded); `append(fs, doWork())`
// and `[]Future[T]{doWork()}` (slice).
func (c *checker) classify(fn *ssa.Function, s *site, component int, producer string, f *finding) {
	if len(s.parents) == 0 {
		return
	}
	var lhs ast.Expr
	switch p := s.parents[0].(type) {
	case *ast.ExprStmt:
		if component < 0 { // Await takes one future, not a tuple
			f.fixStmt, f.fixExpr = p, s.call
		}
		return
	case *ast.AssignStmt:
		lhs = pickLHS(p.Lhs, p.Rhs, s.call, component)
		if len(p.Lhs) == 1 && len(p.Rhs) == 1 && isBlank(p.Lhs[0]) {
			f.fixStmt, f.fixExpr = p, p.Rhs[0]
		}
	case *ast.ValueSpec:
		names := make([]ast.Expr, len(p.Names))
		for i, n := range p.Names {
			names[i] = n
		}
		lhs = pickLHS(names, p.Values, s.call, component)
	case *ast.CallExpr:
		if c.isAppend(p) && len(p.Args) > 0 && p.Args[0] != s.call {
			f.category = "slice"
			f.message = fmt.Sprintf("futures appended to %s are never awaited (they will not run)", report.Render(c.pass.Fset, p.Args[0]))
		}
		return
	case *ast.CompositeLit, *ast.KeyValueExpr:
		f.category = "slice"
		f.message = fmt.Sprintf("futures put in %s are never awaited (they will not run)", c.literalName(s))
		return
	default:
		return
	}
	if lhs == nil || isBlank(lhs) {
		return // `_ = doWork()` is a discard, already described
	}
	id, ok := lhs.(*ast.Ident)
	if !ok {
		return
	}
	obj := c.pass.TypesInfo.Defs[id]
	if obj == nil {
		obj = c.pass.TypesInfo.Uses[id]
	}
	f.message = fmt.Sprintf("future %s (from %s) is never awaited (it will not run)", id.Name, producer)
	f.category = "unused"
	if blank := c.sites.blanks[obj]; blank != nil && blank.Pos() > s.call.End() && ownBody(fn, blank.Pos()) {
		f.category = "discarded"
		f.pos, f.end = blank.Pos(), blank.End()
		f.fixStmt, f.fixExpr = blank, blank.Rhs[0]
		return
	}
	for _, pos := range c.sites.assigns[obj] {
		if pos > s.call.End() {
			f.category = "overwritten"
			f.message = fmt.Sprintf("future %s is overwritten before it is awaited (the first one will not run)", id.Name)
			f.related = append(f.related, analysis.RelatedInformation{Pos: pos, Message: "overwritten here"})
			return
		}
	}
}

// pickLHS returns the left-hand side that receives call (component of its
// results, or the whole call when component is -1).
func pickLHS(lhs, rhs []ast.Expr, call *ast.CallExpr, component int) ast.Expr {
	if len(rhs) == 1 && len(lhs) > 1 {
		if component >= 0 && component < len(lhs) {
			return lhs[component]
		}
		return nil
	}
	for i, r := range rhs {
		if ast.Unparen(r) == call && i < len(lhs) {
			return lhs[i]
		}
	}
	return nil
}

func (c *checker) isAppend(call *ast.CallExpr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin)
	return ok && b.Name() == "append"
}

// literalName names the slice literal holding the call: the variable it is
// assigned to, or the literal's type.
func (c *checker) literalName(s *site) string {
	for i, p := range s.parents {
		switch p := p.(type) {
		case *ast.AssignStmt:
			if lhs := pickLHSNode(p.Lhs, p.Rhs, s.parents[:i]); lhs != nil {
				return report.Render(c.pass.Fset, lhs)
			}
		case *ast.ValueSpec:
			if len(p.Names) == 1 {
				return p.Names[0].Name
			}
		}
	}
	return "a slice literal"
}

// pickLHSNode returns the left-hand side whose right-hand side is one of
// inner (the nodes between the call and the assignment).
func pickLHSNode(lhs, rhs []ast.Expr, inner []ast.Node) ast.Expr {
	for i, r := range rhs {
		for _, n := range inner {
			if ast.Unparen(r) == n && i < len(lhs) {
				return lhs[i]
			}
		}
	}
	return nil
}

// reportStrict reports a future that some path consumes and another path,
// ending at a return or looping back to the creation, does not.
func (c *checker) reportStrict(fn *ssa.Function, call *ssa.Call, component int, out outcome) {
	s := c.sites.calls[call.Pos()]
	producer := c.producer(s, call)
	subject := "future returned by " + producer
	f := finding{pos: call.Pos(), end: call.Pos(), category: "strict"}
	if s != nil && len(s.parents) > 0 {
		f.pos, f.end = s.call.Pos(), s.call.End()
		var lhs ast.Expr
		switch p := s.parents[0].(type) {
		case *ast.AssignStmt:
			lhs = pickLHS(p.Lhs, p.Rhs, s.call, component)
		case *ast.ValueSpec:
			if len(p.Names) == 1 {
				lhs = p.Names[0]
			}
		}
		if id, ok := lhs.(*ast.Ident); ok && id.Name != "_" {
			subject = fmt.Sprintf("future %s (from %s)", id.Name, producer)
		}
	}
	if len(out.leaks) == 0 {
		f.message = subject + " is not awaited on every path (the next iteration replaces it before it runs)"
		c.emit(f)
		return
	}
	f.message = subject + " is not awaited on every path (it will not run when the function returns early)"
	pos := out.leaks[0].Pos()
	if !pos.IsValid() {
		pos = closingBrace(fn)
	}
	if pos.IsValid() {
		f.related = append(f.related, analysis.RelatedInformation{Pos: pos, Message: "this return is reached without awaiting it"})
	}
	c.emit(f)
}

// closingBrace returns the position of fn's closing brace, where an
// implicit return happens.
func closingBrace(fn *ssa.Function) token.Pos {
	switch syn := fn.Syntax().(type) {
	case *ast.FuncDecl:
		if syn.Body != nil {
			return syn.Body.Rbrace
		}
	case *ast.FuncLit:
		return syn.Body.Rbrace
	}
	return token.NoPos
}

// producer renders the callee of the call that created a future as the user
// wrote it: doWork, s.fetch, runtime.Sleep, lib.Get[int].
func (c *checker) producer(s *site, call *ssa.Call) string {
	if s == nil {
		return calleeName(call.Common())
	}
	if _, lit := ast.Unparen(s.call.Fun).(*ast.FuncLit); lit {
		return "a function literal"
	}
	return report.Render(c.pass.Fset, s.call.Fun)
}

// methodName renders method m as the method expression a user would
// write: `named.Name`, `(*named).Name`, `lib.T.Name`, `box[int].Get`.
func (c *checker) methodName(m *types.Func) string {
	recv := m.Signature().Recv()
	if recv == nil {
		return m.Name()
	}
	qual := func(p *types.Package) string {
		if p == c.pass.Pkg {
			return ""
		}
		return p.Name()
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		return "(*" + types.TypeString(p.Elem(), qual) + ")." + m.Name()
	}
	return types.TypeString(t, qual) + "." + m.Name()
}

// ownBody reports whether pos is in fn's own body, not in a closure nested
// in it: a fix there may only use fn's task.
func ownBody(fn *ssa.Function, pos token.Pos) bool {
	syn := fn.Syntax()
	if syn == nil || pos < syn.Pos() || pos >= syn.End() {
		return false
	}
	for _, anon := range fn.AnonFuncs {
		if a := anon.Syntax(); a != nil && a.Pos() <= pos && pos < a.End() {
			return false
		}
	}
	return true
}

// fix attaches "Await the future" to f when the function runs in a task
// and the rewrite type-checks (see awaitfix for the rule it shares with
// blockingcall's fix).
//
// Shapes: `doWork(x)` becomes `runtime.Await(t, doWork(x))`, and `_ = f`
// becomes `runtime.Await(t, f)`.
func (f *finding) fix(c *checker, fn *ssa.Function, ctx asyncapi.Context) {
	if ctx != asyncapi.TaskContext {
		return // no task to await on: main, goroutines, Poll methods
	}
	edits, ok := awaitfix.New(c.pass, c.api).Await(fn, f.fixStmt.Pos(), f.fixExpr)
	if !ok {
		return
	}
	f.fixes = []analysis.SuggestedFix{{Message: "Await the future", TextEdits: edits}}
}

// emit reports f, once per position: the components of one call share it.
func (c *checker) emit(f finding) {
	if !f.pos.IsValid() {
		return // a call SSA made up, with no place in the source to point at
	}
	if c.reported[f.pos] {
		return
	}
	c.reported[f.pos] = true
	c.r.Report(analysis.Diagnostic{
		Pos:            f.pos,
		End:            f.end,
		Category:       f.category,
		Message:        f.message,
		Related:        f.related,
		SuggestedFixes: f.fixes,
	})
}
