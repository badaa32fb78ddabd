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

// No fix where the rewritten code would not compile, or would await on
// another task.

// unnamedTask's body has no name for its task.
func unnamedTask(t *rt.Task) {
	rt.Await(t, rt.Async(func(*rt.Task) int {
		doWork(10) // want `future returned by doWork is never awaited`
		return 0
	}))
}

// unnamedCaptures runs on its own, unnamed task: the t it captures is the
// outer body's, and awaiting on it there would panic.
func unnamedCaptures(t *rt.Task) {
	rt.Await(t, rt.Async(func(*rt.Task) int {
		doWork(18) // want `future returned by doWork is never awaited`
		_ = t
		return 0
	}))
}

func shadowedTask(t *rt.Task) {
	{
		t := 5
		_ = t
		doWork(11) // want `future returned by doWork is never awaited`
	}
}

// otherTask holds a *Task too, but not the one this function runs with.
func otherTask(t *rt.Task, tasks []*rt.Task) {
	for _, t := range tasks {
		doWork(12) // want `future returned by doWork is never awaited`
		_ = t
	}
}

func shadowedPackage(t *rt.Task) {
	rt := 3
	_ = rt
	doWork(13) // want `future returned by doWork is never awaited`
}

// Await cannot infer T from any.
func anyVar(t *rt.Task) {
	var x any = doWork(14)
	_ = x // want `future x \(from doWork\) is never awaited`
}

// The fix is offered where Await can infer T: through the Poll method of
// a user future, and for a future made from a func literal.

type ready struct{}

func (*ready) Poll(*rt.Cx) rt.Poll[int] { return rt.Ready(1) }

func newReady() *ready { return &ready{} }

func userFuture(t *rt.Task) {
	newReady() // want `future returned by newReady is never awaited`
}

func literal(t *rt.Task) {
	rt.Async(func(t *rt.Task) int { return 16 }) // want `future returned by rt.Async is never awaited`
}

// The task is found when it is shadowed only after the statement.
func shadowedLater(t *rt.Task) {
	doWork(17) // want `future returned by doWork is never awaited`
	t2 := t
	{
		t := t2
		_ = t
	}
}
