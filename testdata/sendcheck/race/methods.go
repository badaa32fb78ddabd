package race

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// tracker's methods touch its fields; their paramAccesses facts make a call
// count as the accesses it makes.
type tracker struct {
	name  string
	count int
	mu    sync.Mutex
	safe  int
}

func (tr *tracker) record() { // want record:"paramAccesses\\(0.f1:r 0.f1:w\\)"
	tr.count++
}

func (tr *tracker) total() int { // want total:"paramAccesses\\(0.f1:r\\)"
	return tr.count
}

func (tr *tracker) label() string { // want label:"paramAccesses\\(0.f0:r\\)"
	return tr.name
}

// recordSafe writes under its own lock: no unguarded access, no fact.
func (tr *tracker) recordSafe() {
	tr.mu.Lock()
	tr.safe++
	tr.mu.Unlock()
}

// bump reaches the write through another method.
func bump(tr *tracker) { // want bump:"paramAccesses\\(0.f1:r 0.f1:w\\)"
	tr.record()
}

// The task writes through a method, the spawner writes the field.
func methodWrite(t *runtime.Task) {
	tr := &tracker{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		tr.record() // want `tr is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	tr.count = 0
}

// The task writes through a helper two calls deep, the spawner reads
// through a method.
func helperWrite(t *runtime.Task) int {
	tr := &tracker{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		bump(tr) // want `tr is captured by a task spawned with runtime.Spawn and also read by the spawner`
		return 0
	}))
	return tr.total()
}

// Negative: the spawner reads another field.
func methodOtherField(t *runtime.Task) string {
	tr := &tracker{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		tr.record()
		return 0
	}))
	return tr.label()
}

// Negative: the method synchronizes itself.
func methodSynchronized(t *runtime.Task) {
	tr := &tracker{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		tr.recordSafe()
		return 0
	}))
	tr.recordSafe()
}

// Negative: awaited before the spawner reads.
func methodJoined(t *runtime.Task) int {
	tr := &tracker{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		tr.record()
		return 0
	}))
	runtime.Await(t, h)
	return tr.total()
}
