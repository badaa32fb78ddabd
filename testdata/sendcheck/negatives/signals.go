package negatives

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// The task signals a runtime.WaitGroup; the spawner reads after Wait.
func afterWaitGroup(t *runtime.Task) int {
	var wg runtime.WaitGroup
	result := 0
	wg.Add(1)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		defer wg.Done()
		result = 42
		return 0
	}))
	wg.Wait(t)
	return result
}

// The same with a sync.WaitGroup, from outside the runtime.
func afterSyncWaitGroup(rt *runtime.Runtime) map[string]int {
	var wg sync.WaitGroup
	counts := map[string]int{}
	wg.Add(1)
	runtime.SpawnOn(rt, runtime.Async(func(t *runtime.Task) int {
		counts["task"]++
		wg.Done()
		return 0
	}))
	wg.Wait()
	counts["main"]++
	return counts
}

// The task closes a channel; the spawner receives before touching the value.
func afterChannel(t *runtime.Task) []string {
	done := make(chan struct{})
	var lines []string
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		lines = append(lines, "task")
		close(done)
		return 0
	}))
	<-done
	lines = append(lines, "spawner")
	return lines
}

// The task sends on a runtime.Chan; the spawner receives first.
func afterRuntimeChan(t *runtime.Task) int {
	ch := runtime.NewChan[int](1)
	total := 0
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		total = 7
		ch.Send(t, 1)
		return 0
	}))
	ch.Recv(t)
	total++
	return total
}

// The positive twin: the spawner waits on a WaitGroup the task never
// signals, so nothing orders the two writes.
func waitsOnOtherGroup(t *runtime.Task) int {
	var mine, theirs runtime.WaitGroup
	result := 0
	theirs.Add(1)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		defer theirs.Done()
		result = 42 // want `result is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	mine.Wait(t)
	result = 1
	return result
}
