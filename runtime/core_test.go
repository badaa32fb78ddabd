package runtime

import (
	"errors"
	"fmt"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingFuture is pending until its waker was handed out and fired n
// times; it counts its polls.
type countingFuture struct {
	mu    sync.Mutex
	polls int
	ready bool
	waker Waker
}

func (f *countingFuture) Poll(cx *Cx) Poll[int] {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.polls++
	if f.ready {
		return Ready(f.polls)
	}
	f.waker = cx.Waker()
	return Pending[int]()
}

func (f *countingFuture) fire() {
	f.mu.Lock()
	f.ready = true
	w := f.waker
	f.mu.Unlock()
	w.Wake()
}

func (f *countingFuture) pollCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.polls
}

func (f *countingFuture) hasWaker() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.waker.target != nil
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestAsyncIsLazy(t *testing.T) {
	ran := false
	f := Async(func(t *Task) int { ran = true; return 1 })
	time.Sleep(5 * time.Millisecond)
	if ran {
		t.Fatalf("got body run before poll; want lazy")
	}
	_ = Sleep(time.Second)
	if got := Run(f, WithWorkers(1)); got != 1 || !ran {
		t.Fatalf("got %d, ran=%v; want 1, true", got, ran)
	}
}

func TestAsyncHandPolled(t *testing.T) {
	var wakes atomic.Int32
	cx := newTestCx(func() { wakes.Add(1) })
	inner := &countingFuture{}
	f := Async(func(t *Task) int { return Await(t, inner) * 10 })
	if f.Poll(cx).IsReady() {
		t.Fatalf("got ready; want pending")
	}
	inner.fire()
	if wakes.Load() != 1 {
		t.Fatalf("got %d wakes; want 1", wakes.Load())
	}
	v, ok := f.Poll(cx).Value()
	if !ok || v != 20 {
		t.Fatalf("got %d,%v; want 20,true", v, ok)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "runtime: Async future polled after it completed") {
			t.Fatalf("got %v; want a polled-after-completion panic", r)
		}
	}()
	f.Poll(cx)
}

func TestNoPollWithoutWake(t *testing.T) {
	rt := New(WithWorkers(2))
	defer rt.Close()
	f := &countingFuture{}
	h := SpawnOn(rt, Future[int](f))
	eventually(t, "first poll", f.hasWaker)
	time.Sleep(20 * time.Millisecond)
	if got := f.pollCount(); got != 1 {
		t.Fatalf("got %d polls before the wake; want 1", got)
	}
	f.fire()
	if got := BlockOn(rt, Future[int](h)); got != 2 {
		t.Fatalf("got %d polls; want 2", got)
	}
}

func TestWakeDuringPollIsNotLost(t *testing.T) {
	// A future that wakes itself from another goroutine while its poll is
	// still running: the task must be polled again.
	for i := 0; i < 200; i++ {
		n := 0
		got := Run(PollFunc[int](func(cx *Cx) Poll[int] {
			n++
			if n == 3 {
				return Ready(n)
			}
			var wg sync.WaitGroup
			wg.Add(1)
			w := cx.Waker()
			go func() { defer wg.Done(); w.Wake() }()
			wg.Wait()
			return Pending[int]()
		}), WithWorkers(1+i%2))
		if got != 3 {
			t.Fatalf("got %d; want 3", got)
		}
	}
}

func doWork(t *Task, d time.Duration) string {
	Await(t, Sleep(d))
	return "done"
}

func TestJoin2RunsConcurrently(t *testing.T) {
	start := time.Now()
	a, b := Run(Async(func(t *Task) [2]string {
		a, b := Join2(t,
			Async(func(t *Task) string { return doWork(t, time.Second) }),
			Async(func(t *Task) string { return doWork(t, time.Second) }))
		return [2]string{a, b}
	}), WithWorkers(1))[0], "done"
	el := time.Since(start)
	if a != b {
		t.Fatalf("got %q; want %q", a, b)
	}
	if el < time.Second || el > 1900*time.Millisecond {
		t.Fatalf("got %v for two concurrent 1 s works; want about 1 s", el)
	}
}

