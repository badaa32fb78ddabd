package asyncapi_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/testutil"
)

// taskProbe reports asyncapi.TaskParam of every source function.
var taskProbe = &analysis.Analyzer{
	Name:     "taskprobe",
	Doc:      "taskprobe: report the task in scope of each function",
	Requires: []*analysis.Analyzer{asyncapi.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		res := pass.ResultOf[asyncapi.Analyzer].(*asyncapi.Result)
		_, funcs := res.SSA()
		for _, fn := range funcs {
			if name, ok := res.API.TaskParam(fn); ok {
				pass.Reportf(fn.Pos(), "task %s", name)
			} else {
				pass.Reportf(fn.Pos(), "no task")
			}
		}
		return nil, nil
	},
}

func TestTaskParam(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), taskProbe, "./asyncapi/taskparam")
}
