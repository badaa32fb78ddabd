// Package sendcheck races on a variable shared with a spawned task.
package sendcheck

import "github.com/asynclint/asynclint/runtime"

// Count increments counter from the spawner and the task at once.
func Count(t *runtime.Task) int {
	counter := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		counter++
		return 0
	}))
	counter++
	runtime.Await(t, h)
	return counter
}
