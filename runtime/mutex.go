package runtime

// Mutex is an async-aware mutual exclusion lock. Lock suspends the calling
// task, never its worker, so a Mutex may be held across Await: that is what
// it is for. A sync.Mutex held across Await blocks the worker of every other
// task that wants it, and deadlocks a one-worker runtime.
//
// The zero value is an unlocked Mutex. A Mutex must not be copied after first
// use. It is not tied to a task: any task or goroutine may unlock it.
//
// Waiters are served in FIFO order. Unlock hands the lock directly to the
// first waiter, so a task that unlocks and locks again queues behind the
// tasks already waiting rather than barging ahead of them.
type Mutex struct {
	s sema
}

// Lock acquires m, suspending t while another holder has it.
//
// Cancel safety: if t is cancelled while it waits (JoinHandle.Abort, a lost
// Race, an expired Timeout), it leaves the queue without the lock; if Unlock
// had already handed it the lock, the lock passes on to the next waiter. A
// cancelled Lock never leaves m locked.
func (m *Mutex) Lock(t *Task) { m.s.acquire(t, "Mutex.Lock", 1, 1) }

// LockFuture returns a future that acquires m when polled to completion: the
// poll-level form of Lock, for code that implements Poll or combines futures
// (Race, Timeout). Nothing is queued until the first poll; the lock is held
// from the moment the future returns Ready.
//
// Cancel safety: the runtime cancels every future it abandons (a Race loser,
// the future of an expired Timeout, the pending Await of an aborted task), and
// a cancelled LockFuture passes on a lock it was handed. Code that drops a
// pending LockFuture itself must call its Cancel method, or m stays locked
// once the lock reaches the abandoned future.
func (m *Mutex) LockFuture() *AcquireFuture {
	return &AcquireFuture{s: &m.s, n: 1, size: 1}
}

// TryLock acquires m if it is unlocked and nobody is queued for it, and
// reports whether it did. It never suspends.
func (m *Mutex) TryLock() bool { return m.s.tryAcquire(1, 1) }

// Unlock releases m, handing it to the first waiter if there is one. It
// panics if m is not locked.
func (m *Mutex) Unlock() {
	m.s.release(1, 1, 1, 1, "runtime: Mutex.Unlock of an unlocked Mutex")
}
