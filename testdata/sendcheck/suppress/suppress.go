// Package suppress checks //asynclint:ignore for sendcheck.
package suppress

import "github.com/asynclint/asynclint/runtime"

type local struct{ runtime.NoSend }

func suppressed(t *runtime.Task) {
	l := &local{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) bool {
		//asynclint:ignore sendcheck the runtime in this program has one worker
		return l != nil
	}))
}

func suppressedRace(t *runtime.Task) {
	n := 0
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		n++ //asynclint:ignore sendcheck benign counter, only logged
		return 0
	}))
	n++
}

func otherCheck(t *runtime.Task) {
	l := &local{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) bool {
		//asynclint:ignore unawaited this names another check
		return l != nil // want `l is captured by a task spawned with runtime.Spawn`
	}))
}

func stale(t *runtime.Task) {
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		//asynclint:ignore sendcheck nothing is captured here // want `asynclint:ignore for sendcheck suppresses nothing here \(remove it\)`
		return 0
	}))
}

type meter struct{ n int }

func (m *meter) run(t *runtime.Task) int { // want run:"paramAccesses\\(0.f0:r 0.f0:w\\)"
	m.n++ //asynclint:ignore sendcheck the meter is approximate by design
	return 0
}

// A finding in a method value's body is suppressed where it is reported.
func suppressedMethodValue(t *runtime.Task) {
	m := &meter{}
	runtime.Spawn(t, runtime.Async(m.run))
	m.n++
}
