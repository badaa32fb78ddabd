package runtime

// rwMax is the number of permits of an RWMutex's semaphore: a reader takes
// one, a writer takes all of them.
const rwMax = 1 << 30

// RWMutex is an async-aware reader/writer lock: any number of readers or one
// writer. Like Mutex, it suspends tasks rather than blocking workers and may
// be held across Await.
//
// The zero value is an unlocked RWMutex. An RWMutex must not be copied after
// first use.
//
// Readers and writers are served in one FIFO queue: once a writer waits,
// readers that arrive later queue behind it, so writers are not starved.
// This also means a task must not take a read lock it already holds
// recursively, since a writer queued in between deadlocks it (as with
// sync.RWMutex).
type RWMutex struct {
	s sema
}

// Lock acquires the write lock, suspending t until no reader or writer holds
// rw. Cancel safety is as for Mutex.Lock: a cancelled Lock never leaves rw
// locked, and a grant it did not observe passes on.
func (rw *RWMutex) Lock(t *Task) { rw.s.acquire(t, "RWMutex.Lock", rwMax, rwMax) }

// LockFuture returns a future that acquires the write lock when polled to
// completion. See Mutex.LockFuture for its cancel safety.
func (rw *RWMutex) LockFuture() *AcquireFuture {
	return &AcquireFuture{s: &rw.s, n: rwMax, size: rwMax}
}

// Unlock releases the write lock. It panics if rw is not write-locked.
func (rw *RWMutex) Unlock() {
	rw.s.release(rwMax, rwMax, rwMax, rwMax, "runtime: RWMutex.Unlock without the write lock held (use RUnlock for a read lock)")
}

// RLock acquires a read lock, suspending t while a writer holds rw or waits
// ahead of t. Cancel safety is as for Lock.
func (rw *RWMutex) RLock(t *Task) { rw.s.acquire(t, "RWMutex.RLock", 1, rwMax) }

// RLockFuture returns a future that acquires a read lock when polled to
// completion. See Mutex.LockFuture for its cancel safety.
func (rw *RWMutex) RLockFuture() *AcquireFuture {
	return &AcquireFuture{s: &rw.s, n: 1, size: rwMax}
}

// RUnlock releases one read lock. It panics if rw is not read-locked.
func (rw *RWMutex) RUnlock() {
	rw.s.release(1, rwMax, 1, rwMax-1, "runtime: RWMutex.RUnlock without a read lock held (use Unlock for the write lock)")
}

// TryLock acquires the write lock if rw is unlocked and nobody is queued, and
// reports whether it did.
func (rw *RWMutex) TryLock() bool { return rw.s.tryAcquire(rwMax, rwMax) }

// TryRLock acquires a read lock if no writer holds or waits for rw, and
// reports whether it did.
func (rw *RWMutex) TryRLock() bool { return rw.s.tryAcquire(1, rwMax) }
