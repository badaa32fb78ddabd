package runtime

import (
	"sync/atomic"
	"testing"
)

func TestWaitGroupWakesAtZero(t *testing.T) {
	var wg WaitGroup
	ready(t, wg.WaitFuture().Poll(newProbe().cx), "wait on a zero counter")
	wg.Add(2)
	pa, pb := newProbe(), newProbe()
	a, b := wg.WaitFuture(), wg.WaitFuture()
	pending(t, a.Poll(pa.cx), "a")
	pending(t, b.Poll(pb.cx), "b")
	wg.Done()
	if pa.woken() || pb.woken() {
		t.Fatal("woken before the counter reached zero")
	}
	pending(t, a.Poll(pa.cx), "a at 1")
	wg.Done()
	if !pa.woken() || !pb.woken() {
		t.Fatal("not every waiter was woken at zero")
	}
	ready(t, a.Poll(pa.cx), "a")
	ready(t, b.Poll(pb.cx), "b")
	mustPanic(t, "runtime: negative WaitGroup counter", wg.Done)
	ready(t, wg.WaitFuture().Poll(newProbe().cx), "wait after the failed Done")
}

func TestWaitGroupCancelLeavesQueue(t *testing.T) {
	var wg WaitGroup
	wg.Add(1)
	p := newProbe()
	f := wg.WaitFuture()
	pending(t, f.Poll(p.cx), "f")
	f.Cancel()
	wg.Done()
	if p.woken() {
		t.Fatal("a cancelled waiter was woken")
	}
	if !wg.waiters.empty() {
		t.Fatal("a cancelled waiter stayed queued")
	}
}

func TestWaitGroupOneWorker(t *testing.T) {
	var wg WaitGroup
	var done atomic.Int32
	oneWorker(func(t *Task) int {
		for i := range 5 {
			wg.Add(1)
			Spawn(t, Async(func(t *Task) int {
				defer wg.Done()
				Await(t, Sleep(ms(10*i)))
				done.Add(1)
				return 0
			}))
		}
		wg.Wait(t)
		return 0
	})
	if got := done.Load(); got != 5 {
		t.Fatalf("Wait returned with %d tasks done; want 5", got)
	}
}

func TestHammerWaitGroup(t *testing.T) {
	var done atomic.Int32
	n := iterations(t)
	hammer(t, 16, func(t *Task, i int) {
		for range n / 10 {
			var wg WaitGroup
			var local atomic.Int32
			for range 5 {
				wg.Add(1)
				Spawn(t, Async(func(t *Task) int {
					defer wg.Done()
					Await(t, YieldNow())
					local.Add(1)
					return 0
				}))
			}
			wg.Wait(t)
			if local.Load() != 5 {
				panic("WaitGroup.Wait returned before every Done")
			}
			done.Add(1)
		}
	})
	if got, want := done.Load(), int32(16*(n/10)); got != want {
		t.Fatalf("got %d rounds; want %d", got, want)
	}
}
