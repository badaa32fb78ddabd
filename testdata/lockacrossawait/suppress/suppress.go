// Package suppress checks that lockacrossawait findings can be suppressed
// with a reason, and that a stale suppression is reported.
package suppress

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

var mu sync.Mutex

// Suppressed is intended: the directive on the line above the lock site
// silences it.
func Suppressed(t *runtime.Task, f runtime.Future[int]) int { // want Suppressed:"maySuspend"
	//asynclint:ignore lockacrossawait mu is only ever locked by this task
	mu.Lock()
	defer mu.Unlock()
	return runtime.Await(t, f)
}

// SuppressedSameLine puts the directive on the lock's own line.
func SuppressedSameLine(t *runtime.Task, f runtime.Future[int]) int { // want SuppressedSameLine:"maySuspend"
	mu.Lock() //asynclint:ignore lockacrossawait single-task program
	defer mu.Unlock()
	return runtime.Await(t, f)
}

// Stale suppresses nothing: the lock is released before the await.
func Stale(t *runtime.Task, f runtime.Future[int]) int { // want Stale:"maySuspend"
	//asynclint:ignore lockacrossawait released before the await anyway // want `asynclint:ignore for lockacrossawait suppresses nothing here`
	mu.Lock()
	mu.Unlock()
	return runtime.Await(t, f)
}

// Unsuppressed has a directive for another check only.
func Unsuppressed(t *runtime.Task, f runtime.Future[int]) int { // want Unsuppressed:"maySuspend"
	//asynclint:ignore blockingcall not about locks
	mu.Lock() // want `mu \(sync\.Mutex\) is held across an await`
	defer mu.Unlock()
	return runtime.Await(t, f)
}
