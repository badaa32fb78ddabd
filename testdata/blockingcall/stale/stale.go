// Package stale uses the runtime and blocks nowhere, so an ignore
// directive for blockingcall suppresses nothing.
package stale

import "github.com/asynclint/asynclint/runtime"

func task(t *runtime.Task) {
	//asynclint:ignore blockingcall left over from an old time.Sleep // want `asynclint:ignore for blockingcall suppresses nothing here \(remove it\)`
	runtime.Await(t, runtime.YieldNow())
}
