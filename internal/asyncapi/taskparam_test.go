package asyncapi_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/testutil"
)

// taskProbe reports asyncapi.TaskParam of every source function.
var taskProbe = funcProbe("taskprobe", func(pass *analysis.Pass, res *asyncapi.Result, fn *ssa.Function) {
	if name, ok := res.API.TaskParam(fn); ok {
		pass.Reportf(fn.Pos(), "task %s", name)
	} else {
		pass.Reportf(fn.Pos(), "no task")
	}
})

func TestTaskParam(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), taskProbe, "./asyncapi/taskparam")
}
