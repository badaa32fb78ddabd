package locks

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// InvalidRLock read-locks across an await.
func InvalidRLock(t *runtime.Task, s *store) { // want InvalidRLock:"maySuspend"
	s.rw.RLock() // want `^s\.rw \(sync\.RWMutex\) is read-locked across an await \(a task that write-locks it blocks this worker; unlock before awaiting or use runtime\.RWMutex\)$`
	use(s.data + runtime.Await(t, fetch()))
	s.rw.RUnlock()
}

// ValidRUnlockBeforeAwait releases the read lock first.
func ValidRUnlockBeforeAwait(t *runtime.Task, s *store) { // want ValidRUnlockBeforeAwait:"maySuspend"
	s.rw.RLock()
	v := s.data
	s.rw.RUnlock()
	use(v + runtime.Await(t, fetch()))
}

// InvalidWriteLock write-locks across an await.
func InvalidWriteLock(t *runtime.Task, s *store) { // want InvalidWriteLock:"maySuspend"
	s.rw.Lock() // want `^s\.rw \(sync\.RWMutex\) is held across an await \(a task that locks it blocks this worker; unlock before awaiting or use runtime\.RWMutex\)$`
	defer s.rw.Unlock()
	s.data = runtime.Await(t, fetch())
}

// InvalidWrongRelease releases the write lock, not the read lock it holds.
func InvalidWrongRelease(t *runtime.Task, rw *sync.RWMutex) { // want InvalidWrongRelease:"maySuspend" InvalidWrongRelease:`^acquires \$1\(r\); releases \$1$`
	rw.RLock() // want `rw \(sync\.RWMutex\) is read-locked across an await`
	rw.Unlock()
	runtime.Await(t, fetch())
}

// ValidReadThenWrite releases each hold before the await.
func ValidReadThenWrite(t *runtime.Task, rw *sync.RWMutex) { // want ValidReadThenWrite:"maySuspend"
	rw.RLock()
	rw.RUnlock()
	rw.Lock()
	rw.Unlock()
	runtime.Await(t, fetch())
}

// ValidRuntimeRWMutex holds the runtime's RWMutex across an await.
func ValidRuntimeRWMutex(t *runtime.Task, rw *runtime.RWMutex) { // want ValidRuntimeRWMutex:"maySuspend"
	rw.RLock(t)
	runtime.Await(t, fetch())
	rw.RUnlock()
}
