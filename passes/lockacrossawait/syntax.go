package lockacrossawait

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/report"
)

// siteOf returns the index of the site of acquiring call instr, creating it
// on first sight. A call inlined in several contexts is one site.
func (a *analyzer) siteOf(instr *ssa.Call, op *lockOp) int {
	if i, ok := a.siteIndex[instr]; ok {
		return i
	}
	s := &site{pos: instr.Pos(), end: instr.Pos(), instr: instr, op: op, awaits: make(map[token.Pos]ssa.CallInstruction)}
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
