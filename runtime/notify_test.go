package runtime

import "testing"

func TestNotifyOneStoresOnePermit(t *testing.T) {
	var n Notify
	n.NotifyOne()
	n.NotifyOne()
	p := newProbe()
	ready(t, n.WaitFuture().Poll(p.cx), "wait with a stored permit")
	pending(t, n.WaitFuture().Poll(p.cx), "second wait: permits must not accumulate")
}

func TestNotifyOneWakesFirstWaiter(t *testing.T) {
	var n Notify
	pa, pb := newProbe(), newProbe()
	a, b := n.WaitFuture(), n.WaitFuture()
	pending(t, a.Poll(pa.cx), "a")
	pending(t, b.Poll(pb.cx), "b")
	n.NotifyOne()
	if !pa.woken() || pb.woken() {
		t.Fatal("NotifyOne did not wake exactly the first waiter")
	}
	ready(t, a.Poll(pa.cx), "a")
	pending(t, b.Poll(pb.cx), "b")
}

func TestNotifyAllWakesEveryWaiterAndStoresNothing(t *testing.T) {
	var n Notify
	ps := []*probe{newProbe(), newProbe()}
	var fs []*NotifyFuture
	for _, p := range ps {
		f := n.WaitFuture()
		pending(t, f.Poll(p.cx), "waiter")
		fs = append(fs, f)
	}
	late := n.WaitFuture() // created before NotifyAll, first polled after
	n.NotifyAll()
	for i, p := range ps {
		if !p.woken() {
			t.Fatalf("waiter %d not woken", i)
		}
		ready(t, fs[i].Poll(p.cx), "waiter")
	}
	ready(t, late.Poll(newProbe().cx), "future created before NotifyAll")
	pending(t, n.WaitFuture().Poll(newProbe().cx), "wait after NotifyAll")
}

func TestNotifyCancelPassesNotifyOneOn(t *testing.T) {
	var n Notify
	pa, pb := newProbe(), newProbe()
	a, b := n.WaitFuture(), n.WaitFuture()
	pending(t, a.Poll(pa.cx), "a")
	pending(t, b.Poll(pb.cx), "b")
	n.NotifyOne()
	a.Cancel()
	if !pb.woken() {
		t.Fatal("NotifyOne lost: b not woken after a was cancelled")
	}
	ready(t, b.Poll(pb.cx), "b")

	// With nobody else waiting, the notification becomes the permit.
	c := n.WaitFuture()
	pending(t, c.Poll(pa.cx), "c")
	n.NotifyOne()
	c.Cancel()
	ready(t, n.WaitFuture().Poll(pa.cx), "wait after the cancelled notified waiter")
}

func TestNotifyCancelDropsNotifyAllShare(t *testing.T) {
	var n Notify
	a := n.WaitFuture()
	pending(t, a.Poll(newProbe().cx), "a")
	n.NotifyAll()
	a.Cancel()
	pending(t, n.WaitFuture().Poll(newProbe().cx), "NotifyAll must not turn into a permit")
}