func TestPitfallsAreReal(t *testing.T) {
	const d = 200 * time.Millisecond
	run := func(body func(t *Task), opts ...Option) (wall, virtual time.Duration) {
		start := time.Now()
		rt := New(append([]Option{WithWorkers(1)}, opts...)...)
		defer rt.Close()
		vstart := rt.Now()
		BlockOn(rt, Async(func(t *Task) int {
			h1 := Spawn(t, Async(func(t *Task) int { body(t); return 0 }))
			h2 := Spawn(t, Async(func(t *Task) int { body(t); return 0 }))
			Await(t, h1)
			Await(t, h2)
			return 0
		}))
		return time.Since(start), rt.Now().Sub(vstart)
	}
	if blocking, _ := run(func(*Task) { time.Sleep(d) }); blocking < 2*d {
		t.Fatalf("time.Sleep in two tasks on one worker took %v; want >= %v (serialized)", blocking, 2*d)
	}
	// On virtual time the proof is exact: both sleeps end at d.
	if _, v := run(func(t *Task) { Await(t, Sleep(d)) }, WithVirtualTime()); v != d {
		t.Fatalf("runtime.Sleep in two tasks on one worker took %v of virtual time; want %v (concurrent)", v, d)
	}
	// On the wall clock a loaded machine can stall the process for a while:
	// one of three attempts must show the overlap.
	var cooperative time.Duration
	for range 3 {
		if cooperative, _ = run(func(t *Task) { Await(t, Sleep(d)) }); cooperative < 2*d-d/4 {
			return
		}
	}
	t.Fatalf("runtime.Sleep in two tasks on one worker took %v; want about %v (concurrent)", cooperative, d)
}

func TestAbortRunsDefers(t *testing.T) {
	var deferred atomic.Bool
	var mid atomic.Bool
	got := Run(Async(func(t *Task) string {
		h := Spawn(t, Async(func(t *Task) int {
			defer deferred.Store(true)
			Await(t, Sleep(time.Hour))
			mid.Store(true)
			return 1
		}))
		Await(t, Sleep(10*time.Millisecond))
		h.Abort()
		defer func() { recover() }()
		Await(t, h)
		return "no panic"
	}), WithWorkers(2), WithVirtualTime())
	_ = got
	if !deferred.Load() || mid.Load() {
		t.Fatalf("got deferred=%v resumed=%v; want true, false", deferred.Load(), mid.Load())
	}
}

func TestAwaitAbortedHandlePanicsErrAborted(t *testing.T) {
	var got any
	finished := false
	Run(Async(func(t *Task) int {
		h := Spawn(t, Async(func(t *Task) int { Await(t, Sleep(time.Hour)); return 1 }))
		Await(t, YieldNow())
		h.Abort()
		func() {
			defer func() { got = recover() }()
			Await(t, h)
		}()
		finished = h.IsFinished()
		return 0
	}), WithWorkers(1), WithVirtualTime())
	if !finished {
		t.Errorf("IsFinished after abort: got false; want true")
	}
	if got != ErrAborted {
		t.Fatalf("got %v; want ErrAborted", got)
	}
}

func TestRaceCancelsLoser(t *testing.T) {
	var loserDeferred, loserFinished atomic.Bool
	got := Run(Async(func(t *Task) string {
		return Await(t, Race(
			Async(func(t *Task) string {
				defer loserDeferred.Store(true)
				Await(t, Sleep(time.Hour))
				loserFinished.Store(true)
				return "slow"
			}),
			Async(func(t *Task) string { Await(t, Sleep(time.Millisecond)); return "fast" }),
		))
	}), WithWorkers(1), WithVirtualTime())
	if got != "fast" || !loserDeferred.Load() || loserFinished.Load() {
		t.Fatalf("got %q deferred=%v finished=%v; want fast, true, false", got, loserDeferred.Load(), loserFinished.Load())
	}
}

