// Package negatives writes out every sharing pattern sendcheck must not
// report, each next to nothing else.
package negatives

import (
	"sync"
	"sync/atomic"

	"github.com/asynclint/asynclint/runtime"
)

// Moved in: after the spawn, only the task uses the variable.
func movedIn(t *runtime.Task) {
	results := map[string]int{}
	results["init"] = 1
	count := 0
	count++
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		results["task"] = count
		count++
		return count
	}))
}

// Read-only captures on both sides.
func readOnly(t *runtime.Task) int {
	limit := 10
	names := map[int]string{1: "a"}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return limit + len(names[1])
	}))
	return limit + len(names) + runtime.Await(t, h)
}

// A sync.Mutex held on both sides.
func syncMutex(t *runtime.Task) {
	var mu sync.Mutex
	counter := 0
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		mu.Lock()
		counter++
		mu.Unlock()
		return 0
	}))
	mu.Lock()
	counter++
	mu.Unlock()
}

// A deferred unlock keeps the lock until return.
func deferredUnlock(t *runtime.Task) {
	var mu sync.Mutex
	seen := map[string]bool{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		mu.Lock()
		defer mu.Unlock()
		seen["task"] = true
		return 0
	}))
	mu.Lock()
	defer mu.Unlock()
	seen["spawner"] = true
}

type guarded struct {
	mu sync.RWMutex
	n  int
}

// A mutex in a struct, reached through a captured pointer.
func structMutex(t *runtime.Task) {
	g := &guarded{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		g.mu.Lock()
		g.n++
		g.mu.Unlock()
		return 0
	}))
	g.mu.Lock()
	g.n++
	g.mu.Unlock()
}

// The runtime's own Mutex, which may be held across awaits.
func runtimeMutex(t *runtime.Task) {
	var mu runtime.Mutex
	total := 0
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		mu.Lock(t)
		total++
		mu.Unlock()
		return 0
	}))
	mu.Lock(t)
	total++
	mu.Unlock()
}

// Atomic types.
func atomicTypes(t *runtime.Task) int64 {
	var hits atomic.Int64
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		hits.Add(1)
		return 0
	}))
	hits.Add(1)
	return hits.Load()
}

// Atomic functions.
func atomicFuncs(t *runtime.Task) int64 {
	var hits int64
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		atomic.AddInt64(&hits, 1)
		return 0
	}))
	atomic.AddInt64(&hits, 1)
	return atomic.LoadInt64(&hits)
}

// sync.Map is made for sharing.
func syncMap(t *runtime.Task) {
	var m sync.Map
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		m.Store("task", 1)
		return 0
	}))
	m.Store("spawner", 2)
	m.Delete("task")
}

// Go channels.
func channels(t *runtime.Task) int {
	ch := make(chan int, 1)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		ch <- 1
		return 0
	}))
	return <-ch
}

// The runtime's sync types.
func runtimeSync(t *runtime.Task) {
	ch := runtime.NewChan[int](1)
	var wg runtime.WaitGroup
	var n runtime.Notify
	sem := runtime.NewSemaphore(1)
	wg.Add(1)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		defer wg.Done()
		sem.Acquire(t, 1)
		ch.Send(t, 1)
		n.NotifyOne()
		sem.Release(1)
		return 0
	}))
	ch.Recv(t)
	n.Wait(t)
	wg.Wait(t)
	sem.Acquire(t, 1)
}

// Access after the spawner awaited the task's JoinHandle.
func afterAwait(t *runtime.Task) int {
	counter := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		counter++
		return 0
	}))
	runtime.Await(t, h)
	counter++
	return counter
}

// Access after Join2 of two handles.
func afterJoin2(t *runtime.Task) int {
	a, b := 0, 0
	ha := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int { a = 1; return a }))
	hb := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int { b = 2; return b }))
	runtime.Join2(t, ha, hb)
	a++
	b++
	return a + b
}

