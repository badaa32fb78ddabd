// Package main covers futures outside task context: main, goroutines and the
// blocking pool. They are reported like any other, without a fix.
package main

import (
	"github.com/asynclint/asynclint/runtime"
)

func doWork(n int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return n })
}

func main() {
	doWork(1)      // want `future returned by doWork is never awaited`
	f := doWork(2) // want `future f \(from doWork\) is never awaited`
	_ = f == nil
	go func() {
		doWork(3) // want `future returned by doWork is never awaited`
	}()
	runtime.Run(doWork(4))
	go runtime.Run(doWork(8))
	rt := runtime.New()
	defer rt.Close()
	runtime.BlockOn(rt, doWork(5))
	runtime.SpawnOn(rt, doWork(6))
	runtime.Run(runtime.Async(func(t *runtime.Task) int {
		h := runtime.SpawnBlocking(t, func() int {
			doWork(7) // want `future returned by doWork is never awaited`
			return 7
		})
		return runtime.Await(t, h)
	}))
}
