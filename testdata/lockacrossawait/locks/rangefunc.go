package locks

import (
	"iter"

	"github.com/asynclint/asynclint/runtime"
)

// InvalidRangeFuncAwaitInBody awaits in the body of a range-over-func loop
// while holding a lock taken before it: the body runs inside seq's call.
func InvalidRangeFuncAwaitInBody(t *runtime.Task, s *store, seq iter.Seq[int]) { // want InvalidRangeFuncAwaitInBody:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	for x := range seq {
		s.data += runtime.Await(t, fetch()) + x
	}
	s.mu.Unlock()
}

// ValidRangeFuncLockPerIteration locks and unlocks in each iteration, and
// awaits outside the critical section.
func ValidRangeFuncLockPerIteration(t *runtime.Task, s *store, seq iter.Seq[int]) { // want ValidRangeFuncLockPerIteration:"maySuspend"
	for x := range seq {
		s.mu.Lock()
		s.data += x
		s.mu.Unlock()
		runtime.Await(t, fetch())
	}
}

// InvalidRangeFuncLockedOnBreak leaves the loop by break with the lock held.
func InvalidRangeFuncLockedOnBreak(t *runtime.Task, s *store, seq iter.Seq[int]) { // want InvalidRangeFuncLockedOnBreak:"maySuspend" InvalidRangeFuncLockedOnBreak:`^acquires \$1\.mu$`
	for x := range seq {
		s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
		if x > s.data {
			break
		}
		s.mu.Unlock()
	}
	runtime.Await(t, fetch())
}

// ValidRangeFuncNoAwait holds the lock around a loop without awaits.
func ValidRangeFuncNoAwait(t *runtime.Task, s *store, seq iter.Seq[int]) { // want ValidRangeFuncNoAwait:"maySuspend"
	s.mu.Lock()
	for x := range seq {
		s.data += x
	}
	s.mu.Unlock()
	runtime.Await(t, fetch())
}