// The handle travels through an interface-typed variable before the await.
func afterAwaitViaVariable(t *runtime.Task) int {
	m := map[int]int{}
	var f runtime.Future[int] = runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		m[1] = 1
		return 0
	}))
	runtime.Await(t, f)
	m[2] = 2
	return len(m)
}

// Writes before the spawn happen before the task starts.
func beforeSpawn(t *runtime.Task) int {
	counter := 0
	counter++
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		counter++
		return counter
	}))
	return runtime.Await(t, h)
}

// SpawnLocal tasks never run at the same time as their spawner.
func spawnLocal(t *runtime.Task) {
	counter := 0
	runtime.SpawnLocal(t, runtime.Async(func(t *runtime.Task) int {
		counter++
		return 0
	}))
	counter++
}

// Futures that are only awaited or joined run inside this task.
func onlyJoined(t *runtime.Task) int {
	counter := 0
	inc := func(t *runtime.Task) int { counter++; return counter }
	runtime.Await(t, runtime.Async(inc))
	runtime.Join2(t, runtime.Async(inc), runtime.Async(inc))
	runtime.Await(t, runtime.JoinAll(runtime.Async(inc), runtime.Async(inc)))
	counter++
	return counter
}

// Each iteration's variable is fresh: the spawner never touches a task's
// copy after spawning it.
func perIteration(t *runtime.Task) {
	for i := 0; i < 3; i++ {
		n := i
		runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
			n++
			return n
		}))
	}
}

// Tasks filling their own slice element are the fan-out pattern.
func fanOut(t *runtime.Task) []int {
	out := make([]int, 4)
	var hs []*runtime.JoinHandle[int]
	for i := range out {
		hs = append(hs, runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
			out[i] = i * i
			return 0
		})))
	}
	for _, h := range hs {
		runtime.Await(t, h)
	}
	return out
}

// Type parameters are never judged.
func typeParam[T any](t *runtime.Task, v T) {
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) T {
		return v
	}))
}

// Fan out, then join every handle in a loop: the spawner reads the map
// only after the loop awaited them all.
func joinLoop(t *runtime.Task, words []string) int {
	var mu sync.Mutex
	counts := map[string]int{}
	var hs []*runtime.JoinHandle[int]
	for _, w := range words {
		hs = append(hs, runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
			mu.Lock()
			counts[w]++
			mu.Unlock()
			return 0
		})))
	}
	for _, h := range hs {
		runtime.Await(t, h)
	}
	return counts["async"]
}

// Fan out, then JoinAll over the handles.
func joinAllHandles(t *runtime.Task, n int) int {
	total := 0
	var mu sync.Mutex
	var fs []runtime.Future[int]
	for range n {
		fs = append(fs, runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
			mu.Lock()
			total++
			mu.Unlock()
			return 0
		})))
	}
	runtime.Await(t, runtime.JoinAll(fs...))
	return total
}

type worker struct {
	h *runtime.JoinHandle[int]
}

// The handle is kept in a struct field and a map before being awaited.
func handleInStructAndMap(t *runtime.Task) int {
	result, other := 0, 0
	w := &worker{}
	w.h = runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		result = 1
		return 0
	}))
	byName := map[string]*runtime.JoinHandle[int]{}
	byName["other"] = runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		other = 2
		return 0
	}))
	runtime.Await(t, w.h)
	runtime.Await(t, byName["other"])
	return result + other
}

// A successful TryLock holds the lock inside the if.
func tryLock(t *runtime.Task) {
	var mu sync.Mutex
	counter := 0
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		if mu.TryLock() {
			counter++
			mu.Unlock()
		}
		return 0
	}))
	mu.Lock()
	counter++
	mu.Unlock()
}

// The early-return form of TryLock.
func tryLockEarlyReturn(t *runtime.Task) {
	var mu sync.Mutex
	counter := 0
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		if !mu.TryLock() {
			return 0
		}
		counter++
		mu.Unlock()
		return 0
	}))
	mu.Lock()
	counter++
	mu.Unlock()
}
