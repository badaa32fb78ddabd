// Package generics checks that type parameters are never judged, while
// concrete instantiations of generic types are.
package generics

import (
	"bytes"

	"github.com/asynclint/asynclint/runtime"
)

type localCache struct {
	runtime.NoSend
	m map[string]int
}

// A value of type parameter type: not judged, whatever T may become.
func spawnValue[T any](t *runtime.Task, v T) *runtime.JoinHandle[T] {
	return runtime.Spawn(t, runtime.Async(func(t *runtime.Task) T {
		return v
	}))
}

// A pointer to a type parameter: not judged either.
func spawnPointer[T any](t *runtime.Task, p *T) {
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) bool {
		return p != nil
	}))
}

// A type-parameter variable written on both sides: not reported (type
// parameters are never judged).
func spawnAssigned[T any](t *runtime.Task, v, w T) {
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) T {
		v = w
		return v
	}))
	v = w
}

// Instantiating the generic function with a NoSend type is not reported
// at the call: the spawn inside it is generic.
func callsGeneric(t *runtime.Task) {
	spawnValue(t, &localCache{})
}

// box is a generic container.
type box[T any] struct {
	v T
}

// A concrete instantiation of a generic struct holding a NoSend is reported.
func concreteBox(t *runtime.Task) {
	b := box[*localCache]{v: &localCache{}}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return len(b.v.m) // want `b is captured by a task spawned with runtime.Spawn but its type box\[\*localCache\] contains runtime.NoSend`
	}))
}

// A concrete instantiation with a harmless type is not.
func concreteBoxClean(t *runtime.Task) {
	b := box[int]{v: 1}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return b.v
	}))
}

// pinned holds a NoSend whatever its type argument is.
type pinned[T any] struct {
	runtime.NoSend
	v T
}

// In generic code, a generic type whose NoSend does not come from T is still
// worker-bound for every T.
func genericPinned[T any](t *runtime.Task, p *pinned[T]) {
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) T {
		return p.v // want `p is captured by a task spawned with runtime.Spawn but its type \*pinned\[T\] contains runtime.NoSend`
	}))
}

// A generic type instantiated with an unsafe std type, used on both sides.
func concreteUnsafe(t *runtime.Task) {
	b := &box[*bytes.Buffer]{v: new(bytes.Buffer)}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		b.v = nil // want `b is captured by a task spawned with runtime.Spawn and also read by the spawner`
		return 0
	}))
	_ = b.v
}

// A type parameter constrained to an unsafe type's method set is not judged.
type writer interface{ WriteString(string) (int, error) }

func genericWriter[W writer](t *runtime.Task, w W) {
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		w.WriteString("task")
		return 0
	}))
	w.WriteString("spawner")
}
