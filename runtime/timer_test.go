package runtime

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// deadlineProbe is a Waker target that remembers its timer's deadline.
type deadlineProbe struct{ deadline uint64 }

func (*deadlineProbe) wake() {}

// The wheel fires every timer in the advance that crosses its deadline
// tick, across all levels and in deadline order, and removed timers never
// fire.
func TestWheelFiresAtDeadlines(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var w wheel
	var live []*timerEntry
	removed := map[*timerEntry]bool{}
	now := uint64(0)
	for step := 0; step < 5000; step++ {
		switch r.IntN(4) {
		case 0, 1:
			span := []uint64{10, 1000, 100_000, 10_000_000, 1 << 34}[r.IntN(5)]
			e := &timerEntry{deadline: now + 1 + r.Uint64N(span)}
			e.waker = Waker{target: &deadlineProbe{deadline: e.deadline}}
			if !w.insert(e) {
				t.Fatalf("insert of a future deadline reported expired")
			}
			live = append(live, e)
		case 2:
			if len(live) > 0 {
				e := live[r.IntN(len(live))]
				if e.inWheel {
					w.remove(e)
					removed[e] = true
				}
			}
		case 3:
			prev := now
			now += r.Uint64N(1 << uint(r.IntN(30)))
			last := uint64(0)
			for more := true; more; {
				var fired []Waker
				fired, more = w.advance(now, fired, 7)
				for _, f := range fired {
					d := f.target.(*deadlineProbe).deadline
					if d <= prev || d > now || d < last {
						t.Fatalf("timer due at %d fired while advancing from %d to %d (after one due at %d)", d, prev, now, last)
					}
					last = d
				}
			}
		}
	}
	for _, e := range live {
		switch {
		case removed[e] && e.fired.Load():
			t.Fatalf("a removed timer fired")
		case !removed[e] && e.deadline <= now && !e.fired.Load():
			t.Fatalf("timer due at %d not fired by %d", e.deadline, now)
		}
	}
}

// Sleeps on virtual time end in deadline order, at their deadlines.
func TestSleepOrderOnVirtualTime(t *testing.T) {
	rt := New(WithWorkers(1), WithVirtualTime())
	defer rt.Close()
	start := rt.Now()
	var got []time.Duration
	ds := []time.Duration{5 * time.Second, time.Millisecond, 90 * time.Minute, 70 * time.Millisecond, 3 * time.Second, 24 * time.Hour}
	BlockOn(rt, Async(func(t *Task) int {
		var fs []Future[int]
		for _, d := range ds {
			fs = append(fs, Async(func(t *Task) int {
				Await(t, Sleep(d))
				got = append(got, rt.Now().Sub(start))
				return 0
			}))
		}
		Await(t, JoinAll(fs...))
		return 0
	}))
	want := slices.Clone(ds)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("got wake times %v; want %v", got, want)
	}
}

// Real-time sleeps never end early.
func TestSleepNeverEarly(t *testing.T) {
	Run(Async(func(t *Task) int {
		for _, d := range []time.Duration{0, time.Millisecond, 3 * time.Millisecond, 20 * time.Millisecond} {
			start := time.Now()
			Await(t, Sleep(d))
			if el := time.Since(start); el < d {
				panic("sleep ended early")
			}
		}
		return 0
	}), WithWorkers(2))
}

// A timer whose wake leads nowhere (its task already finished) must not stop
// the virtual clock: the next timers still fire.
func TestVirtualClockSkipsDeadWakes(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(Async(func(t *Task) int {
			// Poll a Sleep by hand in a task that finishes without dropping
			// it: its timer stays armed and later wakes a finished task.
			Await(t, Spawn(t, PollFunc[int](func(cx *Cx) Poll[int] {
				Sleep(time.Second).Poll(cx)
				return Ready(0)
			})))
			Await(t, Sleep(time.Hour))
			return 0
		}), WithWorkers(1), WithVirtualTime())
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("virtual clock stopped after a timer woke a finished task")
	}
}
