package runtime

import (
	"sync"
	"sync/atomic"
)

// Semaphore is an async-aware counting semaphore with a fixed number of
// permits. Acquire suspends the calling task, never its worker, until the
// permits are available. Waiters are served in FIFO order: a waiter asking for
// more permits than are free holds back the waiters behind it, so large
// requests are not starved by small ones.
//
// Create a Semaphore with NewSemaphore; the zero value has no permits. A
// Semaphore must not be copied after first use. A Release that would make
// more permits free than the semaphore has panics. Permits are not owned:
// as with a channel used as a semaphore, any code may release permits that
// other code acquired, and only the total is checked.
type Semaphore struct {
	size int // permits in total; fixed by NewSemaphore
	s    sema
}

// NewSemaphore returns a semaphore with n permits, all available. It panics
// if n is negative.
func NewSemaphore(n int) *Semaphore {
	if n < 0 {
		panic("runtime: NewSemaphore with a negative count")
	}
	return &Semaphore{size: n}
}

// Acquire takes n permits, suspending t until they are available. It panics if
// n is negative or larger than the semaphore, which could never succeed.
//
// Cancel safety: if t is cancelled while it waits, it gives up its place in
// the queue and takes no permits; permits that were already handed to it pass
// on to the next waiters.
func (s *Semaphore) Acquire(t *Task, n int) {
	s.check("Semaphore.Acquire", n)
	s.s.acquire(t, "Semaphore.Acquire", n, s.size)
}

// AcquireFuture returns a future that takes n permits when polled to
// completion: the poll-level form of Acquire, for code that implements Poll.
// Nothing is queued until the first poll.
//
// Cancel safety: as for Mutex.LockFuture. The runtime cancels the futures it
// abandons (Race losers, expired Timeouts, aborted tasks); code that drops a
// pending one itself calls Cancel, which passes any permits granted to it on
// to the next waiter.
func (s *Semaphore) AcquireFuture(n int) *AcquireFuture {
	s.check("Semaphore.AcquireFuture", n)
	return &AcquireFuture{s: &s.s, n: n, size: s.size}
}

// TryAcquire takes n permits if they are available now and no task is queued
// ahead, and reports whether it did.
func (s *Semaphore) TryAcquire(n int) bool {
	s.check("Semaphore.TryAcquire", n)
	return s.s.tryAcquire(n, s.size)
}

// Release returns n permits and hands them to the waiters at the head of the
// queue. It panics if that would make more permits available than the
// semaphore has.
func (s *Semaphore) Release(n int) {
	if n < 0 {
		panic("runtime: Semaphore.Release with a negative count")
	}
	s.s.release(n, s.size, n, s.size, "runtime: Semaphore released more permits than were acquired")
}

func (s *Semaphore) check(what string, n int) {
	if n < 0 {
		panic("runtime: " + what + " with a negative count")
	}
	if n > s.size {
		panic("runtime: " + what + " of more permits than the semaphore has")
	}
}

// sema is the FIFO permit machinery shared by Mutex, RWMutex and Semaphore.
// Its zero value has every permit free. It tracks the permits taken rather
// than those free so that the zero values of Mutex and RWMutex are unlocked;
// each caller passes the semaphore's size.
//
// Permits are handed over directly: release grants them to the waiters at the
// head of the queue before anyone else can take them, and tryAcquire refuses
// while anyone is queued. This makes the lock fair and lets a cancelled waiter
// that was granted permits pass exactly those permits on.
type sema struct {
	mu      sync.Mutex
	taken   int            // permits held or granted to waiters; guarded by mu
	waiters list[struct{}] // queued acquirers in arrival order; guarded by mu

	// spare is a finished future that acquire reuses, so that contended
	// locking does not allocate. It is put back only after its Await
	// returned, when nothing refers to it (it is out of the queue, and
	// wakers are copied by value); a cancelled acquire never recycles.
	spare atomic.Pointer[AcquireFuture]
}

func (s *sema) tryAcquire(n, size int) bool {
	s.mu.Lock()
	ok := s.waiters.empty() && s.taken+n <= size
	if ok {
		s.taken += n
	}
	s.mu.Unlock()
	return ok
}

