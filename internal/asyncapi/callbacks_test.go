package asyncapi_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/testutil"
)

// contextProbe reports the context of every named function that has one
// and of every closure.
var contextProbe = &analysis.Analyzer{
	Name:     "contextprobe",
	Doc:      "contextprobe: report the context of each function",
	Requires: []*analysis.Analyzer{asyncapi.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		res := pass.ResultOf[asyncapi.Analyzer].(*asyncapi.Result)
		_, funcs := res.SSA()
		ctx := res.Contexts()
		for _, fn := range funcs {
			if fn.Synthetic != "" || !fn.Pos().IsValid() {
				continue
			}
			if c := ctx[fn]; c != asyncapi.NoContext || fn.Parent() != nil {
				pass.Reportf(fn.Pos(), "context %s", c)
			}
		}
		return nil, nil
	},
}

// TestCallbacks checks that closures passed to the standard library's
// synchronous callback functions inherit their caller's context, and that
// closures given to anything else do not.
func TestCallbacks(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), contextProbe, "./asyncapi/callbacks")
}
