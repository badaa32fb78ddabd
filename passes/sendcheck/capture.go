package sendcheck

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/report"
)

// spawnSite is one call that starts a task (Spawn, SpawnOn, SpawnLocal,
// SpawnBlocking) and what the task captures.
type spawnSite struct {
	call    *ssa.Call
	fn      *ssa.Function // the spawner: the function containing call
	kind    asyncapi.Spawn
	name    string             // "runtime.Spawn", for messages
	bodies  []*ssa.Function    // functions that run as (part of) the task: closures, named bodies, methods
	ctors   []*ssa.Call        // constructor calls whose future is spawned
	futures []*futureValue     // user future values spawned as they are
	capture []*capture         // in source order
	mcs     []*ssa.MakeClosure // the closures' MakeClosure instructions, in fn
}

// futureValue is a value of a user future type that a task runs by polling
// it: the task shares the value itself with whoever else holds it.
type futureValue struct {
	v    ssa.Value
	expr ast.Expr      // its syntax in the spawn, if known
	poll *types.Func   // its Poll method
	body *ssa.Function // poll's body, if it is in this package
}

// capture is one value the spawned task shares with its spawner.
type capture struct {
	name     string     // the user's spelling
	pos, end token.Pos  // where to report it
	root     ssa.Value  // the value in the spawner: a heap cell for an assigned variable
	typ      types.Type // the captured variable's type
	global   bool       // root is a package-level variable the task uses

	// in is how the task's code reaches the value: a free variable of its
	// closure, or the receiver parameter of the method that runs as the
	// task (a method value body, a user future's Poll). It is nil for a
	// constructor argument, a global, or a method whose body is in another
	// package; method is then that method, whose paramAccesses fact tells
	// what the task does with its receiver.
	in     ssa.Value
	method *types.Func
}

// sites finds every spawn call in funcs and what each captures.
func (c *checker) sites(funcs []*ssa.Function) []*spawnSite {
	var out []*spawnSite
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				e := c.api.CallEntry(call.Common())
				if e == nil {
					// A spawn helper: each future parameter it spawns is a spawn.
					callee := asyncapi.Callee(call.Common())
					for _, i := range c.facts.spawnsOf(callee) {
						if i < len(call.Call.Args) {
							s := &spawnSite{call: call, fn: fn, kind: asyncapi.SpawnAnywhere, name: c.funcName(callee)}
							c.trace(s, call.Call.Args[i], argExpr(c.calls[call.Pos()], callee, i), make(map[ssa.Value]bool))
							c.captures(s)
							out = append(out, s)
						}
					}
					continue
				}
				if e.Spawn == asyncapi.NoSpawn || e.SpawnArg >= len(call.Call.Args) {
					continue
				}
				s := &spawnSite{call: call, fn: fn, kind: e.Spawn, name: "runtime." + e.Name}
				c.trace(s, call.Call.Args[e.SpawnArg], callArg(c.calls[call.Pos()], e.SpawnArg), make(map[ssa.Value]bool))
				c.captures(s)
				out = append(out, s)
			}
		}
	}
	return out
}

// trace finds what the spawned future v is made of: Async (or PollFunc)
// closures, directly or through local variables, runtime combinators and
// constructor calls whose capturesParams fact is known; named functions and
// method values used as bodies; and values of user future types. expr is v's
// syntax, when known, to name a spawned future value.
func (c *checker) trace(s *spawnSite, v ssa.Value, expr ast.Expr, seen map[ssa.Value]bool) {
	if v == nil || seen[v] {
		return
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.MakeInterface:
		c.trace(s, v.X, expr, seen)
	case *ssa.ChangeInterface:
		c.trace(s, v.X, expr, seen)
	case *ssa.ChangeType:
		c.trace(s, v.X, expr, seen)
	case *ssa.Convert:
		c.trace(s, v.X, expr, seen)
	case *ssa.Phi:
		for _, e := range v.Edges {
			c.trace(s, e, nil, seen)
		}
	case *ssa.UnOp:
		if alloc, ok := v.X.(*ssa.Alloc); ok && v.Op == token.MUL {
			for _, st := range storedInto(alloc) {
				c.trace(s, st, nil, seen)
			}
			return
		}
		c.traceFuture(s, v, expr)
	case *ssa.Slice:
		if alloc, ok := v.X.(*ssa.Alloc); ok { // the variadic futures of JoinAll or Race
			for _, st := range storedInto(alloc) {
				c.trace(s, st, nil, seen)
			}
		}
	case *ssa.MakeClosure:
		fn := v.Fn.(*ssa.Function)
		s.bodies = append(s.bodies, fn)
		s.mcs = append(s.mcs, v)
		if body := c.sourceBody(boundTarget(fn)); body != nil {
			s.bodies = append(s.bodies, body) // a method value: its method runs as the task
		}
	case *ssa.Function:
		if v.Parent() != nil {
			s.bodies = append(s.bodies, v) // a closure without free variables
		} else if body := c.sourceBody(v); body != nil {
			s.bodies = append(s.bodies, body) // a named function as the body
		}
	case *ssa.Call:
		common := v.Common()
		if e := c.api.CallEntry(common); e != nil {
			if e.Spawn != asyncapi.NoSpawn {
				return // a JoinHandle: that task is checked at its own spawn
			}
			expr := c.calls[v.Pos()]
			for i, a := range common.Args {
				c.trace(s, a, callArg(expr, i), seen)
			}
			return
		}
		if len(c.facts.paramsOf(asyncapi.Callee(common))) > 0 {
			s.ctors = append(s.ctors, v)
			return
		}
		c.traceFuture(s, v, expr)
	default:
		c.traceFuture(s, v, expr)
	}
}

