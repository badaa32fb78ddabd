package locks

import "github.com/asynclint/asynclint/runtime"

// InvalidTryLock awaits on the branch where TryLock succeeded.
func InvalidTryLock(t *runtime.Task, s *store) { // want InvalidTryLock:"maySuspend"
	if s.mu.TryLock() { // want `s\.mu \(sync\.Mutex\) is held across an await`
		s.data = runtime.Await(t, fetch())
		s.mu.Unlock()
	}
}

// ValidTryLockFailed awaits only on the branch where TryLock failed.
func ValidTryLockFailed(t *runtime.Task, s *store) { // want ValidTryLockFailed:"maySuspend"
	if !s.mu.TryLock() {
		runtime.Await(t, fetch())
		return
	}
	s.data++
	s.mu.Unlock()
}

// ValidTryLockVariable tests a variable holding the result, and unlocks
// before awaiting.
func ValidTryLockVariable(t *runtime.Task, s *store) { // want ValidTryLockVariable:"maySuspend"
	ok := s.mu.TryLock()
	if ok {
		s.data++
		s.mu.Unlock()
	}
	runtime.Await(t, fetch())
}

// InvalidTryRLock awaits while the read lock it got is held.
func InvalidTryRLock(t *runtime.Task, s *store) { // want InvalidTryRLock:"maySuspend"
	if ok := s.rw.TryRLock(); ok { // want `s\.rw \(sync\.RWMutex\) is read-locked across an await`
		defer s.rw.RUnlock()
		runtime.Await(t, fetch())
	}
}

// ValidRuntimeTryLock tries the runtime's mutex: never reported.
func ValidRuntimeTryLock(t *runtime.Task, s *store) { // want ValidRuntimeTryLock:"maySuspend"
	if s.amu.TryLock() {
		runtime.Await(t, fetch())
		s.amu.Unlock()
	}
}

// ValidTrySpin yields until TryLock succeeds: the awaits in the loop run
// without the lock, and it is released before the final await.
func ValidTrySpin(t *runtime.Task, s *store) { // want ValidTrySpin:"maySuspend"
	for !s.mu.TryLock() {
		runtime.Await(t, runtime.YieldNow())
	}
	s.data++
	s.mu.Unlock()
	runtime.Await(t, fetch())
}

// InvalidTrySpin keeps the lock it spun for across the await.
func InvalidTrySpin(t *runtime.Task, s *store) { // want InvalidTrySpin:"maySuspend"
	for !s.mu.TryLock() { // want `s\.mu \(sync\.Mutex\) is held across an await`
		runtime.Await(t, runtime.YieldNow())
	}
	s.data = runtime.Await(t, fetch())
	s.mu.Unlock()
}
