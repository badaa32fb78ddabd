package negatives

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// Helpers that run a closure with a lock held: the closure's accesses are
// guarded by that lock. Each helper has a lockedCalls fact; each accepted
// shape has a positive twin below whose helper breaks the promise.

type store struct {
	mu    sync.Mutex
	other sync.Mutex
	tot   int
	later func()
}

func (s *store) withLock(f func()) { // want withLock:"lockedCalls\\(1:0.f0\\)" withLock:"callsParams\\(1\\)"
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// A method helper on both sides.
func methodHelper(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.withLock(func() { s.tot++ })
		return 0
	}))
	s.withLock(func() { s.tot++ })
	runtime.Await(t, h)
}

// The helper on one side, the lock itself on the other.
func helperAndLock(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.withLock(func() { s.tot++ })
		return 0
	}))
	s.mu.Lock()
	s.tot++
	s.mu.Unlock()
	runtime.Await(t, h)
}

func withMutex(mu *sync.Mutex, f func()) { // want withMutex:"lockedCalls\\(1:0\\)" withMutex:"callsParams\\(1\\)"
	mu.Lock()
	f()
	mu.Unlock()
}

// A plain function given the mutex.
func funcHelper(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		withMutex(&s.mu, func() { s.tot++ })
		return 0
	}))
	withMutex(&s.mu, func() { s.tot++ })
	runtime.Await(t, h)
}

type rwTable struct {
	rw sync.RWMutex
	m  map[string]int
}

func (tb *rwTable) reading(f func()) { // want reading:"lockedCalls\\(1:0.f0#r\\)" reading:"callsParams\\(1\\)"
	tb.rw.RLock()
	defer tb.rw.RUnlock()
	f()
}

func (tb *rwTable) writing(f func()) { // want writing:"lockedCalls\\(1:0.f0\\)" writing:"callsParams\\(1\\)"
	tb.rw.Lock()
	defer tb.rw.Unlock()
	f()
}

// A read lock around a reading closure, a write lock around the writer.
func rwHelpers(t *runtime.Task) {
	tb := &rwTable{m: map[string]int{}}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		n := 0
		tb.reading(func() { n = tb.m["k"] })
		return n
	}))
	tb.writing(func() { tb.m["k"] = 1 })
	runtime.Await(t, h)
}

// update forwards its closure to withLock: it inherits withLock's lock.
func (s *store) update(f func()) { // want update:"lockedCalls\\(1:0.f0\\)" update:"callsParams\\(1\\)"
	if f == nil {
		return
	}
	s.withLock(f)
}

func forwardingHelper(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.update(func() { s.tot++ })
		return 0
	}))
	s.update(func() { s.tot++ })
	runtime.Await(t, h)
}

var (
	globalMu  sync.Mutex
	globalTot int
)

func locked(f func()) { // want locked:"lockedCalls\\(0:asynclint.test/sendcheck/negatives.globalMu\\)" locked:"callsParams\\(0\\)"
	globalMu.Lock()
	defer globalMu.Unlock()
	f()
}

// A helper around a package-level mutex in the task, the mutex itself in
// the spawner.
func globalHelper(t *runtime.Task) {
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		locked(func() { globalTot++ })
		return 0
	}))
	globalMu.Lock()
	globalTot++
	globalMu.Unlock()
	runtime.Await(t, h)
}

// The positive twins.

// unlockFirst calls f after unlocking: no fact.
func (s *store) unlockFirst(f func()) { // want unlockFirst:"callsParams\\(1\\)"
	s.mu.Lock()
	s.mu.Unlock()
	f()
}

func calledAfterUnlock(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.unlockFirst(func() { s.tot++ }) // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	s.withLock(func() { s.tot++ })
	runtime.Await(t, h)
}

// inGoroutine runs f on another goroutine, after the lock may be gone.
func (s *store) inGoroutine(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	go f()
}

func calledInGoroutine(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.inGoroutine(func() { s.tot++ }) // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	s.withLock(func() { s.tot++ })
	runtime.Await(t, h)
}

// deferred runs f when it returns, which a lock taken inside does not
// prove held: no fact.
func (s *store) deferred(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer f()
}

func calledDeferred(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.deferred(func() { s.tot++ }) // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	s.withLock(func() { s.tot++ })
	runtime.Await(t, h)
}

// keep stores f for later, under the lock; it runs unlocked.
func (s *store) keep(f func()) {
	s.mu.Lock()
	s.later = f
	s.mu.Unlock()
}

func storedForLater(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.keep(func() { s.tot++ }) // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	s.withLock(func() { s.tot++ })
	runtime.Await(t, h)
}

// onSomePaths calls f unlocked on one path.
func (s *store) onSomePaths(fast bool, f func()) { // want onSomePaths:"callsParams\\(2\\)"
	if fast {
		f()
		return
	}
	s.mu.Lock()
	f()
	s.mu.Unlock()
}

func calledUnlockedOnOnePath(t *runtime.Task, fast bool) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.onSomePaths(fast, func() { s.tot++ }) // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	s.withLock(func() { s.tot++ })
	runtime.Await(t, h)
}

func (s *store) withOther(f func()) { // want withOther:"lockedCalls\\(1:0.f1\\)" withOther:"callsParams\\(1\\)"
	s.other.Lock()
	defer s.other.Unlock()
	f()
}

// Two helpers, two mutexes.
func helpersOfTwoMutexes(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.withOther(func() { s.tot++ }) // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	s.withLock(func() { s.tot++ })
	runtime.Await(t, h)
}

// The same helper on two stores: two mutexes guarding one counter.
func differentReceivers(t *runtime.Task) {
	s, s2 := &store{}, &store{}
	tot := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.withLock(func() { tot++ }) // want `tot is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	s2.withLock(func() { tot++ })
	runtime.Await(t, h)
}

// The task hands its closure to the helper and also calls it directly.
func alsoCalledDirectly(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		inc := func() { s.tot++ } // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		s.withLock(inc)
		inc()
		return 0
	}))
	s.withLock(func() { s.tot++ })
	runtime.Await(t, h)
}

// The spawner writes without the helper.
func oneSideUnlocked(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.withLock(func() { s.tot++ }) // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	s.tot++
	runtime.Await(t, h)
}

// A write under the read-locking helper on both sides still races: read
// locks exclude only writers.
func writeInReadingHelper(t *runtime.Task) {
	tb := &rwTable{m: map[string]int{}}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		tb.reading(func() { tb.m["k"] = 2 }) // want `tb is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	tb.reading(func() { tb.m["k"] = 1 })
	runtime.Await(t, h)
}

func lockedValue[T any](mu *sync.Mutex, f func() T) T { // want lockedValue:"lockedCalls\\(1:0\\)" lockedValue:"callsParams\\(1\\)"
	mu.Lock()
	defer mu.Unlock()
	return f()
}

// A generic helper that returns the closure's result, and a closure
// called inside the locked closure.
func genericHelper(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return lockedValue(&s.mu, func() int {
			func() { s.tot++ }()
			return s.tot
		})
	}))
	lockedValue(&s.mu, func() int { s.tot++; return 0 })
	runtime.Await(t, h)
}

// The positive twin: a closure made under the lock but kept and run after
// the helper returns.
func madeUnderLockRunLater(t *runtime.Task) {
	s := &store{}
	var keep func()
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.withLock(func() {
			keep = func() { s.tot++ } // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		})
		keep()
		return 0
	}))
	s.withLock(func() { s.tot++ })
	runtime.Await(t, h)
}
