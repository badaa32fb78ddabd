// Package closures covers futures captured by, created in and passed to
// function literals.
package closures

import (
	"github.com/asynclint/asynclint/runtime"
)

func doWork(n int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return n })
}

func insideAsync() runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int {
		doWork(1) // want `future returned by doWork is never awaited`
		return 1
	})
}

func capturedNotConsumed(t *runtime.Task) bool {
	f := doWork(2) // want `future f \(from doWork\) is never awaited`
	isNil := func() bool { return f == nil }
	return isNil()
}

func closureParamDropped(t *runtime.Task) {
	ignore := func(f runtime.Future[int]) {}
	ignore(doWork(3)) // want `future passed to ignore is never awaited \(ignore ignores its parameter\)`
}

func goroutine() {
	go func() {
		doWork(4) // want `future returned by doWork is never awaited`
	}()
}

// Negative cases.

func capturedAndAwaited(t *runtime.Task) int {
	f := doWork(5)
	get := func() int { return runtime.Await(t, f) }
	return get()
}

func closureParamAwaited(t *runtime.Task) int {
	await := func(f runtime.Future[int]) int { return runtime.Await(t, f) }
	return await(doWork(6))
}

func capturedByAsync(t *runtime.Task) int {
	f := doWork(7)
	outer := runtime.Async(func(t *runtime.Task) int { return runtime.Await(t, f) })
	return runtime.Await(t, outer)
}

func functionValue(t *runtime.Task, apply func(runtime.Future[int])) {
	apply(doWork(8)) // unknown callee: counts as consuming
}

func goroutineRuns() {
	f := doWork(9)
	go func() {
		runtime.Run(f)
	}()
}

func returnedFromClosure() runtime.Future[int] {
	mk := func() runtime.Future[int] { return doWork(10) }
	return mk()
}

// wrap hands its parameter to an async body that awaits it.
func wrap(f runtime.Future[int]) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return runtime.Await(t, f) })
}

func wrapped(t *runtime.Task) int {
	return runtime.Await(t, wrap(doWork(11)))
}

func offloaded(t *runtime.Task) int {
	f := doWork(12)
	h := runtime.SpawnBlocking(t, func() int { return runtime.Run(f) })
	return runtime.Await(t, h)
}
