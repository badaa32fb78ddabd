package locks

import (
	goruntime "runtime"

	"github.com/asynclint/asynclint/runtime"
)

// InvalidThreadLock suspends while the goroutine is wired to its thread.
func InvalidThreadLock(t *runtime.Task) { // want InvalidThreadLock:"maySuspend"
	goruntime.LockOSThread() // want `^the OS thread lock \(runtime\.LockOSThread\) is held across an await \(suspending an async body wired to its OS thread crashes the program; call runtime\.UnlockOSThread before awaiting\)$`
	defer goruntime.UnlockOSThread()
	runtime.Await(t, fetch())
}

// ValidThreadLock unwires before the await.
func ValidThreadLock(t *runtime.Task) { // want ValidThreadLock:"maySuspend"
	goruntime.LockOSThread()
	goruntime.UnlockOSThread()
	runtime.Await(t, fetch())
}
