package locks

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// InvalidAwaitInClosure awaits in a closure called while the lock is held.
func InvalidAwaitInClosure(t *runtime.Task, s *store) { // want InvalidAwaitInClosure:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	func() {
		s.data = runtime.Await(t, fetch())
	}()
	s.mu.Unlock()
}

// ValidClosureUnlocks releases the caller's lock inside a closure called on
// the spot.
func ValidClosureUnlocks(t *runtime.Task, s *store) { // want ValidClosureUnlocks:"maySuspend"
	s.mu.Lock()
	release := func() {
		s.data++
		s.mu.Unlock()
	}
	release()
	runtime.Await(t, fetch())
}

// InvalidClosureParamLock locks the mutex passed to a closure parameter;
// the caller awaits afterwards.
func InvalidClosureParamLock(t *runtime.Task, s *store) { // want InvalidClosureParamLock:"maySuspend"
	lock := func(mu *sync.Mutex) {
		mu.Lock() // want `mu \(sync\.Mutex\) is held across an await`
	}
	lock(&s.mu)
	runtime.Await(t, fetch())
	s.mu.Unlock()
}

// ValidClosureParamUnlock unlocks through a closure parameter.
func ValidClosureParamUnlock(t *runtime.Task, s *store) { // want ValidClosureParamUnlock:"maySuspend"
	unlock := func(mu *sync.Mutex) { mu.Unlock() }
	s.mu.Lock()
	unlock(&s.mu)
	runtime.Await(t, fetch())
}

// InvalidAsyncBody holds a lock across an await inside an Async body.
func InvalidAsyncBody(s *store) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int {
		s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
		defer s.mu.Unlock()
		return runtime.Await(t, fetch())
	})
}

// ValidAsyncBodyAwaitedUnderLock creates (does not await) a future while
// holding the lock: its body runs later, with its own lockset.
func ValidAsyncBodyAwaitedUnderLock(t *runtime.Task, s *store) { // want ValidAsyncBodyAwaitedUnderLock:"maySuspend"
	s.mu.Lock()
	f := runtime.Async(func(t *runtime.Task) int {
		return runtime.Await(t, fetch())
	})
	s.mu.Unlock()
	runtime.Await(t, f)
}

// ValidSpawnUnderLock only spawns while the lock is held: spawning does not
// suspend.
func ValidSpawnUnderLock(t *runtime.Task, s *store) { // want ValidSpawnUnderLock:"maySuspend"
	s.mu.Lock()
	h := runtime.Spawn(t, fetch())
	s.mu.Unlock()
	runtime.Await(t, h)
}

// InvalidDynamicCall calls a function value that receives the task: it may
// suspend.
func InvalidDynamicCall(t *runtime.Task, s *store, step func(*runtime.Task)) { // want InvalidDynamicCall:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	step(t)
	s.mu.Unlock()
}

// stepper is implemented elsewhere: its Step may suspend.
type stepper interface {
	Step(t *runtime.Task)
}

// InvalidInterfaceCall calls an interface method that receives the task.
func InvalidInterfaceCall(t *runtime.Task, s *store, st stepper) { // want InvalidInterfaceCall:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	st.Step(t)
	s.mu.Unlock()
}

// ValidGoStatement starts a goroutine under the lock: its body does not
// suspend this task.
func ValidGoStatement(t *runtime.Task, s *store, st stepper) {
	s.mu.Lock()
	go st.Step(t)
	go func() { runtime.Await(t, fetch()) }()
	s.mu.Unlock()
}

// InvalidMethodValue calls a bound method value of a function that awaits.
func InvalidMethodValue(t *runtime.Task, s *store) { // want InvalidMethodValue:"maySuspend"
	get := s.get
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	get(t)
	s.mu.Unlock()
}

func (s *store) get(t *runtime.Task) int { // want get:"maySuspend"
	return runtime.Await(t, fetch())
}
