// Package strict is checked with -unawaited.strict: a future must be
// consumed on every path that returns.
package strict

import (
	"github.com/asynclint/asynclint/runtime"
)

func doWork(n int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return n })
}

func earlyReturn(t *runtime.Task, cached bool) int {
	f := doWork(1) // want `future f \(from doWork\) is not awaited on every path \(it will not run when the function returns early\)`
	if cached {
		return 0
	}
	return runtime.Await(t, f)
}

func oneBranch(t *runtime.Task, ok bool) {
	f := doWork(2) // want `future f \(from doWork\) is not awaited on every path`
	if ok {
		runtime.Await(t, f)
	}
}

func someIterations(t *runtime.Task) {
	for i := range 4 {
		f := doWork(i) // want `future f \(from doWork\) is not awaited on every path`
		if i%2 == 0 {
			runtime.Await(t, f)
		}
	}
}

// lastIteration awaits only the future of the last iteration.
func lastIteration(t *runtime.Task) int {
	var f runtime.Future[int]
	for i := range 3 {
		f = doWork(i) // want `future f \(from doWork\) is not awaited on every path \(the next iteration replaces it before it runs\)`
	}
	return runtime.Await(t, f)
}

func unnamed(t *runtime.Task, ok bool) int {
	if ok {
		return 0
	}
	return runtime.Await(t, doWork(3))
}

// never is reported as in the default mode.
func never(t *runtime.Task) {
	doWork(4) // want `future returned by doWork is never awaited`
}

// Negative cases.

func everyPath(t *runtime.Task, ok bool) int {
	f := doWork(5)
	if ok {
		return runtime.Await(t, f)
	}
	return 2 * runtime.Await(t, f)
}

func panicPath(t *runtime.Task, ok bool) int {
	f := doWork(6)
	if !ok {
		panic("bad")
	}
	return runtime.Await(t, f)
}

func deferred(t *runtime.Task, ok bool) int {
	f := doWork(7)
	defer runtime.Await(t, f)
	if ok {
		return 1
	}
	return 2
}

func returned(ok bool) runtime.Future[int] {
	f := doWork(8)
	if ok {
		return f
	}
	return runtime.Async(func(t *runtime.Task) int { return runtime.Await(t, f) + 1 })
}

// collected futures stay in the slice from one iteration to the next.
func collected(t *runtime.Task) []int {
	var fs []runtime.Future[int]
	for i := range 3 {
		fs = append(fs, doWork(i))
	}
	return runtime.Await(t, runtime.JoinAll(fs...))
}
