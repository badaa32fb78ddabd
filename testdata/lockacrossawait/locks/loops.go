package locks

import "github.com/asynclint/asynclint/runtime"

// ValidLockPerIteration locks and unlocks in each iteration; the await is
// outside the critical section (clippy's loop false positive).
func ValidLockPerIteration(t *runtime.Task, s *store, n int) { // want ValidLockPerIteration:"maySuspend"
	for i := 0; i < n; i++ {
		s.mu.Lock()
		s.data += i
		s.mu.Unlock()
		runtime.Await(t, fetch())
	}
	runtime.Await(t, fetch())
}

// InvalidAwaitInCriticalLoop awaits in each iteration while holding the lock.
func InvalidAwaitInCriticalLoop(t *runtime.Task, s *store, n int) { // want InvalidAwaitInCriticalLoop:"maySuspend"
	for i := 0; i < n; i++ {
		s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
		s.data += runtime.Await(t, fetch())
		s.mu.Unlock()
	}
}

// InvalidLockedOnBreak leaves the loop by break with the lock held.
func InvalidLockedOnBreak(t *runtime.Task, s *store, n int) { // want InvalidLockedOnBreak:"maySuspend" InvalidLockedOnBreak:`acquires \$1\.mu$`
	for i := 0; i < n; i++ {
		s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
		if s.data > i {
			break
		}
		s.mu.Unlock()
	}
	runtime.Await(t, fetch())
}

// ValidUnlockBeforeBreak unlocks on the break path too.
func ValidUnlockBeforeBreak(t *runtime.Task, s *store, n int) { // want ValidUnlockBeforeBreak:"maySuspend"
	for i := 0; i < n; i++ {
		s.mu.Lock()
		if s.data > i {
			s.mu.Unlock()
			break
		}
		s.mu.Unlock()
	}
	runtime.Await(t, fetch())
}

// InvalidAwaitNextIteration locks at the end of an iteration and unlocks at
// the start of the next: the await in between is inside the critical
// section, found only through the back edge.
func InvalidAwaitNextIteration(t *runtime.Task, s *store, n int) { // want InvalidAwaitNextIteration:"maySuspend"
	s.mu.Lock()
	for i := 0; i < n; i++ {
		s.mu.Unlock()
		runtime.Await(t, fetch())
		s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
		runtime.Await(t, runtime.YieldNow())
	}
	s.mu.Unlock()
}

// ValidRangeLoop holds the lock only to read in a range loop.
func ValidRangeLoop(t *runtime.Task, s *store, xs []int) { // want ValidRangeLoop:"maySuspend"
	for _, x := range xs {
		s.mu.Lock()
		s.data += x
		s.mu.Unlock()
	}
	runtime.Await(t, fetch())
}

// InvalidLockAtEndOfIteration locks at the end of each iteration and
// unlocks only after the loop: the await at the top of the next iteration
// runs with the lock held, and so does the one after the loop.
func InvalidLockAtEndOfIteration(t *runtime.Task, s *store, n int) { // want InvalidLockAtEndOfIteration:"maySuspend"
	for i := 0; i < n; i++ {
		runtime.Await(t, fetch())
		s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	}
	runtime.Await(t, runtime.YieldNow())
	s.mu.Unlock()
}

// InvalidLockAfterBranch locks after an await in a branch: the branch of
// the next iteration runs with the lock held.
func InvalidLockAfterBranch(t *runtime.Task, s *store, n int) { // want InvalidLockAfterBranch:"maySuspend" InvalidLockAfterBranch:`^releases \$1\.mu$`
	for i := 0; i < n; i++ {
		if cond() {
			runtime.Await(t, fetch())
		}
		s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	}
	s.mu.Unlock()
}
