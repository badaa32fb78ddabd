// Package suppressed silences findings with reasons, and has one stale
// directive.
package suppressed

import (
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func work() runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return 1 })
}

// Fire drops a future on purpose.
func Fire(t *runtime.Task) {
	//asynclint:ignore unawaited the probe only checks that construction does not panic
	work()
	time.Sleep(0) //asynclint:ignore blockingcall a zero sleep yields the thread and never blocks
}

// Stale has a directive that suppresses nothing.
func Stale(t *runtime.Task) int {
	//asynclint:ignore sendcheck nothing is spawned here
	return runtime.Await(t, work())
}
