package runtime

import "testing"

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
