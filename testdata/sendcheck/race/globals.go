package race

import (
	"math/rand"
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

var (
	requests int
	registry = map[string]int{}
	jitter   = rand.New(rand.NewSource(1))
	limit    = 10

	regMu   sync.Mutex
	guarded = map[string]int{}
)

// A package-level counter written by the task and the spawner.
func globalCounter(t *runtime.Task) {
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		requests++ // want `requests is shared with a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	requests++
}

// A package-level map written by two tasks.
func globalMap(t *runtime.Task) {
	a := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		registry["a"] = 1 // want `registry is shared with a task spawned with runtime.Spawn and also written by another task spawned with runtime.Spawn`
		return 0
	}))
	b := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		registry["b"] = 2
		return 0
	}))
	runtime.Join2(t, a, b)
}

// A package-level *rand.Rand used on both sides.
func globalRand(t *runtime.Task) int {
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return jitter.Intn(5) // want `jitter is shared with a task spawned with runtime.Spawn and also used by the spawner \(data race: \*rand.Rand is not safe`
	}))
	return jitter.Intn(5) + runtime.Await(t, h)
}

// Negative: read on both sides.
func globalRead(t *runtime.Task) int {
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int { return limit }))
	return limit + runtime.Await(t, h)
}

// Negative: a package-level mutex guards both sides.
func globalGuarded(t *runtime.Task) {
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		regMu.Lock()
		guarded["task"]++
		regMu.Unlock()
		return 0
	}))
	regMu.Lock()
	guarded["spawner"]++
	regMu.Unlock()
}

// Negative: written only after the task was awaited.
func globalAfterAwait(t *runtime.Task) {
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		requests++
		return 0
	}))
	runtime.Await(t, h)
	requests++
}