func TestTimeout(t *testing.T) {
	var deferred atomic.Bool
	rt := New(WithWorkers(1), WithVirtualTime())
	defer rt.Close()
	got := BlockOn(rt, Async(func(t *Task) Timed[int] {
		return Await(t, Timeout(time.Second, Async(func(t *Task) int {
			defer deferred.Store(true)
			Await(t, Sleep(time.Hour))
			return 1
		})))
	}))
	if !got.TimedOut || got.Value != 0 || !deferred.Load() {
		t.Fatalf("got %+v deferred=%v; want TimedOut, zero value, defers run", got, deferred.Load())
	}
	ok := BlockOn(rt, Async(func(t *Task) Timed[int] {
		return Await(t, Timeout(time.Hour, Async(func(t *Task) int { Await(t, Sleep(time.Second)); return 7 })))
	}))
	if ok.TimedOut || ok.Value != 7 {
		t.Fatalf("got %+v; want value 7", ok)
	}
	// The expired timers were removed: nothing is left in the wheel.
	rt.timers.mu.Lock()
	_, _, _, pending := rt.timers.wheel.nextExpiration()
	rt.timers.mu.Unlock()
	if pending {
		t.Fatalf("got a timer left in the wheel; want none (dropped timers are removed)")
	}
}

func TestPanicReachesJoiner(t *testing.T) {
	var got any
	Run(Async(func(t *Task) int {
		h := Spawn(t, Async(func(t *Task) int {
			Await(t, YieldNow())
			panic("boom")
		}))
		defer func() { got = recover() }()
		return Await(t, h)
	}), WithWorkers(2))
	pe, ok := got.(*PanicError)
	if !ok {
		t.Fatalf("got %T %v; want *PanicError", got, got)
	}
	if pe.Value != "boom" || !strings.Contains(string(pe.Stack), "core_test.go") {
		t.Fatalf("got value %v, stack:\n%s\nwant boom with the panic site", pe.Value, pe.Stack)
	}
}

func TestPanicErrorUnwrap(t *testing.T) {
	sentinel := errors.New("sentinel")
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, sentinel) {
			t.Fatalf("got %v; want a *PanicError wrapping sentinel", r)
		}
	}()
	Run(Async(func(t *Task) int { panic(sentinel) }), WithWorkers(1))
}

func TestPanicDoesNotKillWorker(t *testing.T) {
	var reported atomic.Int32
	rt := New(WithWorkers(1), WithPanicHandler(func(*PanicError) { reported.Add(1) }))
	defer rt.Close()
	for i := 0; i < 10; i++ {
		h := SpawnOn(rt, Async(func(t *Task) int { panic(i) }))
		h.Detach()
	}
	if got := BlockOn(rt, Async(func(t *Task) int { return 42 })); got != 42 {
		t.Fatalf("got %d; want 42", got)
	}
	eventually(t, "10 reports", func() bool { return reported.Load() == 10 })
}

func TestUnawaitedPanicReportedAtClose(t *testing.T) {
	var got []*PanicError
	var mu sync.Mutex
	Run(Async(func(t *Task) int {
		Spawn(t, Async(func(t *Task) int { panic("lost") }))
		Await(t, Sleep(10*time.Millisecond))
		return 0
	}), WithWorkers(1), WithPanicHandler(func(pe *PanicError) { mu.Lock(); got = append(got, pe); mu.Unlock() }))
	if len(got) != 1 || got[0].Value != "lost" {
		t.Fatalf("got %v; want one report of the lost panic", got)
	}
}

