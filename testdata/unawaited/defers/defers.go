// Package defers covers futures awaited by deferred calls and closures.
package defers

import (
	"github.com/asynclint/asynclint/runtime"
)

func doWork(n int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return n })
}

func deferredIgnores(t *runtime.Task) {
	f := doWork(1) // want `future f \(from doWork\) is never awaited`
	defer func() {
		if f == nil {
			println("nil")
		}
	}()
}

func deferredDiscard(t *runtime.Task) {
	defer func() {
		doWork(2) // want `future returned by doWork is never awaited`
	}()
}

// Negative cases.

func deferredAwait(t *runtime.Task) {
	f := doWork(3)
	defer runtime.Await(t, f)
}

func deferredClosureAwait(t *runtime.Task) {
	f := doWork(4)
	defer func() {
		runtime.Await(t, f)
	}()
}

// assignedAfterDefer: the deferred closure sees the variable, whatever it
// holds when the function returns.
func assignedAfterDefer(t *runtime.Task, ok bool) {
	var f runtime.Future[int]
	defer func() {
		if f != nil {
			runtime.Await(t, f)
		}
	}()
	if ok {
		f = doWork(5)
	}
}

func deferredSpawn(t *runtime.Task) {
	f := doWork(6)
	defer runtime.Spawn(t, f)
}

// deferredBlank: the blank assignment is in the closure, so the report is at
// the binding and no fix rewrites the closure.
func deferredBlank(t *runtime.Task) {
	f := doWork(7) // want `future f \(from doWork\) is never awaited`
	defer func() { _ = f }()
}
