package runtime

import (
	"sync/atomic"
	"testing"
)

func TestSemaphoreLargeRequestHoldsBackLaterOnes(t *testing.T) {
	s := NewSemaphore(3)
	if !s.TryAcquire(2) {
		t.Fatal("TryAcquire(2) of 3 free: got false")
	}
	pb, ps := newProbe(), newProbe()
	big := s.AcquireFuture(3)
	pending(t, big.Poll(pb.cx), "acquire 3 with 1 free")
	small := s.AcquireFuture(1)
	pending(t, small.Poll(ps.cx), "acquire 1 queued behind 3")
	if s.TryAcquire(1) {
		t.Fatal("TryAcquire barged ahead of the queue")
	}
	s.Release(2)
	if !pb.woken() || ps.woken() {
		t.Fatal("Release did not wake exactly the head waiter")
	}
	ready(t, big.Poll(pb.cx), "big")
	s.Release(3)
	ready(t, small.Poll(ps.cx), "small")
	s.Release(1)
	mustPanic(t, "runtime: Semaphore released more permits than were acquired", func() { s.Release(1) })
}

func TestSemaphoreCancelReturnsGrantedPermits(t *testing.T) {
	s := NewSemaphore(2)
	s.TryAcquire(2)
	pa, pb := newProbe(), newProbe()
	a := s.AcquireFuture(2)
	b := s.AcquireFuture(1)
	pending(t, a.Poll(pa.cx), "a")
	pending(t, b.Poll(pb.cx), "b")
	s.Release(2)
	a.Cancel() // a was granted both permits but never saw them
	if !pb.woken() {
		t.Fatal("b not woken by permits returned from a cancelled waiter")
	}
	ready(t, b.Poll(pb.cx), "b")
	if !s.TryAcquire(1) || s.TryAcquire(1) {
		t.Fatal("permits were lost or duplicated by the cancel")
	}
}

func TestSemaphoreCancelHeadLetsSmallerIn(t *testing.T) {
	s := NewSemaphore(2)
	s.TryAcquire(1)
	pa, pb := newProbe(), newProbe()
	a := s.AcquireFuture(2)
	b := s.AcquireFuture(1)
	pending(t, a.Poll(pa.cx), "a")
	pending(t, b.Poll(pb.cx), "b")
	a.Cancel()
	if !pb.woken() {
		t.Fatal("b not granted the free permit when the head waiter left")
	}
	ready(t, b.Poll(pb.cx), "b")
}

func TestSemaphoreMisuse(t *testing.T) {
	s := NewSemaphore(1)
	mustPanic(t, "runtime: Semaphore.TryAcquire of more permits than the semaphore has", func() { s.TryAcquire(2) })
	mustPanic(t, "runtime: Semaphore.AcquireFuture with a negative count", func() { s.AcquireFuture(-1) })
	mustPanic(t, "runtime: NewSemaphore with a negative count", func() { NewSemaphore(-1) })
	if !s.TryAcquire(0) {
		t.Fatal("TryAcquire(0): got false; want true")
	}
}

func TestSemaphoreOneWorker(t *testing.T) {
	s := NewSemaphore(2)
	var log eventLog
	oneWorker(func(t *Task) int {
		var hs []*JoinHandle[int]
		for i, n := range []int{1, 2, 1} {
			hs = append(hs, Spawn(t, Async(func(t *Task) int {
				Await(t, Sleep(ms(i)))
				s.Acquire(t, n)
				log.add("%d takes %d", i, n)
				Await(t, Sleep(ms(10)))
				s.Release(n)
				return 0
			})))
		}
		awaitAll(t, hs)
		return 0
	})
	// Task 2 (one permit) waits behind task 1 (two permits) although a
	// permit is free: FIFO.
	log.check(t, "0 takes 1", "1 takes 2", "2 takes 1")
}

func TestHammerSemaphore(t *testing.T) {
	const permits = 5
	s := NewSemaphore(permits)
	var inUse, peak atomic.Int32
	n := iterations(t)
	hammer(t, 32, func(t *Task, i int) {
		for j := range n {
			k := 1 + (i+j)%3
			s.Acquire(t, k)
			now := inUse.Add(int32(k))
			if now > permits {
				peak.Store(now)
			}
			if j%3 == 0 {
				Await(t, YieldNow())
			}
			inUse.Add(-int32(k))
			s.Release(k)
		}
	})
	if p := peak.Load(); p != 0 {
		t.Fatalf("%d permits in use at once; want at most %d", p, permits)
	}
	if !s.TryAcquire(permits) {
		t.Fatal("permits lost")
	}
}
