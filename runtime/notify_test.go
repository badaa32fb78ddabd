package runtime

import (
	"sync/atomic"
	"testing"
)

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

func TestNotifyOneWorker(t *testing.T) {
	var n Notify
	var log eventLog
	oneWorker(func(t *Task) int {
		var hs []*JoinHandle[int]
		for i := range 3 {
			hs = append(hs, Spawn(t, Async(func(t *Task) int {
				Await(t, Sleep(ms(i)))
				n.Wait(t)
				log.add("%d woke", i)
				return 0
			})))
		}
		Await(t, Sleep(ms(10)))
		n.NotifyOne()
		Await(t, Sleep(ms(10)))
		log.add("notify all")
		n.NotifyAll()
		awaitAll(t, hs)
		n.NotifyOne() // stored as a permit
		n.Wait(t)
		log.add("permit consumed")
		return 0
	})
	log.check(t, "0 woke", "notify all", "1 woke", "2 woke", "permit consumed")
}

func TestHammerNotify(t *testing.T) {
	// Each consumer takes items from a shared counter and waits on the
	// Notify when it is empty; producers add one item and notify one waiter.
	var n Notify
	var m Mutex
	items := 0 // guarded by m
	var consumed atomic.Int32
	const producers, perProducer = 8, 200
	var wg WaitGroup
	Run(Async(func(t *Task) int {
		for range 8 {
			wg.Add(1)
			Spawn(t, Async(func(t *Task) int {
				defer wg.Done()
				for {
					// Created before checking, as WaitFuture documents, so
					// that the final NotifyAll cannot slip in between.
					f := n.WaitFuture()
					if consumed.Load() == producers*perProducer {
						f.Cancel()
						return 0
					}
					m.Lock(t)
					got := items > 0
					if got {
						items--
					}
					m.Unlock()
					if !got {
						Await(t, f)
						continue
					}
					f.Cancel()
					if consumed.Add(1) == producers*perProducer {
						n.NotifyAll()
					} else {
						n.NotifyOne() // more may be left: pass the baton
					}
				}
			}))
		}
		for range producers {
			Spawn(t, Async(func(t *Task) int {
				for range perProducer {
					m.Lock(t)
					items++
					m.Unlock()
					n.NotifyOne()
				}
				return 0
			}))
		}
		wg.Wait(t)
		return 0
	}), WithWorkers(hammerWorkers))
	if got := consumed.Load(); got != producers*perProducer {
		t.Fatalf("consumed %d items; want %d", got, producers*perProducer)
	}
}
