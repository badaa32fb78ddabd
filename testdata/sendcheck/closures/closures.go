package closures

import (
	"slices"
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// Closures inside named functions and methods: go/ssa moves a parameter
// that a closure captures into a heap cell, and every use of it, in the
// function and in the closure, goes through that cell. What a closure that
// runs before the function returns does to the parameter is part of the
// function's paramAccesses fact.

type store struct {
	tot   int
	mu    sync.Mutex
	later func()
	names []string
}

func (s *store) each(f func()) { f() } // want each:"callsParams\\(1\\)"

func (s *store) withLock(f func()) { // want withLock:"lockedCalls\\(1:0.f1\\)" withLock:"callsParams\\(1\\)"
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// add writes s.tot through a closure handed to a helper that calls it.
func (s *store) add() { s.each(func() { s.tot++ }) } // want add:"paramAccesses\\(0.f0:r 0.f0:w\\)"

// addDirect calls its closure itself.
func (s *store) addDirect() { // want addDirect:"paramAccesses\\(0.f0:r 0.f0:w\\)"
	inc := func() { s.tot++ }
	inc()
}

// addNow calls its closure where it makes it.
func addNow(s *store) { // want addNow:"paramAccesses\\(0.f0:w\\)"
	func() { s.tot = 1 }()
}

// readOutside reads s.tot in the method itself: the closure moves s into a
// cell for the whole method.
func (s *store) readOutside() int { // want readOutside:"paramAccesses\\(0.f0:r\\)"
	n := s.tot
	s.each(func() {})
	f := func() *store { return s }
	_ = f
	return n
}

// nested reaches the write through a closure inside a closure.
func (s *store) nested() { // want nested:"paramAccesses\\(0.f0:r 0.f0:w\\)"
	s.each(func() {
		s.each(func() { s.tot++ })
	})
}

// viaStd hands the closure to a standard-library function that calls it
// before returning.
func (s *store) viaStd(xs []int) bool { // want viaStd:"paramAccesses\\(0.f0:r\\)"
	return slices.ContainsFunc(xs, func(x int) bool { return x == s.tot })
}

// addLocked writes under the lock the helper holds around the closure: no
// unguarded access, no fact.
func (s *store) addLocked() { s.withLock(func() { s.tot++ }) }

// addHeld calls the plain helper with the lock held: the closure runs
// inside the critical section.
func (s *store) addHeld() {
	s.mu.Lock()
	s.each(func() { s.tot++ })
	s.mu.Unlock()
}

// Closures that may run after the function returns are not the
// function's: no fact for any of these.

func (s *store) addLater() {
	go func() { s.tot++ }()
}

// Deferred closures run before the return, but the locks held then are not
// known here (a deferred closure often unlocks): left out.
func (s *store) addDeferred() {
	s.mu.Lock()
	defer func() {
		s.tot++
		s.mu.Unlock()
	}()
}

func (s *store) addReturned() func() {
	return func() { s.tot++ }
}

func (s *store) addFuture() runtime.Future[int] { // want addFuture:"capturesParams\\(0\\)"
	return runtime.Async(func(t *runtime.Task) int {
		s.tot++
		return 0
	})
}

// addStored writes s.later now; s.tot only when someone calls it.
func (s *store) addStored() { // want addStored:"paramAccesses\\(0.f2:w\\)"
	s.later = func() { s.tot++ }
}

// addUnknown hands the closure to a function value that may keep it.
func (s *store) addUnknown(run func(func())) { // want addUnknown:"callsParams\\(1\\)"
	run(func() { s.tot++ })
}

// addAlsoKept calls the closure but also keeps it.
func (s *store) addAlsoKept(keep *func()) { // want addAlsoKept:"paramAccesses\\(1:w\\)"
	inc := func() { s.tot++ }
	inc()
	*keep = inc
}

// reassigned may hold either store when the closure runs: not followed.
func reassigned(s, o *store) {
	if o != nil {
		s = o
	}
	func() { s.tot++ }()
}

// The task writes s.tot through a method's closure, the spawner writes it
// directly.
func Use(t *runtime.Task, s *store) { // want Use:"paramAccesses\\(1.f0:r 1.f0:w\\)"
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.add() // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	s.tot++
	runtime.Await(t, h)
}

// The same with a closure the method calls itself, and the spawner's side
// through another method.
func useDirect(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.addDirect() // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	addNow(s)
	runtime.Await(t, h)
}

// The spawner's side is the method: the task's own write races with it.
func useInSpawner(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.tot = 2 // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	s.nested()
	runtime.Await(t, h)
}

// The lock helper inside the method on both sides: guarded.
func useLockedBoth(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.addLocked()
		return 0
	}))
	s.addLocked()
	runtime.Await(t, h)
}

// The method's lock on one side, the helper itself on the other: guarded.
func useLockedHelper(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.addHeld()
		return 0
	}))
	s.withLock(func() { s.tot++ })
	runtime.Await(t, h)
}

// The positive twin: the task's method does not take the lock.
func useUnlockedMethod(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.add() // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	s.withLock(func() { s.tot++ })
	runtime.Await(t, h)
}

// Escaping closures are not the call's accesses.
func useEscaping(t *runtime.Task, run func(func())) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.addReturned()
		s.addFuture()
		s.addUnknown(run)
		return 0
	}))
	s.tot++
	runtime.Await(t, h)
}

// A method value as the task body: the method's closure is the task's.
func (s *store) body(t *runtime.Task) int { // want body:"paramAccesses\\(0.f0:r 0.f0:w\\)"
	s.each(func() { s.tot++ }) // want `s is captured by a task spawned with runtime.Spawn and also read by the spawner`
	return 0
}

func useBody(t *runtime.Task) int {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(s.body))
	n := s.tot
	runtime.Await(t, h)
	return n
}

// A closure handed to a helper that calls it before returning runs with
// the locks held around that call: the task's write is guarded.
func lockAroundHelper(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.mu.Lock()
		s.each(func() { s.tot++ })
		s.mu.Unlock()
		return 0
	}))
	s.withLock(func() { s.tot++ })
	runtime.Await(t, h)
}

// The positive twin: the spawner writes without the lock.
func lockAroundHelperOneSide(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.mu.Lock()
		s.each(func() { s.tot++ }) // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		s.mu.Unlock()
		return 0
	}))
	s.tot++
	runtime.Await(t, h)
}

// The spawner's closure reaches the store through another variable that
// holds it: the same memory.
func aliasInSpawner(t *runtime.Task) {
	s := &store{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		s.tot = 1 // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	a := s
	func() { a.tot++ }()
	runtime.Await(t, h)
}
