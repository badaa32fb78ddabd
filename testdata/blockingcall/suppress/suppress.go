// Package suppress checks //asynclint:ignore for blockingcall.
package suppress

import (
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func task(t *runtime.Task) { // want task:"mayBlock\\(task -> time\\.Sleep\\)"
	//asynclint:ignore blockingcall startup delay, runs once before any other task
	time.Sleep(time.Millisecond)

	time.Sleep(time.Millisecond) //asynclint:ignore blockingcall measured: 1ms

	//asynclint:ignore unawaited another check's directive does not apply
	time.Sleep(time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`

	//asynclint:ignore blockingcall nothing blocks on the next line // want `asynclint:ignore for blockingcall suppresses nothing here \(remove it\)`
	runtime.Await(t, runtime.Sleep(time.Millisecond))
}
