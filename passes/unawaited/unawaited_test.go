package unawaited_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/testutil"
	"github.com/asynclint/asynclint/passes/unawaited"
)

// features are the testdata packages checked with the default settings, one
// per language feature.
var features = []string{
	"./unawaited/discard",
	"./unawaited/branches",
	"./unawaited/loops",
	"./unawaited/defers",
	"./unawaited/closures",
	"./unawaited/generics",
	"./unawaited/methods",
	"./unawaited/slices",
	"./unawaited/stores",
	"./unawaited/polls",
	"./unawaited/main",
}

func TestUnawaited(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), unawaited.Analyzer, features...)
}
