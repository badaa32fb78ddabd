package runtime

import "testing"

func TestMutexZeroValueTryLock(t *testing.T) {
	var m Mutex
	if !m.TryLock() {
		t.Fatal("TryLock of a zero Mutex: got false; want true")
	}
	if m.TryLock() {
		t.Fatal("TryLock of a locked Mutex: got true; want false")
	}
	m.Unlock()
	if !m.TryLock() {
		t.Fatal("TryLock after Unlock: got false; want true")
	}
	m.Unlock()
	mustPanic(t, "runtime: unlock of unlocked Mutex", m.Unlock)
}

func TestMutexLockFutureIsLazy(t *testing.T) {
	var m Mutex
	f := m.LockFuture()
	if !m.TryLock() {
		t.Fatal("an unpolled LockFuture took the lock")
	}
	m.Unlock()
	ready(t, f.Poll(newProbe().cx), "first poll of a free Mutex")
	if m.TryLock() {
		t.Fatal("TryLock after LockFuture completed: got true; want false")
	}
	mustPanic(t, "runtime: lock or acquire future polled after it completed or was cancelled", func() { f.Poll(newProbe().cx) })
}

func TestMutexHandsOverInFIFOOrder(t *testing.T) {
	var m Mutex
	m.TryLock()
	ps := []*probe{newProbe(), newProbe(), newProbe()}
	fs := make([]Future[struct{}], len(ps))
	for i, p := range ps {
		fs[i] = m.LockFuture()
		pending(t, fs[i].Poll(p.cx), "lock while held")
	}
	for i := range fs {
		m.Unlock()
		for j, p := range ps {
			if got, want := p.woken(), j == i; got != want {
				t.Fatalf("after unlock %d: waiter %d woken = %v; want %v", i, j, got, want)
			}
		}
		if m.TryLock() {
			t.Fatalf("TryLock barged ahead of waiter %d", i)
		}
		ready(t, fs[i].Poll(ps[i].cx), "poll after hand-over")
		for j := i + 1; j < len(fs); j++ {
			pending(t, fs[j].Poll(ps[j].cx), "later waiter")
		}
	}
	m.Unlock()
	if !m.TryLock() {
		t.Fatal("Mutex still locked after every waiter unlocked")
	}
}

func TestMutexCancelPassesGrantOn(t *testing.T) {
	var m Mutex
	m.TryLock()
	pa, pb := newProbe(), newProbe()
	a := m.LockFuture().(*AcquireFuture)
	b := m.LockFuture().(*AcquireFuture)
	pending(t, a.Poll(pa.cx), "a")
	pending(t, b.Poll(pb.cx), "b")
	m.Unlock() // grants a, which never observes it
	if !pa.woken() || pb.woken() {
		t.Fatal("Unlock did not wake exactly the first waiter")
	}
	a.Cancel()
	if !pb.woken() {
		t.Fatal("cancelling a granted waiter did not wake the next one")
	}
	ready(t, b.Poll(pb.cx), "b after a was cancelled")
	m.Unlock()
	if !m.TryLock() {
		t.Fatal("lock lost: TryLock failed after the only holder unlocked")
	}
}

func TestMutexCancelQueuedAndIdle(t *testing.T) {
	var m Mutex
	m.TryLock()
	p := newProbe()
	a := m.LockFuture().(*AcquireFuture)
	pending(t, a.Poll(p.cx), "a")
	a.Cancel()
	a.Cancel() // idempotent
	m.Unlock()
	if p.woken() {
		t.Fatal("a cancelled waiter was woken")
	}
	idle := m.LockFuture().(*AcquireFuture)
	idle.Cancel()
	if !m.TryLock() {
		t.Fatal("cancelled waiters kept the Mutex locked")
	}
	// Cancel after Ready leaves the lock with its holder.
	m.Unlock()
	f := m.LockFuture().(*AcquireFuture)
	ready(t, f.Poll(p.cx), "free lock")
	f.Cancel()
	if m.TryLock() {
		t.Fatal("Cancel after Ready released the caller's lock")
	}
}

func TestMutexAbandonAfterReadyReleases(t *testing.T) {
	var m Mutex
	f := m.LockFuture().(*AcquireFuture)
	ready(t, f.Poll(newProbe().cx), "free lock")
	f.abandon() // the caller unwound before seeing Ready
	if !m.TryLock() {
		t.Fatal("a lock that nobody observed was not released")
	}
}