// traceFuture records v if it is a value of a user future type: the task
// polls v itself, so v's Poll method runs as the task, on v's memory.
func (c *checker) traceFuture(s *spawnSite, v ssa.Value, expr ast.Expr) {
	if _, ok := v.(*ssa.Const); ok {
		return // nil
	}
	t := types.Unalias(v.Type())
	if types.IsInterface(t) || isTypeParam(t) || !c.api.IsFuture(t) {
		return
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, c.pass.Pkg, "Poll")
	poll, ok := obj.(*types.Func)
	if !ok || poll.Pkg() == nil || poll.Pkg() == c.api.Package() {
		return // the runtime's own futures (JoinHandle, PollFunc...) synchronize themselves
	}
	f := &futureValue{v: v, expr: expr, poll: poll, body: c.sourceBody(s.fn.Prog.FuncValue(poll.Origin()))}
	s.futures = append(s.futures, f)
	if f.body != nil {
		s.bodies = append(s.bodies, f.body)
	}
}

// callArg returns the syntax of argument i of a call of a runtime function
// (never a method), or nil.
func callArg(call *ast.CallExpr, i int) ast.Expr {
	if call == nil || i >= len(call.Args) {
		return nil
	}
	return call.Args[i]
}

// sourceBody returns the function whose body runs when fn is called, if that
// body is in this package: fn itself, or the generic function fn
// instantiates. It returns nil for synthetic wrappers and for functions of
// other packages, whose SSA has no body here.
func (c *checker) sourceBody(fn *ssa.Function) *ssa.Function {
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if fn.Synthetic != "" || len(fn.Blocks) == 0 || fn.Pkg == nil || fn.Pkg.Pkg != c.pass.Pkg {
		return nil
	}
	return fn
}

// boundTarget returns the method that bound method wrapper fn calls with its
// receiver, or nil if fn is not such a wrapper or the method is dynamic (a
// method value of an interface).
//
// Matched shape: go/ssa's wrapper for s.run, whose body is
// (*T).run(recv, params...) with recv its only free variable.
func boundTarget(fn *ssa.Function) *ssa.Function {
	if fn == nil || !strings.HasPrefix(fn.Synthetic, "bound method wrapper") || len(fn.FreeVars) != 1 {
		return nil
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok && len(call.Call.Args) > 0 && call.Call.Args[0] == fn.FreeVars[0] {
				return call.Call.StaticCallee()
			}
		}
	}
	return nil
}

// captures lists the values s shares with its spawner: the free variables of
// its closures (for a method value, the bound receiver), the user future
// values it polls, and the captured arguments of its constructors.
func (c *checker) captures(s *spawnSite) {
	for _, mc := range s.mcs {
		body := mc.Fn.(*ssa.Function)
		for j, fv := range body.FreeVars {
			if j >= len(mc.Bindings) || c.api.IsTask(fv.Type()) || c.api.IsTask(deref(fv.Type())) {
				continue
			}
			root := mc.Bindings[j]
			typ := fv.Type()
			if isCell(root, fv.Name()) {
				typ = deref(typ)
			}
			cp := &capture{name: fv.Name(), root: root, typ: typ, in: fv, pos: c.callPos(s.call)}
			if id := c.firstUse(body, fv.Name()); id != nil {
				cp.pos, cp.end = id.Pos(), id.End()
			} else if recv := c.boundReceiver(mc); recv != nil {
				cp.name = report.Render(c.pass.Fset, recv)
				cp.pos, cp.end = recv.Pos(), recv.End()
			}
			if m := c.sourceBody(boundTarget(body)); m != nil && len(m.Params) > 0 {
				// A method value: walk the method's own body, so that
				// accesses are reported where they are written.
				cp.in = m.Params[0]
			}
			s.capture = append(s.capture, cp)
		}
	}
	for _, f := range s.futures {
		cp := &capture{name: "future", root: f.v, typ: f.v.Type(), pos: c.callPos(s.call), method: f.poll}
		if f.expr != nil {
			cp.name = report.Render(c.pass.Fset, f.expr)
			cp.pos, cp.end = f.expr.Pos(), f.expr.End()
		}
		if f.body != nil && len(f.body.Params) > 0 {
			cp.in, cp.method = f.body.Params[0], nil
		}
		s.capture = append(s.capture, cp)
	}
	for _, ctor := range s.ctors {
		common := ctor.Common()
		callee := asyncapi.Callee(common)
		expr := c.calls[ctor.Pos()]
		for _, i := range c.facts.paramsOf(callee) {
			if i >= len(common.Args) {
				continue
			}
			arg := common.Args[i]
			cp := &capture{name: "argument", root: arg, typ: arg.Type(), pos: ctor.Pos()}
			if e := argExpr(expr, callee, i); e != nil {
				cp.name = report.Render(c.pass.Fset, e)
				cp.pos, cp.end = e.Pos(), e.End()
			}
			s.capture = append(s.capture, cp)
		}
	}
}

