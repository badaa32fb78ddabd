// Package loops covers futures created and consumed in loops.
package loops

import (
	"github.com/asynclint/asynclint/runtime"
)

func doWork(n int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return n })
}

func discardedEachIteration(t *runtime.Task) {
	for i := range 3 {
		doWork(i) // want `future returned by doWork is never awaited`
	}
}

func boundEachIteration(t *runtime.Task, n int) int {
	total := 0
	for i := 0; i < n; i++ {
		f := doWork(i) // want `future f \(from doWork\) is never awaited`
		if f == nil {
			total++
		}
	}
	return total
}

func whileLoop(t *runtime.Task) {
	n := 0
	for n < 10 {
		runtime.YieldNow() // want `future returned by runtime.YieldNow is never awaited`
		n++
	}
}

// serve never returns: each iteration's future is replaced by the next.
func serve(t *runtime.Task, requests chan int) {
	for n := range requests {
		doWork(n) // want `future returned by doWork is never awaited`
	}
}

func serveForever(t *runtime.Task, next func() int) {
	for {
		f := doWork(next()) // want `future f \(from doWork\) is never awaited`
		_ = f == nil
	}
}

// beforeForever never consumes a future and never returns.
func beforeForever(t *runtime.Task) {
	f := doWork(0) // want `future f \(from doWork\) is never awaited`
	_ = f == nil
	for {
	}
}

// Negative cases.

func awaitedEachIteration(t *runtime.Task) int {
	total := 0
	for i := range 3 {
		total += runtime.Await(t, doWork(i))
	}
	return total
}

func awaitedOnSomeIterations(t *runtime.Task) int {
	total := 0
	for i := range 4 {
		f := doWork(i)
		if i%2 == 0 {
			total += runtime.Await(t, f)
		}
	}
	return total
}

func carriedAcrossIterations(t *runtime.Task) int {
	var prev runtime.Future[int]
	total := 0
	for i := range 3 {
		if prev != nil {
			total += runtime.Await(t, prev)
		}
		prev = doWork(i)
	}
	return total
}

func awaitedAfterLoop(t *runtime.Task, n int) int {
	var f runtime.Future[int]
	for i := range n {
		if i == n-1 {
			f = doWork(i)
		}
	}
	if f == nil {
		return 0
	}
	return runtime.Await(t, f)
}

func rangeFunc(t *runtime.Task, seq func(yield func(int) bool)) int {
	total := 0
	for i := range seq {
		total += runtime.Await(t, doWork(i))
	}
	return total
}

// serveAndAwait consumes each future in a loop that never returns.
func serveAndAwait(t *runtime.Task, next func() int) {
	for {
		runtime.Await(t, doWork(next()))
	}
}
