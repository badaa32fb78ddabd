package locks

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// InvalidLocker holds a sync.Locker across an await.
func InvalidLocker(t *runtime.Task, l sync.Locker) { // want InvalidLocker:"maySuspend"
	l.Lock() // want `^l \(sync\.Locker\) is held across an await \(a task that locks it blocks this worker; unlock before awaiting or use runtime\.Mutex\)$`
	runtime.Await(t, fetch())
	l.Unlock()
}

// ValidLocker unlocks the Locker first.
func ValidLocker(t *runtime.Task, l sync.Locker) { // want ValidLocker:"maySuspend"
	l.Lock()
	l.Unlock()
	runtime.Await(t, fetch())
}

// ValidLockerOfMutex locks a mutex and releases it through a Locker that
// holds it: the same lock.
func ValidLockerOfMutex(t *runtime.Task, s *store) { // want ValidLockerOfMutex:"maySuspend"
	var l sync.Locker = &s.mu
	s.mu.Lock()
	l.Unlock()
	runtime.Await(t, fetch())
}

// InvalidRLocker holds the read half of an RWMutex as a Locker.
func InvalidRLocker(t *runtime.Task, s *store) { // want InvalidRLocker:"maySuspend"
	l := s.rw.RLocker()
	l.Lock() // want `l \(sync\.Locker\) is held across an await`
	runtime.Await(t, fetch())
	l.Unlock()
}
