package asyncapi_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/testutil"
)

// contextProbe reports the context of every named function that has one
// and of every closure.
var contextProbe = funcProbe("contextprobe", func(pass *analysis.Pass, res *asyncapi.Result, fn *ssa.Function) {
	if fn.Synthetic != "" || !fn.Pos().IsValid() {
		return
	}
	if c := res.Contexts()[fn]; c != asyncapi.NoContext || fn.Parent() != nil {
		pass.Reportf(fn.Pos(), "context %s", c)
	}
})

// callbackProbe reports asyncapi.CallbackClosures of every call.
var callbackProbe = funcProbe("callbackprobe", func(pass *analysis.Pass, res *asyncapi.Result, fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			var names []string
			for _, cb := range asyncapi.CallbackClosures(call.Common()) {
				names = append(names, cb.Name())
			}
			if len(names) > 0 {
				pass.Reportf(call.Pos(), "calls back %s", strings.Join(names, " "))
			}
		}
	}
})

// TestCallbackClosures checks which closures a call is known to run before
// it returns.
func TestCallbackClosures(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), callbackProbe, "./asyncapi/callbackargs")
}

// TestCallbacks checks that closures passed to the standard library's
// synchronous callback functions inherit their caller's context, and that
// closures given to anything else do not.
func TestCallbacks(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), contextProbe, "./asyncapi/callbacks")
}
