package sendcheck

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

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
	bodies  []*ssa.Function    // closures that run as (part of) the task
	ctors   []*ssa.Call        // constructor calls whose future is spawned
	capture []*capture         // in source order
	mcs     []*ssa.MakeClosure // the closures' MakeClosure instructions, in fn
}

// capture is one value the spawned task shares with its spawner.
type capture struct {
	name     string       // the user's spelling
	pos, end token.Pos    // where to report it
	root     ssa.Value    // the value in the spawner: a heap cell for an assigned variable
	typ      types.Type   // the captured variable's type
	fv       *ssa.FreeVar // in the task's closure; nil for a constructor argument or a global
	global   bool         // root is a package-level variable the task uses
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
							c.trace(s, call.Call.Args[i], make(map[ssa.Value]bool))
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
				c.trace(s, call.Call.Args[e.SpawnArg], make(map[ssa.Value]bool))
				c.captures(s)
				out = append(out, s)
			}
		}
	}
	return out
}

// trace finds what the spawned future v is made of: Async (or PollFunc)
// closures, directly or through local variables, runtime combinators and
// constructor calls whose capturesParams fact is known.
func (c *checker) trace(s *spawnSite, v ssa.Value, seen map[ssa.Value]bool) {
	if v == nil || seen[v] {
		return
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.MakeInterface:
		c.trace(s, v.X, seen)
	case *ssa.ChangeInterface:
		c.trace(s, v.X, seen)
	case *ssa.ChangeType:
		c.trace(s, v.X, seen)
	case *ssa.Convert:
		c.trace(s, v.X, seen)
	case *ssa.Phi:
		for _, e := range v.Edges {
			c.trace(s, e, seen)
		}
	case *ssa.UnOp:
		if alloc, ok := v.X.(*ssa.Alloc); ok && v.Op == token.MUL {
			for _, st := range storedInto(alloc) {
				c.trace(s, st, seen)
			}
		}
	case *ssa.Slice:
		if alloc, ok := v.X.(*ssa.Alloc); ok { // the variadic futures of JoinAll or Race
			for _, st := range storedInto(alloc) {
				c.trace(s, st, seen)
			}
		}
	case *ssa.MakeClosure:
		s.bodies = append(s.bodies, v.Fn.(*ssa.Function))
		s.mcs = append(s.mcs, v)
	case *ssa.Function:
		if v.Parent() != nil {
			s.bodies = append(s.bodies, v) // a closure without free variables
		}
	case *ssa.Call:
		common := v.Common()
		if e := c.api.CallEntry(common); e != nil {
			if e.Spawn != asyncapi.NoSpawn {
				return // a JoinHandle: that task is checked at its own spawn
			}
			for _, a := range common.Args {
				c.trace(s, a, seen)
			}
			return
		}
		if len(c.facts.paramsOf(asyncapi.Callee(common))) > 0 {
			s.ctors = append(s.ctors, v)
		}
	}
}

// captures lists the values s shares with its spawner: the free variables of
// its closures and the captured arguments of its constructors.
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
			cp := &capture{name: fv.Name(), root: root, typ: typ, fv: fv, pos: s.call.Pos()}
			if id := c.firstUse(body, fv.Name()); id != nil {
				cp.pos, cp.end = id.Pos(), id.End()
			} else if recv := c.boundReceiver(mc); recv != nil {
				cp.name = report.Render(c.pass.Fset, recv)
				cp.pos, cp.end = recv.Pos(), recv.End()
			}
			s.capture = append(s.capture, cp)
		}
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
