// Package user calls lib's functions; whether each drops the future it is
// given comes from lib's facts.
package user

import (
	"github.com/asynclint/asynclint/runtime"

	"asynclint.test/unawaited/crosspkg/lib"
)

func doWork(n int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return n })
}

func dropped(t *runtime.Task) {
	lib.Drop(doWork(1)) // want `future passed to lib.Drop is never awaited \(lib.Drop ignores its parameter\)`
}

func droppedBound(t *runtime.Task) {
	f := doWork(2)
	lib.Forward(f) // want `future passed to lib.Forward is never awaited`
}

func droppedVariadic(t *runtime.Task) {
	lib.DropAll(doWork(3), doWork(4)) // want `future passed to lib.DropAll is never awaited`
}

func droppedByMethod(t *runtime.Task, q *lib.Queue) {
	q.Ignore(doWork(5)) // want `future passed to q.Ignore is never awaited \(q.Ignore ignores its parameter\)`
}

func droppedGeneric(t *runtime.Task) {
	lib.DropGeneric(lib.Get("x")) // want `future passed to lib.DropGeneric is never awaited`
}

func firstOfTwo(t *runtime.Task) int {
	return runtime.Await(t, lib.Second(doWork(6), doWork(7))) // want `future passed to lib.Second is never awaited`
}

func genericDiscarded(t *runtime.Task) {
	lib.Get[int](8) // want `future returned by lib.Get\[int\] is never awaited`
}

func genericUnused(t *runtime.Task) bool {
	f := lib.Get(9) // want `future f \(from lib.Get\) is never awaited`
	return f == nil
}

// Negative cases.

func consumed(t *runtime.Task) int {
	return lib.Consume(t, doWork(10))
}

func kept() {
	lib.Keep(doWork(11))
}

func sometimes(t *runtime.Task) int {
	return lib.Sometimes(t, doWork(12), true)
}

func awaitAll(t *runtime.Task) []int {
	return lib.AwaitAll(t, doWork(13), doWork(14))
}

func queued(q *lib.Queue) {
	q.Add(doWork(15))
}

func second(t *runtime.Task) int {
	a := doWork(16)
	b := lib.Second(a, doWork(17))
	return runtime.Await(t, a) + runtime.Await(t, b)
}

func genericMethodDrops(b *lib.Box[int]) {
	b.Put(doWork(18)) // want `future passed to b.Put is never awaited \(b.Put ignores its parameter\)`
}

func genericMethodKeeps(b *lib.Box[int]) {
	b.Keep(doWork(19))
}
