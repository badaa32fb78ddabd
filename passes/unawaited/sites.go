package unawaited

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// siteIndex is the syntax around the package's calls, which SSA forgets:
// how the user spelled a callee, which variable a result was bound to,
// whether that variable is assigned again, and the statement a fix rewrites.
type siteIndex struct {
	calls   map[token.Pos]*site              // by the call's Lparen, which is ssa.Call.Pos
	assigns map[types.Object][]token.Pos     // positions of the assignments to each variable
	blanks  map[types.Object]*ast.AssignStmt // `_ = v` statements
}

// site is one call expression and its enclosing nodes up to its statement,
// innermost first, parentheses skipped.
type site struct {
	call    *ast.CallExpr
	parents []ast.Node
}

func indexSites(pass *analysis.Pass) *siteIndex {
	idx := &siteIndex{
		calls:   make(map[token.Pos]*site),
		assigns: make(map[types.Object][]token.Pos),
		blanks:  make(map[types.Object]*ast.AssignStmt),
	}
	objOf := func(e ast.Expr) types.Object {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok || id.Name == "_" {
			return nil
		}
		if obj := pass.TypesInfo.Defs[id]; obj != nil {
			return obj
		}
		return pass.TypesInfo.Uses[id]
	}
	for _, file := range pass.Files {
		var stack []ast.Node
		ast.Inspect(file, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			switch n := n.(type) {
			case *ast.CallExpr:
				s := &site{call: n}
				for i := len(stack) - 1; i >= 0; i-- {
					p := stack[i]
					if _, paren := p.(*ast.ParenExpr); paren {
						continue
					}
					s.parents = append(s.parents, p)
					if _, stmt := p.(ast.Stmt); stmt || len(s.parents) == 6 {
						break
					}
				}
				idx.calls[n.Lparen] = s
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					if obj := objOf(lhs); obj != nil {
						idx.assigns[obj] = append(idx.assigns[obj], n.Pos())
					}
				}
				if len(n.Lhs) == 1 && len(n.Rhs) == 1 && isBlank(n.Lhs[0]) {
					if obj := objOf(n.Rhs[0]); obj != nil {
						idx.blanks[obj] = n
					}
				}
			case *ast.ValueSpec:
				for _, name := range n.Names {
					if obj := objOf(name); obj != nil && len(n.Values) > 0 {
						idx.assigns[obj] = append(idx.assigns[obj], name.Pos())
					}
				}
			}
			stack = append(stack, n)
			return true
		})
	}
	return idx
}

func isBlank(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "_"
}
