// Package slices covers futures collected in slices: by append, by slice
// literals, and in slices that escape.
package slices

import (
	"github.com/asynclint/asynclint/runtime"
)

func doWork(n int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return n })
}

func appendedOnlyCounted(t *runtime.Task) int {
	var fs []runtime.Future[int]
	for i := range 3 {
		fs = append(fs, doWork(i)) // want `futures appended to fs are never awaited \(they will not run\)`
	}
	return len(fs)
}

func literalOnlyCounted(t *runtime.Task) int {
	fs := []runtime.Future[int]{doWork(1), doWork(2)} // want `futures put in fs are never awaited` `futures put in fs are never awaited`
	return len(fs)
}

func joinAllDiscarded(t *runtime.Task) {
	runtime.JoinAll(doWork(3), doWork(4)) // want `future returned by runtime.JoinAll is never awaited`
}

// Negative cases.

func appendedAndJoined(t *runtime.Task) []int {
	var fs []runtime.Future[int]
	for i := range 3 {
		fs = append(fs, doWork(i))
	}
	return runtime.Await(t, runtime.JoinAll(fs...))
}

func literalAndRaced(t *runtime.Task) int {
	fs := []runtime.Future[int]{doWork(5), doWork(6)}
	return runtime.Await(t, runtime.Race(fs...))
}

func rangedAndAwaited(t *runtime.Task) int {
	fs := []runtime.Future[int]{doWork(7), doWork(8)}
	total := 0
	for _, f := range fs {
		total += runtime.Await(t, f)
	}
	return total
}

func indexedAndAwaited(t *runtime.Task) int {
	var arr [2]runtime.Future[int]
	arr[0] = doWork(9)
	arr[1] = doWork(10)
	return runtime.Await(t, arr[0]) + runtime.Await(t, arr[1])
}

// escapingSlice stores into the caller's slice: the caller awaits them.
func escapingSlice(fs []runtime.Future[int]) {
	fs[0] = doWork(11)
}

func returnedSlice() []runtime.Future[int] {
	return []runtime.Future[int]{doWork(12)}
}

func appendedAndReturned(fs []runtime.Future[int]) []runtime.Future[int] {
	return append(fs, doWork(13))
}