func TestCoopBudgetYields(t *testing.T) {
	// Two tasks on one worker: a loop over always-ready futures must let the
	// other task run before it finishes.
	var order []string
	Run(Async(func(t *Task) int {
		//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
		h := Spawn(t, Async(func(t *Task) int { order = append(order, "other"); return 0 }))
		for i := 0; i < 1000; i++ {
			Await(t, PollFunc[int](func(*Cx) Poll[int] { return Ready(i) }))
			if i == 999 {
				order = append(order, "loop done")
			}
		}
		Await(t, h)
		return 0
	}), WithWorkers(1))
	if len(order) != 2 || order[0] != "other" {
		t.Fatalf("got order %v; want the other task to run during the loop", order)
	}
}

func TestJoinPollsOnlyWokenChild(t *testing.T) {
	a, b, c := &countingFuture{}, &countingFuture{}, &countingFuture{}
	rt := New(WithWorkers(1))
	defer rt.Close()
	h := SpawnOn(rt, JoinAll[int](a, b, c))
	eventually(t, "first polls", func() bool { return a.hasWaker() && b.hasWaker() && c.hasWaker() })
	b.fire()
	eventually(t, "b polled", func() bool { return b.pollCount() == 2 })
	c.fire()
	a.fire()
	got := BlockOn(rt, Future[[]int](h))
	if got[0] != 2 || got[1] != 2 || got[2] != 2 {
		t.Fatalf("got polls %v; want each child polled exactly twice", got)
	}
}

func TestJoin3AndJoinAllValues(t *testing.T) {
	got := Run(Async(func(t *Task) string {
		a, b, c := Join3(t,
			Async(func(t *Task) int { Await(t, Sleep(3*time.Millisecond)); return 1 }),
			Async(func(t *Task) string { Await(t, Sleep(time.Millisecond)); return "b" }),
			Sleep(2*time.Millisecond))
		all := Await(t, JoinAll(Async(func(t *Task) int { return 5 }), Async(func(t *Task) int { Await(t, YieldNow()); return 6 })))
		return fmt.Sprintf("%v %v %v %v", a, b, c, all)
	}), WithVirtualTime())
	if got != "1 b {} [5 6]" {
		t.Fatalf("got %q; want %q", got, "1 b {} [5 6]")
	}
}

func TestVirtualTimeJumps(t *testing.T) {
	start := time.Now()
	rt := New(WithWorkers(1), WithVirtualTime())
	defer rt.Close()
	t0 := rt.Now()
	var log []string
	BlockOn(rt, Async(func(t *Task) int {
		Join2(t,
			Async(func(t *Task) int { Await(t, Sleep(time.Hour)); log = append(log, "hour"); return 0 }),
			Async(func(t *Task) int { Await(t, Sleep(time.Minute)); log = append(log, "minute"); return 0 }))
		return 0
	}))
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("virtual Sleep(time.Hour) took %v of real time", el)
	}
	if fmt.Sprint(log) != "[minute hour]" {
		t.Fatalf("got order %v; want [minute hour]", log)
	}
	if d := rt.Now().Sub(t0); d < time.Hour || d > time.Hour+time.Second {
		t.Fatalf("got virtual clock advanced by %v; want 1h", d)
	}
}

func TestSpawnLocalStaysOnItsWorker(t *testing.T) {
	rt := New(WithWorkers(4))
	defer rt.Close()
	BlockOn(rt, Async(func(t *Task) int {
		home := t.cx.w
		var hs []*JoinHandle[int]
		for i := 0; i < 50; i++ {
			hs = append(hs, SpawnLocal(t, Async(func(t *Task) int {
				for j := 0; j < 20; j++ {
					if t.cx.w != home {
						panic("SpawnLocal task ran on another worker")
					}
					Await(t, YieldNow())
				}
				return 0
			})))
		}
		for _, h := range hs {
			Await(t, h)
		}
		return 0
	}))
}

