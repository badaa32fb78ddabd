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

// On one worker, Wait suspends its task until the last Done, every waiter
// (queued in arrival order) resumes after it, and a Wait on a zero counter
// returns at once. The workers finish in the reverse order of their spawning,
// so a Wait woken by the first Done instead of the last shows up in the trace.
func TestWaitGroupOneWorker(t *testing.T) {
	var wg WaitGroup
	var log eventLog
	oneWorker(func(t *Task) int {
		for i := range 3 {
			wg.Add(1)
			Spawn(t, Async(func(t *Task) int {
				defer wg.Done()
				log.add("worker %d sleeps", i)
				Await(t, Sleep(ms(10*(3-i))))
				log.add("worker %d done", i)
				return 0
			}))
		}
		waiter := Spawn(t, Async(func(t *Task) int {
			log.add("waiter waits")
			wg.Wait(t)
			log.add("waiter resumes")
			return 0
		}))
		log.add("main waits")
		wg.Wait(t)
		log.add("main resumes")
		Await(t, waiter)
		wg.Wait(t)
		log.add("wait on zero returns")
		return 0
	})
	log.check(t,
		"main waits",
		"worker 0 sleeps", "worker 1 sleeps", "worker 2 sleeps",
		"waiter waits",
		"worker 2 done", "worker 1 done", "worker 0 done",
		"main resumes", "waiter resumes",
		"wait on zero returns")
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
