// Package discard covers the basic shapes: a future dropped as a statement,
// assigned to the blank identifier, bound and never used, and overwritten.
package discard

import (
	"errors"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func doWork(n int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return n })
}

func fetch() (runtime.Future[string], error) { return nil, errors.New("x") }

func statement(t *runtime.Task) {
	doWork(1) // want `future returned by doWork is never awaited \(it will not run\)`
}

func sleep(t *runtime.Task) {
	runtime.Sleep(time.Second) // want `future returned by runtime.Sleep is never awaited`
}

func blankCall(t *runtime.Task) {
	_ = doWork(2) // want `future returned by doWork is never awaited`
}

func blankVar(t *runtime.Task) {
	f := doWork(3)
	_ = f // want `future f \(from doWork\) is never awaited`
}

func unused(t *runtime.Task) int {
	f := doWork(4) // want `future f \(from doWork\) is never awaited \(it will not run\)`
	if f == nil {
		return 0
	}
	return 1
}

func overwritten(t *runtime.Task) int {
	f := doWork(5) // want `future f is overwritten before it is awaited \(the first one will not run\)`
	f = doWork(6)
	return runtime.Await(t, f)
}

func tuple(t *runtime.Task) error {
	f, err := fetch() // want `future f \(from fetch\) is never awaited`
	if err != nil {
		return err
	}
	_ = f == nil
	return nil
}

// futureOfFuture awaits the outer future and drops the inner one it yields.
func futureOfFuture(t *runtime.Task) {
	outer := runtime.Async(func(t *runtime.Task) runtime.Future[int] {
		return doWork(7)
	})
	runtime.Await(t, outer) // want `future returned by runtime.Await is never awaited`
}

// Negative cases.

func awaited(t *runtime.Task) int {
	return runtime.Await(t, doWork(8))
}

func returned() runtime.Future[int] {
	return doWork(9)
}

func boundAndAwaited(t *runtime.Task) int {
	f := doWork(10)
	return runtime.Await(t, f)
}

func tupleAwaited(t *runtime.Task) (string, error) {
	f, err := fetch()
	if err != nil {
		return "", err
	}
	return runtime.Await(t, f), nil
}

func joined(t *runtime.Task) int {
	a, b := runtime.Join2(t, doWork(11), doWork(12))
	return a + b
}

func spawned(t *runtime.Task) {
	runtime.Spawn(t, doWork(13)) // a dropped JoinHandle: the task runs anyway
	h := runtime.SpawnLocal(t, doWork(14))
	_ = h
}

func timeout(t *runtime.Task) bool {
	r := runtime.Await(t, runtime.Timeout(time.Second, doWork(15)))
	return r.TimedOut
}

func raced(t *runtime.Task) int {
	return runtime.Await(t, runtime.Race(doWork(16), doWork(17)))
}

func futureOfFutureAwaited(t *runtime.Task) int {
	outer := runtime.Async(func(t *runtime.Task) runtime.Future[int] {
		return doWork(18)
	})
	return runtime.Await(t, runtime.Await(t, outer))
}

func interfaces(t *runtime.Task) int {
	var anyF any = doWork(19)
	f := anyF.(runtime.Future[int])
	return runtime.Await(t, f)
}

func commaOk(t *runtime.Task) int {
	var anyF any = doWork(20)
	if f, ok := anyF.(runtime.Future[int]); ok {
		return runtime.Await(t, f)
	}
	return 0
}

func namedResult() (f runtime.Future[int]) {
	f = doWork(21)
	return
}

func typeSwitch(t *runtime.Task, x any) int {
	switch f := x.(type) {
	case runtime.Future[int]:
		return runtime.Await(t, f)
	}
	return 0
}

func joined3(t *runtime.Task) int {
	a, b, c := runtime.Join3(t, doWork(22), doWork(23), doWork(24))
	return a + b + c
}

func awaitVia(t *runtime.Task, p *runtime.Future[int]) int { return runtime.Await(t, *p) }

func ignoreVia(p *runtime.Future[int]) {}

func throughPointer(t *runtime.Task) int {
	f := doWork(25)
	return awaitVia(t, &f)
}

func droppedThroughPointer(t *runtime.Task) {
	f := doWork(26)
	ignoreVia(&f) // want `future passed to ignoreVia is never awaited \(ignoreVia ignores its parameter\)`
}

func tupleBlank(t *runtime.Task) error {
	_, err := fetch() // want `future returned by fetch is never awaited`
	return err
}
