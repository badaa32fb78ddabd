package fix

import (
	"time"

	rt "github.com/asynclint/asynclint/runtime"
)

// This file has no .golden: RunWithSuggestedFixes fails if any fix is
// offered here.

// time is used only to call Sleep: applying both fixes would leave the
// import unused. Reported without a fix.
func onlySleep(t *rt.Task) { // want onlySleep:"mayBlock\\(onlySleep -> time\\.Sleep\\)"
	time.Sleep(1) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
	time.Sleep(2) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
}