func TestSpawnBlocking(t *testing.T) {
	var running, peak atomic.Int32
	got := Run(Async(func(t *Task) int {
		var hs []*JoinHandle[int]
		for i := 0; i < 8; i++ {
			hs = append(hs, SpawnBlocking(t, func() int {
				n := running.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(5 * time.Millisecond)
				running.Add(-1)
				return i
			}))
		}
		sum := 0
		for _, h := range hs {
			sum += Await(t, h)
		}
		return sum
	}), WithBlockingThreads(2))
	if got != 28 || peak.Load() > 2 {
		t.Fatalf("got sum %d, peak %d; want 28 and at most 2 at once", got, peak.Load())
	}
}

func panicsWith(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil || !strings.Contains(fmt.Sprint(r), want) {
			t.Fatalf("got panic %v; want one containing %q", r, want)
		}
	}()
	f()
}

func TestMisuseIsLoud(t *testing.T) {
	panicsWith(t, "runtime: WithWorkers(0)", func() { WithWorkers(0) })
	panicsWith(t, "runtime: WithWorkers(-1)", func() { WithWorkers(-1) })
	rt := New(WithWorkers(1))
	rt.Close()
	rt.Close() // idempotent
	panicsWith(t, "runtime: spawn on a closed runtime", func() { SpawnOn(rt, Async(func(t *Task) int { return 0 })) })
	panicsWith(t, "runtime: BlockOn on a closed runtime", func() { BlockOn(rt, Async(func(t *Task) int { return 0 })) })

	panicsWith(t, "BlockOn or Run called from inside a task", func() {
		Run(Async(func(t *Task) int { return Run(Async(func(t *Task) int { return 1 })) }), WithWorkers(1))
	})
	panicsWith(t, "BlockOn or Run called from inside a task", func() {
		Run(PollFunc[int](func(cx *Cx) Poll[int] { return Ready(Run(Async(func(t *Task) int { return 1 }))) }), WithWorkers(1))
	})
	rt2 := New(WithWorkers(1))
	defer rt2.Close()
	panicsWith(t, "Close called from inside a task", func() {
		BlockOn(rt2, Async(func(t *Task) int { rt2.Close(); return 0 }))
	})
	panicsWith(t, "Task whose body is not running", func() {
		Run(Async(func(t *Task) int {
			var other *Task
			h := Spawn(t, Async(func(t *Task) int { other = t; Await(t, Sleep(time.Hour)); return 0 }))
			Await(t, YieldNow())
			Await(t, YieldNow())
			defer h.Abort()
			Await(other, YieldNow())
			return 0
		}), WithWorkers(1), WithVirtualTime())
	})
}

func TestCloseCancelsSuspendedTasks(t *testing.T) {
	var deferred atomic.Int32
	rt := New(WithWorkers(2))
	for i := 0; i < 100; i++ {
		SpawnOn(rt, Async(func(t *Task) int {
			defer deferred.Add(1)
			Await(t, Sleep(time.Hour))
			return 0
		}))
	}
	BlockOn(rt, Async(func(t *Task) int { Await(t, Sleep(5*time.Millisecond)); return 0 }))
	rt.Close()
	if got := deferred.Load(); got != 100 {
		t.Fatalf("got %d defers run at Close; want 100", got)
	}
}

