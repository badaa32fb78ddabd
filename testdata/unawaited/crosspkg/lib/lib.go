// Package lib has exported functions that consume or drop the futures they
// are given; the consumesParams fact carries that to other packages.
package lib

import (
	"github.com/asynclint/asynclint/runtime"
)

var pending []runtime.Future[int]

func Get[T any](v T) runtime.Future[T] {
	return runtime.Async(func(t *runtime.Task) T { return v })
}

func Drop(f runtime.Future[int]) {} // want Drop:"consumes\\(\\)"

func Consume(t *runtime.Task, f runtime.Future[int]) int { // want Consume:"consumes\\(1\\)"
	return runtime.Await(t, f)
}

func Keep(f runtime.Future[int]) { // want Keep:"consumes\\(0\\)"
	pending = append(pending, f)
}

// Sometimes consumes on one path only: that is consuming.
func Sometimes(t *runtime.Task, f runtime.Future[int], skip bool) int { // want Sometimes:"consumes\\(1\\)"
	if skip {
		return 0
	}
	return runtime.Await(t, f)
}

func Second(a, b runtime.Future[int]) runtime.Future[int] { // want Second:"consumes\\(1\\)"
	return b
}

// Forward passes its future to Drop, which ignores it.
func Forward(f runtime.Future[int]) { // want Forward:"consumes\\(\\)"
	Drop(f)
}

// Recurse only hands its future to itself.
func Recurse(f runtime.Future[int], n int) { // want Recurse:"consumes\\(\\)"
	if n > 0 {
		Recurse(f, n-1)
	}
}

func DropAll(fs ...runtime.Future[int]) int { // want DropAll:"consumes\\(\\)"
	return len(fs)
}

func AwaitAll(t *runtime.Task, fs ...runtime.Future[int]) []int { // want AwaitAll:"consumes\\(1\\)"
	return runtime.Await(t, runtime.JoinAll(fs...))
}

func DropGeneric[T any](f runtime.Future[T]) {} // want DropGeneric:"consumes\\(\\)"

type Queue struct{ items []runtime.Future[int] }

// Add keeps the future in the queue: the receiver is not counted.
func (q *Queue) Add(f runtime.Future[int]) { // want Add:"consumes\\(0\\)"
	q.items = append(q.items, f)
}

func (q *Queue) Ignore(f runtime.Future[int]) {} // want Ignore:"consumes\\(\\)"

// unexported functions get no fact: other packages cannot call them.
func drop(f runtime.Future[int]) {}

// NoFutures takes no future: no fact.
func NoFutures(n int) int { return n }

func UsesDrop() { drop(nil) }

type Box[T any] struct{ kept runtime.Future[T] }

func (b *Box[T]) Put(f runtime.Future[T]) {} // want Put:"consumes\\(\\)"

func (b *Box[T]) Keep(f runtime.Future[T]) { b.kept = f } // want Keep:"consumes\\(0\\)"
