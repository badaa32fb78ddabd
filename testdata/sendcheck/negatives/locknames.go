package negatives

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

type sharded struct {
	mus [2]sync.Mutex
	tot int
}

// The same element of a mutex array, by the same constant, on both sides.
func indexedMutex(t *runtime.Task) {
	s := &sharded{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.mus[0].Lock()
		s.tot++
		s.mus[0].Unlock()
		return 0
	}))
	s.mus[0].Lock()
	s.tot++
	s.mus[0].Unlock()
	runtime.Await(t, h)
}

// The same element by the same index value, captured by the task.
func indexedMutexByValue(t *runtime.Task, i int) {
	s := &sharded{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.mus[i].Lock()
		s.tot++
		s.mus[i].Unlock()
		return 0
	}))
	s.mus[i].Lock()
	s.tot++
	s.mus[i].Unlock()
	runtime.Await(t, h)
}

// The positive twin: two elements are two mutexes.
func otherIndexedMutex(t *runtime.Task) {
	s := &sharded{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.mus[0].Lock()
		s.tot++ // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		s.mus[0].Unlock()
		return 0
	}))
	s.mus[1].Lock()
	s.tot++
	s.mus[1].Unlock()
	runtime.Await(t, h)
}

// The positive twin: an index variable that changes between the two sides
// may name another element.
func changingIndex(t *runtime.Task) {
	s := &sharded{}
	i := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.mus[i].Lock() // want `i is captured by a task spawned with runtime.Spawn and also written by the spawner`
		s.tot++         // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		s.mus[i].Unlock()
		return 0
	}))
	i = 1
	s.mus[i].Lock()
	s.tot++
	s.mus[i].Unlock()
	runtime.Await(t, h)
}

type guardedTotal struct {
	mu  sync.Mutex
	tot int
}

// The same sync.Locker, locked on both sides.
func lockerBothSides(t *runtime.Task) {
	g := &guardedTotal{}
	var l sync.Locker = &g.mu
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		l.Lock()
		g.tot++
		l.Unlock()
		return 0
	}))
	l.Lock()
	g.tot++
	l.Unlock()
	runtime.Await(t, h)
}

// A Locker holding &g.mu on one side, g.mu itself on the other.
func lockerAndMutex(t *runtime.Task) {
	g := &guardedTotal{}
	var l sync.Locker = &g.mu
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		l.Lock()
		g.tot++
		l.Unlock()
		return 0
	}))
	g.mu.Lock()
	g.tot++
	g.mu.Unlock()
	runtime.Await(t, h)
}

// The positive twin: two Lockers of two mutexes.
func twoLockers(t *runtime.Task) {
	g := &guardedTotal{}
	var mine, theirs sync.Mutex
	var l, m sync.Locker = &mine, &theirs
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		l.Lock()
		g.tot++ // want `g is captured by a task spawned with runtime.Spawn and also written by the spawner`
		l.Unlock()
		return 0
	}))
	m.Lock()
	g.tot++
	m.Unlock()
	runtime.Await(t, h)
}

// The positive twin: the Locker is unlocked before the write.
func lockerUnlockedEarly(t *runtime.Task) {
	g := &guardedTotal{}
	var l sync.Locker = &g.mu
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		l.Lock()
		l.Unlock()
		g.tot++ // want `g is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	l.Lock()
	g.tot++
	l.Unlock()
	runtime.Await(t, h)
}
