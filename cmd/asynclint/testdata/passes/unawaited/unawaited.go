// Package unawaited drops a future inside a task.
package unawaited

import "github.com/asynclint/asynclint/runtime"

func work() runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return 1 })
}

// Handle forgets to await work.
func Handle(t *runtime.Task) {
	work()
}