// firstUse returns the first identifier in closure body that refers to the
// captured variable name declared outside it.
func (c *checker) firstUse(body *ssa.Function, name string) *ast.Ident {
	lit, ok := body.Syntax().(*ast.FuncLit)
	if !ok {
		return nil
	}
	var found *ast.Ident
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		id, ok := n.(*ast.Ident)
		if !ok || id.Name != name {
			return true
		}
		if obj := c.pass.TypesInfo.Uses[id]; obj != nil && (obj.Pos() < lit.Pos() || obj.Pos() >= lit.End()) {
			found = id
		}
		return true
	})
	return found
}

// argExpr returns the syntax of argument i of a static call (the receiver is
// argument 0 of a method call, as in SSA).
func argExpr(call *ast.CallExpr, callee *types.Func, i int) ast.Expr {
	if call == nil || callee == nil {
		return nil
	}
	if callee.Signature().Recv() != nil {
		if i == 0 {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
				return sel.X
			}
			return nil
		}
		i--
	}
	if i < len(call.Args) {
		return call.Args[i]
	}
	return nil
}

// isCell reports whether v is the heap cell of a captured variable named
// name: go/ssa captures local variables by reference, so a closure's free
// variable is then a pointer to the variable.
func isCell(v ssa.Value, name string) bool {
	switch v := v.(type) {
	case *ssa.Alloc:
		if v.Comment != name {
			return false
		}
	case *ssa.FreeVar:
		// The spawner is itself a closure: its free variable is the cell.
		if v.Name() != name {
			return false
		}
	default:
		return false
	}
	_, ok := types.Unalias(v.Type()).(*types.Pointer)
	return ok
}

// boundReceiver returns the receiver expression of a method value such as
// l.body used as a task body: go/ssa makes it a closure binding the receiver,
// positioned at the selector.
func (c *checker) boundReceiver(mc *ssa.MakeClosure) ast.Expr {
	if mc.Fn.(*ssa.Function).Synthetic == "" {
		return nil
	}
	var recv ast.Expr
	for _, f := range c.pass.Files {
		if mc.Pos() < f.FileStart || mc.Pos() > f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Pos() == mc.Pos() {
				recv = sel.X
			}
			return recv == nil
		})
	}
	return recv
}

// globals returns this package's package-level variables that s's task
// bodies use, in order of first use. They are shared with every other
// function without being captured.
func (c *checker) globals(s *spawnSite) []*ssa.Global {
	var out []*ssa.Global
	var ops []*ssa.Value
	var scan func(fn *ssa.Function)
	scan = func(fn *ssa.Function) {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ops = instr.Operands(ops[:0])
				for _, op := range ops {
					g, ok := (*op).(*ssa.Global)
					if ok && g.Pkg != nil && g.Pkg.Pkg == c.pass.Pkg && g.Object() != nil && !slices.Contains(out, g) {
						out = append(out, g)
					}
				}
			}
		}
		for _, anon := range fn.AnonFuncs {
			scan(anon)
		}
	}
	for _, body := range s.bodies {
		scan(body)
	}
	return out
}

// funcName spells a spawn helper for messages: pkg.Func, Type.Method, or
// the bare name in its own package.
func (c *checker) funcName(fn *types.Func) string {
	if recv := fn.Signature().Recv(); recv != nil {
		return c.typeString(deref(recv.Type())) + "." + fn.Name()
	}
	if fn.Pkg() == nil || fn.Pkg() == c.pass.Pkg {
		return fn.Name()
	}
	return fn.Pkg().Name() + "." + fn.Name()
}
