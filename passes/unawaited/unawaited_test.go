package unawaited_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/testutil"
	"github.com/asynclint/asynclint/passes/unawaited"
)

func TestUnawaited(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), unawaited.Analyzer, "./unawaited/discard")
}
