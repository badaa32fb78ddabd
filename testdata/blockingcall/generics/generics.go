// Package generics follows blocking through generic functions and methods.
package generics

import (
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func retry[T any](f func() T) T { // want retry:"mayBlock\\(retry -> time\\.Sleep\\)"
	time.Sleep(time.Millisecond)
	return f()
}

func identity[T any](v T) T { return v }

type Queue[T any] struct{ ch chan T }

func (q *Queue[T]) Pop() T { // want Pop:"mayBlock\\(\\(\\*Queue\\)\\.Pop -> channel receive\\)"
	return <-q.ch
}

func (q *Queue[T]) Len() int { return len(q.ch) }

func use(t *runtime.Task, q *Queue[string]) { // want use:"mayBlock\\(use -> retry -> time\\.Sleep\\)"
	retry(func() int { return 1 }) // want `call to retry blocks the worker \(retry -> time.Sleep\)`
	_ = identity(1)
	q.Pop() // want `call to q.Pop blocks the worker \(\(\*Queue\).Pop -> channel receive\)`
	_ = q.Len()
}

// generic task bodies are task context too.
func genericTask[T any](t *runtime.Task, ch chan T) T { // want genericTask:"mayBlock\\(genericTask -> channel receive\\)"
	return <-ch // want `channel receive blocks the worker thread; use runtime.Chan or a future`
}

// A type parameter's method is dynamic: not followed.
type reader interface{ Read([]byte) (int, error) }

func readAll[R reader](t *runtime.Task, r R, buf []byte) {
	r.Read(buf)
}
