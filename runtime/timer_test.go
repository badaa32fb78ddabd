package runtime

import (
	"fmt"
	"math"
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
// fire. The runs start at tick 0 and just before the top level's rotations
// end (every 2^36 ticks, about 795 days), and some deadlines lie further
// than a rotation away.
func TestWheelFiresAtDeadlines(t *testing.T) {
	for _, start := range []uint64{0, 1<<36 - 5000, 3<<36 - 7} {
		testWheelFiresAtDeadlines(t, start)
	}
}

func testWheelFiresAtDeadlines(t *testing.T, start uint64) {
	r := rand.New(rand.NewPCG(1, start))
	w := wheel{elapsed: start}
	var live []*timerEntry
	removed := map[*timerEntry]bool{}
	now := start
	for step := 0; step < 5000; step++ {
		switch r.IntN(4) {
		case 0, 1:
			span := []uint64{10, 1000, 100_000, 10_000_000, 1 << 34, 1 << 37, 1 << 40}[r.IntN(7)]
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
			now += r.Uint64N(1 << uint(r.IntN(39)))
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

// Timers keep firing on time past the end of the timer wheel's top-level
// rotation (2^36 ms, about 795 days), when their deadlines lie beyond it,
// and when a timer of the longest duration is armed. Each run has a
// deadline of its own, so that a wheel stuck at a rotation's end fails it
// instead of hanging the test binary.
func TestTimersPastWheelRotation(t *testing.T) {
	run := func(name string, body func(t *Task) string, opts ...Option) {
		t.Helper()
		done := make(chan string, 1)
		go func() { done <- Run(Async(body), opts...) }()
		select {
		case msg := <-done:
			if msg != "" {
				t.Errorf("%s: %s", name, msg)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: stuck (timers stopped firing)", name)
		}
	}
	const day = 24 * time.Hour
	run("virtual daily loop over 3 years", func(t *Task) string {
		start := t.Runtime().Now()
		for d := 1; d <= 3*365; d++ {
			Await(t, Sleep(day))
			if got := t.Runtime().Now().Sub(start); got != time.Duration(d)*day {
				return fmt.Sprintf("woke at %v on day %d; want %v", got, d, time.Duration(d)*day)
			}
		}
		return ""
	}, WithWorkers(1), WithVirtualTime())
	run("virtual sleeps longer than a rotation", func(t *Task) string {
		start := t.Runtime().Now()
		for _, d := range []time.Duration{1000 * day, 5000 * day} {
			from := t.Runtime().Now()
			Await(t, Sleep(d))
			if got := t.Runtime().Now().Sub(from); got != d {
				return fmt.Sprintf("Sleep(%v) took %v (started at %v)", d, got, from.Sub(start))
			}
		}
		return ""
	}, WithWorkers(1), WithVirtualTime())
	run("virtual longest sleep", func(t *Task) string {
		start := t.Runtime().Now()
		Await(t, Sleep(math.MaxInt64))
		if got := t.Runtime().Now().Sub(start); got < time.Duration(maxDeadline)*tick-time.Millisecond {
			return fmt.Sprintf("Sleep(MaxInt64) ended after %v", got)
		}
		return ""
	}, WithWorkers(1), WithVirtualTime())
	run("real time beside the longest sleep and timeout", func(t *Task) string {
		Await(t, Sleep(2*time.Millisecond))
		far := Spawn(t, Async(func(t *Task) int { Await(t, Sleep(math.MaxInt64)); return 0 }))
		farTimeout := Spawn(t, Async(func(t *Task) bool {
			return Await(t, Timeout(math.MaxInt64, Sleep(math.MaxInt64))).TimedOut
		}))
		Await(t, YieldNow())
		for range 3 {
			start := time.Now()
			Await(t, Sleep(10*time.Millisecond))
			if el := time.Since(start); el < 10*time.Millisecond {
				return fmt.Sprintf("a 10ms sleep ended after %v", el)
			}
		}
		far.Abort()
		farTimeout.Abort()
		return ""
	}, WithWorkers(2))
}
