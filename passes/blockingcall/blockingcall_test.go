package blockingcall_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/testutil"
	"github.com/asynclint/asynclint/passes/blockingcall"
)

func TestDirect(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), blockingcall.Analyzer, "./blockingcall/direct")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), blockingcall.Analyzer, "./blockingcall/crosspkg/...")
}

func TestTransitive(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), blockingcall.Analyzer, "./blockingcall/transitive")
}
