// Package generics covers generic functions that return, consume or drop
// futures, and futures whose type is a type parameter.
package generics

import (
	"github.com/asynclint/asynclint/runtime"
)

func get[T any](v T) runtime.Future[T] {
	return runtime.Async(func(t *runtime.Task) T { return v })
}

func awaitIt[T any](t *runtime.Task, f runtime.Future[T]) T { return runtime.Await(t, f) }

func ignoreIt[T any](f runtime.Future[T]) {}

func awaitParam[F runtime.Future[int]](t *runtime.Task, f F) int {
	return runtime.Await[int](t, f)
}

func discardedInstance(t *runtime.Task) {
	get[int](1) // want `future returned by get\[int\] is never awaited`
}

func discardedInferred(t *runtime.Task) {
	get("x") // want `future returned by get is never awaited`
}

func droppedByGeneric(t *runtime.Task) {
	ignoreIt(get(2)) // want `future passed to ignoreIt is never awaited \(ignoreIt ignores its parameter\)`
}

func typeParamFuture[F runtime.Future[int]](t *runtime.Task, mk func() F) {
	mk() // want `future returned by mk is never awaited`
}

type box[T any] struct{ v T }

func (b box[T]) future() runtime.Future[T] { return get(b.v) }

func genericMethod(t *runtime.Task, b box[string]) {
	b.future() // want `future returned by b.future is never awaited`
}

// Negative cases.

func consumedByGeneric(t *runtime.Task) int {
	return awaitIt(t, get(3))
}

func consumedByTypeParam(t *runtime.Task) int {
	return awaitParam(t, get(4))
}

func typeParamAwaited[F runtime.Future[int]](t *runtime.Task, mk func() F) int {
	return runtime.Await[int](t, mk())
}

func returnedGeneric[T any](v T) runtime.Future[T] {
	return get(v)
}

type queue[T any] struct{ fs []runtime.Future[T] }

func (q *queue[T]) add(f runtime.Future[T]) { q.fs = append(q.fs, f) }

func (q *queue[T]) skip(f runtime.Future[T]) {}

func genericMethodKeeps(q *queue[int]) {
	q.add(get(5))
}

func genericMethodDrops(q *queue[int]) {
	q.skip(get(6)) // want `future passed to q.skip is never awaited`
}
