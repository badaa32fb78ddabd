package negatives

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// The positive twin of syncMutex: the spawner forgets the lock.
func lockedOnOneSide(t *runtime.Task) {
	var mu sync.Mutex
	counter := 0
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		mu.Lock()
		counter++ // want `counter is captured by a task spawned with runtime.Spawn and also written by the spawner`
		mu.Unlock()
		return 0
	}))
	counter++
}

// The positive twin of structMutex: two different mutexes guard nothing.
func differentMutexes(t *runtime.Task) {
	var mu1, mu2 sync.Mutex
	counter := 0
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		mu1.Lock()
		counter++ // want `counter is captured by a task spawned with runtime.Spawn and also written by the spawner`
		mu1.Unlock()
		return 0
	}))
	mu2.Lock()
	counter++
	mu2.Unlock()
}

// The positive twin of syncMutex: unlocked before the write.
func unlockedTooEarly(t *runtime.Task) {
	var mu sync.Mutex
	counter := 0
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		mu.Lock()
		mu.Unlock()
		counter++ // want `counter is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	mu.Lock()
	counter++
	mu.Unlock()
}

type table struct {
	mu   sync.RWMutex
	rows map[string]int
}

// A writer under the write lock and a reader under the read lock are
// ordered.
func readLockReader(t *runtime.Task) int {
	tb := &table{rows: map[string]int{}}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		tb.mu.Lock()
		tb.rows["task"] = 1
		tb.mu.Unlock()
		return 0
	}))
	tb.mu.RLock()
	defer tb.mu.RUnlock()
	return tb.rows["task"]
}

// The positive twin: a write under a read lock is not guarded.
func writeUnderReadLock(t *runtime.Task) {
	tb := &table{rows: map[string]int{}}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		tb.mu.RLock()
		tb.rows["task"] = 1 // want `tb is captured by a task spawned with runtime.Spawn and also read by the spawner`
		tb.mu.RUnlock()
		return 0
	}))
	tb.mu.RLock()
	_ = tb.rows["spawner"]
	tb.mu.RUnlock()
}

// The positive twin of tryLock: the write is on the failure path.
func tryLockFailed(t *runtime.Task) {
	var mu sync.Mutex
	counter := 0
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		if !mu.TryLock() {
			counter++ // want `counter is captured by a task spawned with runtime.Spawn and also written by the spawner`
			return 0
		}
		mu.Unlock()
		return 0
	}))
	mu.Lock()
	counter++
	mu.Unlock()
}