// Under virtual time, a blocking job that finishes without waking anyone
// must still let the clock jump.
func TestVirtualTimeAfterBlockingJob(t *testing.T) {
	done := make(chan int, 1)
	go func() {
		done <- Run(Async(func(t *Task) int {
			SpawnBlocking(t, func() int { time.Sleep(20 * time.Millisecond); return 0 }).Detach()
			Await(t, Sleep(time.Hour))
			return 1
		}), WithWorkers(1), WithVirtualTime())
	}()
	select {
	case got := <-done:
		if got != 1 {
			t.Fatalf("got %d; want 1", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("virtual clock stuck after a blocking job finished")
	}
}

func TestAwaitWithOuterTaskInsideNestedBody(t *testing.T) {
	panicsWith(t, "already awaiting", func() {
		Run(Async(func(outer *Task) int {
			return Await(outer, Async(func(inner *Task) int {
				return Await(outer, Async(func(*Task) int { return 1 }))
			}))
		}), WithWorkers(1))
	})
}

func TestCombinatorPanicDropsSiblings(t *testing.T) {
	for name, combine := range map[string]func(t *Task, a, b Future[int]){
		"Join2":   func(t *Task, a, b Future[int]) { Join2(t, a, b) },
		"JoinAll": func(t *Task, a, b Future[int]) { Await(t, JoinAll(a, b)) },
		"Race":    func(t *Task, a, b Future[int]) { Await(t, Race(a, b)) },
	} {
		var siblingDeferred atomic.Bool
		var got any
		Run(Async(func(t *Task) int {
			defer func() { got = recover() }()
			combine(t,
				Async(func(t *Task) int {
					defer siblingDeferred.Store(true)
					Await(t, Sleep(time.Hour))
					return 0
				}),
				Async(func(t *Task) int { Await(t, Sleep(time.Millisecond)); panic("child " + name) }))
			return 0
		}), WithWorkers(1), WithVirtualTime())
		pe, ok := got.(*PanicError)
		if !ok || pe.Value != "child "+name || !siblingDeferred.Load() {
			t.Fatalf("%s: got %v, sibling unwound=%v; want the child's *PanicError and the sibling dropped", name, got, siblingDeferred.Load())
		}
	}
}

func TestAbortBlockingJobBeforeItStarts(t *testing.T) {
	var ran atomic.Int32
	var got any
	Run(Async(func(t *Task) int {
		release := make(chan struct{})
		first := SpawnBlocking(t, func() int { <-release; return 1 })
		second := SpawnBlocking(t, func() int { ran.Add(1); return 2 })
		second.Abort()
		close(release)
		Await(t, first)
		defer func() { got = recover() }()
		Await(t, second)
		return 0
	}), WithBlockingThreads(1))
	if got != ErrAborted || ran.Load() != 0 {
		t.Fatalf("got %v, ran %d; want ErrAborted and the job never run", got, ran.Load())
	}
}

func TestGoexitInBodyDoesNotKillWorker(t *testing.T) {
	rt := New(WithWorkers(1))
	defer rt.Close()
	panicsWith(t, "runtime.Goexit", func() {
		BlockOn(rt, Async(func(t *Task) int { goruntime.Goexit(); return 0 }))
	})
	if got := BlockOn(rt, Async(func(t *Task) int { Await(t, YieldNow()); return 7 })); got != 7 {
		t.Fatalf("got %d after a Goexit; want 7 (the worker survived)", got)
	}
}

func TestGoexitInPollDoesNotKillWorker(t *testing.T) {
	rt := New(WithWorkers(1))
	defer rt.Close()
	panicsWith(t, "runtime.Goexit", func() {
		BlockOn(rt, PollFunc[int](func(*Cx) Poll[int] { goruntime.Goexit(); return Ready(0) }))
	})
	if got := BlockOn(rt, Async(func(t *Task) int { Await(t, YieldNow()); return 7 })); got != 7 {
		t.Fatalf("got %d after a Goexit; want 7 (the worker was replaced)", got)
	}
}

// A panicking task whose handle becomes garbage is reported without
// waiting for Close.
func TestDroppedHandlePanicReportedAfterGC(t *testing.T) {
	reported := make(chan *PanicError, 1)
	rt := New(WithWorkers(1), WithPanicHandler(func(pe *PanicError) { reported <- pe }))
	defer rt.Close()
	BlockOn(rt, Async(func(t *Task) int {
		Spawn(t, Async(func(t *Task) int { panic("dropped") })) // handle dropped
		Await(t, YieldNow())
		Await(t, YieldNow())
		return 0
	}))
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		goruntime.GC()
		select {
		case pe := <-reported:
			if pe.Value != "dropped" {
				t.Fatalf("got %v; want the dropped task's panic", pe.Value)
			}
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("got no report of the panic of a task whose handle was dropped")
}

// A JoinHandle that lost a Race or whose Timeout expired is still the
// handle of a running task: awaiting it later gets the task's panic, which
// does not go to the panic policy meanwhile.
func TestJoinHandleAwaitedAfterLosingRaceOrTimeout(t *testing.T) {
	for _, how := range []string{"Timeout", "Race"} {
		var policy atomic.Int32
		got := func() (pe *PanicError) {
			defer func() { pe, _ = recover().(*PanicError) }()
			Run(Async(func(t *Task) int {
				h := Spawn(t, Async(func(t *Task) int {
					Await(t, Sleep(30*time.Millisecond))
					panic("task failed")
				}))
				if how == "Timeout" {
					if !Await(t, Timeout(5*time.Millisecond, Future[int](h))).TimedOut {
						panic("the Timeout did not expire")
					}
				} else if Await(t, Race(Future[int](h), Async(func(t *Task) int { Await(t, Sleep(5*time.Millisecond)); return -1 }))) != -1 {
					panic("the handle won the Race")
				}
				return Await(t, h)
			}), WithVirtualTime(), WithPanicHandler(func(*PanicError) { policy.Add(1) }))
			return nil
		}()
		if got == nil || !strings.Contains(fmt.Sprint(got.Value), "task failed") {
			t.Errorf("%s: awaiting the handle afterwards gave %v; want the task's panic", how, got)
		}
		if n := policy.Load(); n != 0 {
			t.Errorf("%s: the panic policy was called %d times; want 0 (the panic had a joiner)", how, n)
		}
	}
}

// A JoinHandle awaited by two tasks at once, or twice in one Join, does
// not leave one of them waiting forever: the result goes to one awaiter,
// and the other panics saying why.
func TestJoinHandleTwoAwaitersPanic(t *testing.T) {
	cases := map[string]func(t *Task, h *JoinHandle[int]) int{
		"two tasks": func(t *Task, h *JoinHandle[int]) int {
			a := Spawn(t, Async(func(t *Task) int { return Await(t, h) }))
			b := Spawn(t, Async(func(t *Task) int { return Await(t, h) }))
			return Await(t, a) + Await(t, b)
		},
		"Join2 of one handle": func(t *Task, h *JoinHandle[int]) int {
			x, y := Join2(t, Future[int](h), Future[int](h))
			return x + y
		},
		"JoinAll of one handle": func(t *Task, h *JoinHandle[int]) int {
			return len(Await(t, JoinAll(Future[int](h), Future[int](h))))
		},
	}
	for name, await := range cases {
		done := make(chan any, 1)
		go func() {
			defer func() { done <- recover() }()
			Run(Async(func(t *Task) int {
				h := Spawn(t, Async(func(t *Task) int { Await(t, Sleep(5*time.Millisecond)); return 42 }))
				return await(t, h)
			}), WithWorkers(2))
		}()
		select {
		case r := <-done:
			if r == nil || !strings.Contains(fmt.Sprint(r), "JoinHandle polled after it returned its result") {
				t.Errorf("%s: got %v; want a panic about the second awaiter", name, r)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: an awaiter waits forever", name)
		}
	}
}

// A task that awaits its own JoinHandle panics instead of waiting forever.
func TestJoinHandleSelfAwaitPanics(t *testing.T) {
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		Run(Async(func(t *Task) int {
			var own atomic.Pointer[JoinHandle[int]]
			h := Spawn(t, Async(func(t *Task) int {
				Await(t, YieldNow())
				return Await(t, own.Load())
			}))
			own.Store(h)
			return Await(t, h)
		}), WithWorkers(1))
	}()
	select {
	case r := <-done:
		if r == nil || !strings.Contains(fmt.Sprint(r), "awaited its own JoinHandle") {
			t.Errorf("got %v; want a panic about awaiting its own JoinHandle", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("a task awaiting its own handle waits forever")
	}
}
