package locks

import "github.com/asynclint/asynclint/runtime"

// InvalidStraight holds s.mu across the await.
func InvalidStraight(t *runtime.Task, s *store) { // want InvalidStraight:"maySuspend"
	s.mu.Lock() // want `^s\.mu \(sync\.Mutex\) is held across an await \(a task that locks it blocks this worker; unlock before awaiting or use runtime\.Mutex\)$`
	s.data = runtime.Await(t, fetch())
	s.mu.Unlock()
}

// ValidUnlockBeforeAwait drops the lock before the await (clippy #6446).
func ValidUnlockBeforeAwait(t *runtime.Task, s *store) { // want ValidUnlockBeforeAwait:"maySuspend"
	s.mu.Lock()
	v := s.data
	s.mu.Unlock()
	use(v + runtime.Await(t, fetch()))
}

// InvalidOneBranchKeeps unlocks on one branch only: held on the other path.
func InvalidOneBranchKeeps(t *runtime.Task, s *store) { // want InvalidOneBranchKeeps:"maySuspend" InvalidOneBranchKeeps:`acquires \$1\.mu$`
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	if cond() {
		s.mu.Unlock()
	}
	runtime.Await(t, fetch())
}

// ValidUnlockEveryBranch unlocks in every branch before the await.
func ValidUnlockEveryBranch(t *runtime.Task, s *store) { // want ValidUnlockEveryBranch:"maySuspend"
	s.mu.Lock()
	if cond() {
		s.data++
		s.mu.Unlock()
	} else {
		s.mu.Unlock()
	}
	runtime.Await(t, fetch())
}

// ValidEarlyReturn returns early after unlocking; the fall-through path
// unlocks too.
func ValidEarlyReturn(t *runtime.Task, s *store) int { // want ValidEarlyReturn:"maySuspend"
	s.mu.Lock()
	if s.data > 0 {
		v := s.data
		s.mu.Unlock()
		return v
	}
	s.mu.Unlock()
	return runtime.Await(t, fetch())
}

// InvalidAwaitInBranch awaits on one branch while the lock is held.
func InvalidAwaitInBranch(t *runtime.Task, s *store) { // want InvalidAwaitInBranch:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	if cond() {
		s.data = runtime.Await(t, fetch())
	}
	s.mu.Unlock()
}

// InvalidSwitch forgets to unlock in one case.
func InvalidSwitch(t *runtime.Task, s *store, k int) { // want InvalidSwitch:"maySuspend" InvalidSwitch:`acquires \$1\.mu$`
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	switch k {
	case 0:
		s.mu.Unlock()
	case 1:
		s.data = 1
	default:
		s.mu.Unlock()
	}
	runtime.Join2(t, fetch(), fetch())
}

// ValidSwitch unlocks in every case.
func ValidSwitch(t *runtime.Task, s *store, k int) { // want ValidSwitch:"maySuspend"
	s.mu.Lock()
	switch k {
	case 0:
		s.mu.Unlock()
	default:
		s.mu.Unlock()
	}
	runtime.Join3(t, fetch(), fetch(), fetch())
}

// ValidLockAfterAwait locks only after the await.
func ValidLockAfterAwait(t *runtime.Task, s *store) { // want ValidLockAfterAwait:"maySuspend"
	v := runtime.Await(t, fetch())
	s.mu.Lock()
	s.data = v
	s.mu.Unlock()
}

// ValidRuntimeMutex holds the runtime's own mutex across an await: correct.
func ValidRuntimeMutex(t *runtime.Task, s *store) { // want ValidRuntimeMutex:"maySuspend"
	s.amu.Lock(t)
	s.data = runtime.Await(t, fetch())
	s.amu.Unlock()
}

// InvalidAsyncLockWhileHeld suspends in runtime.Mutex.Lock(t) while holding
// a sync.Mutex: that is an await point too.
func InvalidAsyncLockWhileHeld(t *runtime.Task, s *store) { // want InvalidAsyncLockWhileHeld:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	s.amu.Lock(t)
	s.amu.Unlock()
	s.mu.Unlock()
}

// InvalidChanRecv suspends in Chan.Recv while holding the lock.
func InvalidChanRecv(t *runtime.Task, s *store, c *runtime.Chan[int]) { // want InvalidChanRecv:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	s.data, _ = c.Recv(t)
	s.mu.Unlock()
}

// ValidNoAwait holds the lock without any await inside.
func ValidNoAwait(t *runtime.Task, s *store, c *runtime.Chan[int]) {
	s.mu.Lock()
	c.TrySend(s.data)
	s.mu.Unlock()
}

// ValidOutsideTask is not task code: it cannot await.
func ValidOutsideTask(s *store) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data++
}
