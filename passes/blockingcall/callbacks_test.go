package blockingcall_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/testutil"
	"github.com/asynclint/asynclint/passes/blockingcall"
)

// TestCallbacks checks blocking calls inside closures that the standard
// library calls back synchronously (sync.Once.Do, sort.Slice, ...): they
// run on the worker and are reported in the closure, while closures given
// to unknown functions, goroutines and SpawnBlocking are not.
func TestCallbacks(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), blockingcall.Analyzer, "./blockingcall/callbacks")
}
