package report_test

import (
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/report"
	"github.com/asynclint/asynclint/internal/testutil"
)

// probe reports every call to a function named mark, as check "unawaited",
// so that the testdata can state what suppression does.
var probe = &analysis.Analyzer{
	Name: "probe",
	Doc:  "probe: report calls to mark",
	Run: func(pass *analysis.Pass) (any, error) {
		r := report.New(pass, "unawaited")
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "mark" {
						r.Report(analysis.Diagnostic{Pos: call.Pos(), Message: "marked " + report.Render(pass.Fset, call)})
					}
				}
				return true
			})
		}
		r.Finish()
		return nil, nil
	},
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), probe, "./report/suppress")
}
