package locks

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// load awaits: a call to it is an await point.
func load(t *runtime.Task) int { // want load:"maySuspend"
	return runtime.Await(t, fetch())
}

// loadTwice reaches an await through another helper.
func loadTwice(t *runtime.Task) int { // want loadTwice:"maySuspend"
	return load(t) + load(t)
}

// start only spawns: it takes the task but never suspends.
func start(t *runtime.Task) *runtime.JoinHandle[int] {
	return runtime.Spawn(t, fetch())
}

// countdown recurses without awaiting: it never suspends.
func countdown(t *runtime.Task, n int) int {
	if n == 0 {
		return 0
	}
	return countdown(t, n-1)
}

// pingpong recurses and awaits on the way.
func ping(t *runtime.Task, n int) { // want ping:"maySuspend"
	if n > 0 {
		pong(t, n-1)
	}
}

func pong(t *runtime.Task, n int) { // want pong:"maySuspend"
	runtime.Await(t, runtime.YieldNow())
	ping(t, n)
}

// viaClosure suspends inside a closure it calls.
func viaClosure(t *runtime.Task) { // want viaClosure:"maySuspend"
	func() { runtime.Await(t, fetch()) }()
}

// viaGo awaits only in a goroutine, which does not suspend the caller.
func viaGo(t *runtime.Task) {
	go func() { runtime.Await(t, fetch()) }()
}

// bump locks and fully releases its own lock.
func (s *store) bump() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data++
}

// InvalidHelperAwaits calls a helper that awaits while holding the lock.
func InvalidHelperAwaits(t *runtime.Task, s *store) { // want InvalidHelperAwaits:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	s.data = loadTwice(t)
	s.mu.Unlock()
}

// ValidHelperSpawns calls helpers that take the task but never suspend.
func ValidHelperSpawns(t *runtime.Task, s *store) { // want ValidHelperSpawns:"maySuspend"
	s.mu.Lock()
	h := start(t)
	s.data = countdown(t, 3)
	viaGo(t)
	s.mu.Unlock()
	runtime.Await(t, h)
}

// ValidHelperReleases calls a helper that locks and fully releases before
// the await.
func ValidHelperReleases(t *runtime.Task, s *store) { // want ValidHelperReleases:"maySuspend"
	s.bump()
	runtime.Await(t, fetch())
}

// InvalidMutualRecursion holds the lock across a call into a recursive pair
// that awaits.
func InvalidMutualRecursion(t *runtime.Task, s *store) { // want InvalidMutualRecursion:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	ping(t, 2)
	viaClosure(t)
	s.mu.Unlock()
}

// lock returns with its receiver's mutex held: its callers hold it.
func (s *store) lock() { s.mu.Lock() } // want lock:`^acquires \$0\.mu$`

// unlock releases its caller's lock.
func (s *store) unlock() { s.mu.Unlock() } // want unlock:`^releases \$0\.mu$`

// lockTwice reaches lock through another helper.
func (s *store) lockTwice() { s.lock() } // want lockTwice:`^acquires \$0\.mu$`

// lockGlobal returns with a package-level mutex held.
func lockGlobal() { globalMu.Lock() } // want lockGlobal:`^acquires asynclint\.test/lockacrossawait/locks\.globalMu$`

// unlockBoth releases two of its caller's locks.
func unlockBoth(a, b *sync.Mutex) { // want unlockBoth:`^releases \$0, \$1$`
	a.Unlock()
	b.Unlock()
}

// waitUnlocked is a condition-variable wait: it releases the caller's lock,
// awaits, and takes the lock again.
func (s *store) waitUnlocked(t *runtime.Task) { // want waitUnlocked:"maySuspend" waitUnlocked:`^acquires \$0\.mu; releases \$0\.mu$`
	s.mu.Unlock()
	runtime.Await(t, fetch())
	s.mu.Lock()
}

// InvalidHelperLock holds the lock a helper took across the await.
func InvalidHelperLock(t *runtime.Task, s *store) { // want InvalidHelperLock:"maySuspend"
	s.lockTwice() // want `^s\.mu \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	s.unlock()
}

// ValidHelperUnlock releases through a helper before the await.
func ValidHelperUnlock(t *runtime.Task, s *store) { // want ValidHelperUnlock:"maySuspend"
	s.mu.Lock()
	s.data++
	s.unlock()
	runtime.Await(t, fetch())
}

// ValidHelperPair locks and unlocks through helpers before the await.
func ValidHelperPair(t *runtime.Task, s *store) { // want ValidHelperPair:"maySuspend"
	s.lock()
	s.data++
	s.unlock()
	runtime.Await(t, fetch())
}

// ValidCondWait waits through a helper that releases the lock around its
// await.
func ValidCondWait(t *runtime.Task, s *store) { // want ValidCondWait:"maySuspend"
	s.mu.Lock()
	for s.data == 0 {
		s.waitUnlocked(t)
	}
	s.mu.Unlock()
	runtime.Await(t, fetch())
}

// InvalidGlobalHelper holds the package-level mutex a helper took.
func InvalidGlobalHelper(t *runtime.Task) { // want InvalidGlobalHelper:"maySuspend"
	lockGlobal() // want `^globalMu \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	globalMu.Unlock()
}

// ValidUnlockBoth releases two locks through one helper.
func ValidUnlockBoth(t *runtime.Task, s *store, o *outer) { // want ValidUnlockBoth:"maySuspend"
	s.mu.Lock()
	o.in.mu.Lock()
	unlockBoth(&s.mu, &o.in.mu)
	runtime.Await(t, fetch())
}

// handle holds a pointer to its lock; its value methods share the lock.
type handle struct {
	mu *sync.Mutex
}

// release releases the handle's lock, from a copy of the handle.
func (h handle) release() { h.mu.Unlock() } // want release:`^releases \$0\.mu$`

// ValidValueHelper locks through a pointer to the handle and releases
// through a value method: loads do not change which lock it is.
func ValidValueHelper(t *runtime.Task, h *handle) { // want ValidValueHelper:"maySuspend"
	h.mu.Lock()
	h.release()
	runtime.Await(t, fetch())
}

// InvalidValueHelper forgets to release.
func InvalidValueHelper(t *runtime.Task, h *handle) { // want InvalidValueHelper:"maySuspend"
	h.mu.Lock() // want `^h\.mu \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	h.release()
}
