package lockacrossawait_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/testutil"
	"github.com/asynclint/asynclint/passes/lockacrossawait"
)

func TestLocks(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), lockacrossawait.Analyzer, "./lockacrossawait/locks")
}
