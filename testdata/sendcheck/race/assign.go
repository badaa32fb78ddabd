// Package race holds variables and maps that a spawned task and another
// party touch concurrently, at least one of them writing.
package race

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// The task writes, the spawner writes before awaiting.
func bothWrite(t *runtime.Task) int {
	counter := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		counter++ // want `counter is captured by a task spawned with runtime.Spawn and also written by the spawner \(data race: the task may run on another worker; use SpawnLocal, a runtime.Mutex, or an atomic\)`
		return 0
	}))
	counter++
	runtime.Await(t, h)
	return counter
}

// The task writes, the spawner only reads.
func spawnerReads(t *runtime.Task) int {
	done := false
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		done = true // want `done is captured by a task spawned with runtime.Spawn and also read by the spawner`
		return 0
	}))
	if done {
		return 1
	}
	return runtime.Await(t, h)
}

// The spawner writes, the task only reads.
func taskReads(t *runtime.Task) int {
	limit := 10
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return limit // want `limit is captured by a task spawned with runtime.Spawn and also written by the spawner`
	}))
	limit = 20
	return runtime.Await(t, h)
}

// A never-joined task races with everything after the spawn.
func detached(t *runtime.Task) string {
	status := "idle"
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		status = "busy" // want `status is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	status = "done"
	return status
}

type stats struct {
	hits, misses int
}

// Fields written through a captured pointer.
func fields(t *runtime.Task) {
	st := &stats{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		st.hits++ // want `st is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	st.hits++
	runtime.Await(t, h)
}

// Different fields do not conflict.
func disjointFields(t *runtime.Task) {
	st := &stats{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		st.hits++
		return 0
	}))
	st.misses++
	runtime.Await(t, h)
}

// Two tasks spawned by the same function write the same variable.
func siblings(t *runtime.Task) {
	total := 0
	a := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		total += 1 // want `total is captured by a task spawned with runtime.Spawn and also written by another task spawned with runtime.Spawn`
		return 0
	}))
	b := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		total += 2
		return 0
	}))
	runtime.Join2(t, a, b)
}

// A spawn in a loop starts many copies of the same task.
func loop(t *runtime.Task) {
	sum := 0
	for i := range 4 {
		runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
			sum += i // want `sum is captured by a task spawned with runtime.Spawn and also written by another task spawned by the same call`
			return 0
		}))
	}
}

// SpawnOn from outside a task, joined with BlockOn afterwards.
func spawnOn(rt *runtime.Runtime) int {
	n := 0
	h := runtime.SpawnOn(rt, runtime.Async(func(t *runtime.Task) int {
		n++ // want `n is captured by a task spawned with runtime.SpawnOn and also written by the spawner`
		return 0
	}))
	n++
	runtime.BlockOn(rt, h)
	return n
}

// SpawnBlocking's closure runs on another thread.
func blocking(t *runtime.Task) int {
	bytesRead := 0
	h := runtime.SpawnBlocking(t, func() int {
		bytesRead = 42 // want `bytesRead is captured by a task spawned with runtime.SpawnBlocking and also read by the spawner \(data race: the closure runs on another thread; use a sync.Mutex or an atomic\)`
		return 0
	})
	if bytesRead > 0 {
		return bytesRead
	}
	return runtime.Await(t, h)
}

// Written only on one branch after the spawn: still a race on that path.
func branch(t *runtime.Task, retry bool) int {
	attempts := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return attempts // want `attempts is captured by a task spawned with runtime.Spawn and also written by the spawner`
	}))
	if retry {
		attempts++
	}
	return runtime.Await(t, h)
}

// Joined on one branch only: the other path still races.
func joinedOnOneBranch(t *runtime.Task, wait bool) int {
	x := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		x = 1 // want `x is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	if wait {
		runtime.Await(t, h)
	}
	x = 2
	return x
}

// The positive twin of a join loop: the map is read before the loop.
func readBeforeJoinLoop(t *runtime.Task, words []string) int {
	var mu sync.Mutex
	counts := map[string]int{}
	var hs []*runtime.JoinHandle[int]
	for _, w := range words {
		hs = append(hs, runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
			mu.Lock()
			counts[w]++ // want `counts is captured by a task spawned with runtime.Spawn and also read by the spawner`
			mu.Unlock()
			return 0
		})))
	}
	n := counts["async"]
	for _, h := range hs {
		runtime.Await(t, h)
	}
	return n
}
