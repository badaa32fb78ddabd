package locks

import (
	"sync"
	_ "unsafe" // for go:linkname

	"github.com/asynclint/asynclint/runtime"
)

// asmWait is implemented in assembly: what it does with the task is
// unknown, so it may suspend, like a dynamic call that receives the task.
func asmWait(t *runtime.Task) int // want asmWait:"maySuspend"

// asmCount is implemented in assembly and does not receive a task: it
// cannot suspend.
func asmCount(mu *sync.Mutex) int

// pulledWait is another package's function, pulled in by linkname: its
// body is not here either.
//
//go:linkname pulledWait github.com/asynclint/asynclint/runtime.hiddenWait
func pulledWait(t *runtime.Task) // want pulledWait:"maySuspend"

// InvalidAsmWait calls the assembly function while the lock is held.
func InvalidAsmWait(t *runtime.Task, s *store) int { // want InvalidAsmWait:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	v := asmWait(t)
	s.mu.Unlock()
	return v
}

// InvalidLinknameWait calls the linknamed function while the lock is held.
func InvalidLinknameWait(t *runtime.Task, s *store) { // want InvalidLinknameWait:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	pulledWait(t)
	s.mu.Unlock()
}

// ValidAsmNoTask calls an assembly function that gets no task while the
// lock is held.
func ValidAsmNoTask(t *runtime.Task, s *store) { // want ValidAsmNoTask:"maySuspend"
	s.mu.Lock()
	s.data = asmCount(&s.mu)
	s.mu.Unlock()
	runtime.Await(t, fetch())
}

// ValidAsmWaitUnlocked calls the assembly function after the unlock.
func ValidAsmWaitUnlocked(t *runtime.Task, s *store) int { // want ValidAsmWaitUnlocked:"maySuspend"
	s.mu.Lock()
	s.data++
	s.mu.Unlock()
	return asmWait(t)
}

// spawnGeneric has a body, generic as it is: taking the task only to spawn,
// it gets no fact, and calling it under a lock is fine.
func spawnGeneric[T any](t *runtime.Task, f runtime.Future[T]) *runtime.JoinHandle[T] {
	return runtime.Spawn(t, f)
}

// ValidGenericSpawnUnderLock spawns through the generic helper while the
// lock is held.
func ValidGenericSpawnUnderLock(t *runtime.Task, s *store) { // want ValidGenericSpawnUnderLock:"maySuspend"
	s.mu.Lock()
	h := spawnGeneric(t, fetch())
	s.mu.Unlock()
	runtime.Await(t, h)
}
