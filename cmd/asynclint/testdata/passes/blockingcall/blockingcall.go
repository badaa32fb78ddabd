// Package blockingcall sleeps on a worker thread.
package blockingcall

import (
	"time"

	"github.com/asynclint/asynclint/runtime"
)

// Nap blocks the worker that polls it.
func Nap() runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int {
		time.Sleep(time.Millisecond)
		return 1
	})
}
