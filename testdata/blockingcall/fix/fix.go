// Package fix checks the suggested fix for time.Sleep in a task.
package fix

import (
	"time"

	rt "github.com/asynclint/asynclint/runtime"
)

func task(t *rt.Task, d time.Duration) { // want task:"mayBlock\\(task -> time\\.Sleep\\)"
	time.Sleep(d * 2) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
}

func body() rt.Future[int] {
	return rt.Async(func(task *rt.Task) int {
		time.Sleep(time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
		func() {
			time.Sleep(time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
			_ = task
		}()
		return 1
	})
}

// No task in scope: reported without a fix.
func noTask(t *rt.Task) { // want noTask:"mayBlock\\(noTask -> time\\.Sleep\\)"
	func() {
		time.Sleep(time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
	}()
}

// A Poll method has no task: reported without a fix.
type sleeper struct{}

func (sleeper) Poll(cx *rt.Cx) rt.Poll[int] { // want Poll:"mayBlock\\(\\(sleeper\\)\\.Poll -> time\\.Sleep\\)"
	time.Sleep(time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
	return rt.Ready(1)
}

// A blank task parameter cannot be named: reported without a fix.
func blank(_ *rt.Task) { // want blank:"mayBlock\\(blank -> time\\.Sleep\\)"
	time.Sleep(time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
}

// A shadowed task name: reported without a fix.
func shadowed(t *rt.Task) { // want shadowed:"mayBlock\\(shadowed -> time\\.Sleep\\)"
	{
		t := 3
		time.Sleep(time.Duration(t)) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
	}
	_ = t
}

// An unnamed task parameter cannot be named: reported without a fix.
func unnamed() rt.Future[int] {
	return rt.Async(func(*rt.Task) int {
		time.Sleep(time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
		return 0
	})
}

// The runtime's package name is shadowed: reported without a fix.
func shadowedPackage(t *rt.Task) { // want shadowedPackage:"mayBlock\\(shadowedPackage -> time\\.Sleep\\)"
	rt := 3
	_ = rt
	time.Sleep(time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
}

// Another *Task than the function's own: reported without a fix.
func otherTask(t *rt.Task, tasks []*rt.Task) { // want otherTask:"mayBlock\\(otherTask -> time\\.Sleep\\)"
	for _, t := range tasks {
		_ = t
		time.Sleep(time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
	}
}

// time.Sleep through a variable: rewriting the call would leave the
// variable unused. Reported without a fix.
func sleepVar(t *rt.Task) { // want sleepVar:"mayBlock\\(sleepVar -> time\\.Sleep\\)"
	sleep := time.Sleep
	sleep(time.Millisecond) // want `sleep blocks the worker thread; use runtime.Sleep`
}