// release returns n permits. It panics with msg unless lo <= taken <= hi
// beforehand, which is how each caller states what holding means for it.
func (s *sema) release(n, size, lo, hi int, msg string) {
	s.mu.Lock()
	if s.taken < lo || s.taken > hi {
		s.mu.Unlock()
		panic(msg)
	}
	s.taken -= n
	var wl wakeList
	s.grantLocked(size, &wl)
	s.mu.Unlock()
	wl.wake()
}

// grantLocked hands free permits to the waiters at the head of the queue, in
// order, stopping at the first one that does not fit.
func (s *sema) grantLocked(size int, wl *wakeList) {
	for w := s.waiters.front(); w != nil && s.taken+w.n <= size; w = s.waiters.front() {
		s.waiters.remove(w)
		s.taken += w.n
		w.state = nodeGranted
		wl.add(w.waker)
	}
}

// acquire is the suspending form used by Lock, RLock and Acquire.
func (s *sema) acquire(t *Task, what string, n, size int) {
	coop(t, what)
	if s.tryAcquire(n, size) {
		return
	}
	f := s.spare.Swap(nil)
	if f == nil {
		f = new(AcquireFuture)
	}
	*f = AcquireFuture{s: s, n: n, size: size}
	f.await(t)
	s.spare.Store(f)
}

// await is the suspending part of acquire.
func (f *AcquireFuture) await(t *Task) {
	defer f.abandon()
	t.awaitUnit(f)
	f.kept = true
}

// AcquireFuture is a pending acquisition of permits of a Mutex, RWMutex or
// Semaphore. It is a Future[struct{}]: when it returns Ready, the permits
// belong to the caller.
type AcquireFuture struct {
	s    *sema
	n    int
	size int
	w    node[struct{}] // guarded by s.mu
	kept bool           // the suspending caller received the permits
}

// Poll implements Future. It panics if called after it returned Ready or
// after Cancel.
func (f *AcquireFuture) Poll(cx *Cx) Poll[struct{}] {
	s := f.s
	s.mu.Lock()
	switch f.w.state {
	case nodeIdle:
		if s.waiters.empty() && s.taken+f.n <= f.size {
			s.taken += f.n
			f.w.state = nodeDone
			s.mu.Unlock()
			return Ready(struct{}{})
		}
		f.w.n = f.n
		f.w.waker = cx.Waker()
		f.w.state = nodeQueued
		s.waiters.pushBack(&f.w)
	case nodeQueued:
		f.w.waker = cx.Waker()
	case nodeGranted:
		f.w.state = nodeDone
		s.mu.Unlock()
		return Ready(struct{}{})
	default:
		s.mu.Unlock()
		panic("runtime: lock or acquire future polled after it completed or was cancelled")
	}
	s.mu.Unlock()
	return Pending[struct{}]()
}

// Cancel abandons a pending acquisition: it leaves the queue, and permits
// already granted to it go to the next waiters. Cancel does nothing once Poll
// returned Ready, since the permits then belong to the caller, and nothing
// when called again.
func (f *AcquireFuture) Cancel() { f.cancel(false) }

func (f *AcquireFuture) drop(*Cx) { f.cancel(false) }

// abandon runs when the suspending caller unwinds: if Await was cancelled
// after the future became Ready but before the caller saw it, the permits are
// released too, since nobody will.
func (f *AcquireFuture) abandon() {
	if !f.kept {
		f.cancel(true)
	}
}

func (f *AcquireFuture) cancel(releaseDone bool) {
	s := f.s
	s.mu.Lock()
	switch f.w.state {
	case nodeIdle:
		f.w.state = nodeCancelled
		s.mu.Unlock()
		return
	case nodeQueued:
		s.waiters.remove(&f.w)
	case nodeGranted:
		s.taken -= f.n
	case nodeDone:
		if !releaseDone {
			s.mu.Unlock()
			return
		}
		s.taken -= f.n
	default:
		s.mu.Unlock()
		return
	}
	f.w.state = nodeCancelled
	// Leaving the head of the queue or returning permits may let the next
	// waiters in.
	var wl wakeList
	s.grantLocked(f.size, &wl)
	s.mu.Unlock()
	wl.wake()
}
