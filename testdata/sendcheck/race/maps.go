package race

import "github.com/asynclint/asynclint/runtime"

// Both write the map.
func mapWrites(t *runtime.Task) {
	seen := map[string]bool{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		seen["task"] = true // want `seen is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	seen["spawner"] = true
	runtime.Await(t, h)
}

// The task deletes, the spawner reads.
func mapDelete(t *runtime.Task) bool {
	pending := map[int]string{1: "a"}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		delete(pending, 1) // want `pending is captured by a task spawned with runtime.Spawn and also read by the spawner`
		return 0
	}))
	_, ok := pending[1]
	runtime.Await(t, h)
	return ok
}

// The task ranges over the map, the spawner clears it.
func mapClear(t *runtime.Task) {
	cache := map[int]int{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		n := 0
		for k := range cache { // want `cache is captured by a task spawned with runtime.Spawn and also written by the spawner`
			n += k
		}
		return n
	}))
	clear(cache)
	runtime.Await(t, h)
}

// Reading the map on both sides is fine.
func mapReadOnly(t *runtime.Task) int {
	cfg := map[string]int{"a": 1}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return cfg["a"]
	}))
	return cfg["a"] + runtime.Await(t, h)
}

// A map that is a parameter of the spawner is shared just the same.
func mapParam(t *runtime.Task, index map[string]int) { // want mapParam:"paramAccesses\\(1:w\\)"
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		index["x"]++ // want `index is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	index["y"] = 1
}
