// Package fixes covers the "Await the future" fix: offered where a *Task is
// in scope, and not elsewhere.
package fixes

import (
	"time"

	rt "github.com/asynclint/asynclint/runtime"
)

func doWork(n int) rt.Future[int] {
	return rt.Async(func(t *rt.Task) int { return n })
}

func statement(t *rt.Task) {
	doWork(1) // want `future returned by doWork is never awaited`
}

func sleep(task *rt.Task) {
	rt.Sleep(time.Second) // want `future returned by rt.Sleep is never awaited`
}

func blankCall(t *rt.Task) {
	_ = doWork(2) // want `future returned by doWork is never awaited`
}

func blankVar(t *rt.Task) {
	f := doWork(3)
	_ = f // want `future f \(from doWork\) is never awaited`
}

func inAsync() rt.Future[int] {
	return rt.Async(func(inner *rt.Task) int {
		doWork(4) // want `future returned by doWork is never awaited`
		return 4
	})
}

func captured(t *rt.Task) int {
	return func() int {
		doWork(5) // want `future returned by doWork is never awaited`
		return rt.Await(t, doWork(50))
	}()
}

// No fix: no task in scope.

// notCaptured has a task in the enclosing function, but the closure does
// not capture it.
func notCaptured(t *rt.Task) {
	func() {
		doWork(51) // want `future returned by doWork is never awaited`
	}()
}

func noTask() {
	doWork(6) // want `future returned by doWork is never awaited`
}

func goroutine(t *rt.Task) {
	go func() {
		doWork(7) // want `future returned by doWork is never awaited`
	}()
}

func pair() (rt.Future[int], error) { return doWork(9), nil }

// No fix: Await takes a future, not the pair.
func tuple(t *rt.Task) {
	pair() // want `future returned by pair is never awaited`
}

// No fix: a bound variable has no single statement to rewrite.
func bound(t *rt.Task) bool {
	f := doWork(8) // want `future f \(from doWork\) is never awaited`
	return f == nil
}
