package directive_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/directive"
	"github.com/asynclint/asynclint/internal/testutil"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), directive.Analyzer, "./directives/malformed")
}

func TestParse(t *testing.T) {
	const src = `package p

//asynclint:ignore unawaited,sendcheck   the reason, with  spaces
var a = 1 //asynclint:ignore blockingcall trailing

//asynclint:blocking calls into cgo
func f() {}
`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	ds := directive.Parse(fset, file, []byte(src))
	if len(ds) != 3 {
		t.Fatalf("got %d directives, want 3", len(ds))
	}
	d := ds[0]
	if d.Kind != directive.Ignore || len(d.Checks) != 2 || d.Checks[1] != "sendcheck" || d.Reason != "the reason, with  spaces" || !d.OwnLine || d.Line != 3 {
		t.Errorf("first directive = %+v", d)
	}
	if !d.Applies(4) || d.Applies(5) {
		t.Errorf("own-line directive on line 3 should apply to line 4 only (and its own line)")
	}
	if tr := ds[1]; tr.OwnLine || !tr.Applies(4) || tr.Applies(5) {
		t.Errorf("trailing directive = %+v, should apply to its own line only", tr)
	}
	if got := directive.FuncDirective(file.Decls[1].(*ast.FuncDecl), directive.Blocking); got == nil || got.Reason != "calls into cgo" {
		t.Errorf("FuncDirective = %+v", got)
	}
}
