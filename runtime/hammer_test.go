package runtime

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// settledGoroutines waits until the goroutine count drops to at most want,
// and returns the last count seen.
func settledGoroutines(want int) int {
	n := goruntime.NumGoroutine()
	for i := 0; i < 500 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = goruntime.NumGoroutine()
	}
	return n
}

func TestNoGoroutineLeakAfterClose(t *testing.T) {
	time.Sleep(20 * time.Millisecond) // let goroutines of earlier tests exit
	before := goruntime.NumGoroutine()
	rt := New(WithWorkers(4), WithBlockingThreads(8))
	var deferred atomic.Int32
	BlockOn(rt, Async(func(t *Task) int {
		for i := 0; i < 200; i++ {
			Spawn(t, Async(func(t *Task) int {
				defer deferred.Add(1)
				// Nested bodies, each on its own coroutine, all suspended.
				return Await(t, Async(func(t *Task) int {
					Await(t, Sleep(time.Hour))
					return 0
				}))
			}))
		}
		for i := 0; i < 20; i++ {
			Await(t, SpawnBlocking(t, func() int { time.Sleep(time.Millisecond); return i }))
		}
		hs := make([]Future[int], 100)
		for i := range hs {
			hs[i] = Async(func(t *Task) int { Await(t, YieldNow()); return i })
		}
		Await(t, JoinAll(hs...))
		return 0
	}))
	rt.Close()
	if got := deferred.Load(); got != 200 {
		t.Fatalf("got %d defers run; want 200", got)
	}
	if after := settledGoroutines(before); after > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("got %d goroutines after Close; want %d\n%s", after, before, buf[:goruntime.Stack(buf, true)])
	}
}

// HammerWorkStealing: a million tasks spawned from one task on 4 workers
// must be spread over all of them by stealing.
func TestHammerWorkStealing(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	rt := New(WithWorkers(4))
	var ran atomic.Int64
	BlockOn(rt, Async(func(t *Task) int {
		var left atomic.Int64
		left.Store(int64(n))
		done := &countingFuture{}
		task := PollFunc[int](func(*Cx) Poll[int] {
			// A little work, so that spawning outpaces one worker.
			x := 0
			for i := 0; i < 50; i++ {
				x += i * i
			}
			ran.Add(1)
			if left.Add(-1) == 0 {
				done.fire()
			}
			return Ready(x)
		})
		for i := 0; i < n; i++ {
			Spawn(t, Future[int](task))
			if i%1024 == 0 {
				Await(t, YieldNow())
			}
		}
		return Await(t, done)
	}))
	rt.Close()
	if got := ran.Load(); got != int64(n) {
		t.Fatalf("got %d tasks run; want %d", got, n)
	}
	var total uint64
	for _, w := range rt.workers {
		total += w.polls
	}
	for _, w := range rt.workers {
		share := float64(w.polls) / float64(total)
		t.Logf("worker %d: %d polls (%.1f%%), %d steals", w.index, w.polls, 100*share, w.steals)
		if share < 0.05 {
			t.Errorf("worker %d did %.1f%% of the polls; want at least 5%% each", w.index, 100*share)
		}
	}
}

// HammerWakesFromGoroutines: tasks woken from plain goroutines at random
// moments (often during their own poll) all complete: no wake is lost.
func TestHammerWakesFromGoroutines(t *testing.T) {
	const tasks, rounds = 500, 20
	rt := New(WithWorkers(4))
	defer rt.Close()
	got := BlockOn(rt, Async(func(t *Task) int {
		hs := make([]Future[int], tasks)
		for i := range hs {
			hs[i] = Spawn(t, Async(func(t *Task) int {
				n := 0
				for r := 0; r < rounds; r++ {
					f := &countingFuture{}
					go func() {
						time.Sleep(time.Duration(rand.IntN(50)) * time.Microsecond)
						f.fire()
					}()
					Await(t, f)
					n++
				}
				return n
			}))
		}
		sum := 0
		for _, v := range Await(t, JoinAll(hs...)) {
			sum += v
		}
		return sum
	}))
	if got != tasks*rounds {
		t.Fatalf("got %d completed rounds; want %d", got, tasks*rounds)
	}
}

// HammerAbort: aborting tasks at random points runs every defer exactly
// once, whether the task was queued, suspended or running.
func TestHammerAbort(t *testing.T) {
	const tasks = 2000
	var started, deferred, finished atomic.Int32
	rt := New(WithWorkers(4))
	BlockOn(rt, Async(func(t *Task) int {
		hs := make([]*JoinHandle[int], tasks)
		for i := range hs {
			hs[i] = Spawn(t, Async(func(t *Task) int {
				started.Add(1)
				defer deferred.Add(1)
				for j := 0; j < 5; j++ {
					Await(t, YieldNow())
				}
				Await(t, Sleep(time.Duration(rand.IntN(3))*time.Millisecond))
				finished.Add(1)
				return 0
			}))
		}
		var wg sync.WaitGroup
		for i := range hs {
			if i%2 == 0 {
				wg.Add(1)
				go func() { defer wg.Done(); hs[i].Abort() }()
			}
		}
		wg.Wait()
		aborted := 0
		for _, h := range hs {
			func() {
				defer func() {
					if r := recover(); r == ErrAborted {
						aborted++
					} else if r != nil {
						panic(r)
					}
				}()
				Await(t, h)
			}()
		}
		if aborted < 1 {
			panic("no task was aborted")
		}
		return 0
	}))
	rt.Close()
	if s, d := started.Load(), deferred.Load(); s != d {
		t.Fatalf("got %d bodies started and %d defers run; want equal", s, d)
	}
}

// The default policy for a detached task's panic crashes the process with
// the task's stack, like an unrecovered goroutine panic.
func TestDetachedPanicCrashesByDefault(t *testing.T) {
	if os.Getenv("RUNTIME_TEST_CRASH_CHILD") == "1" {
		rt := New(WithWorkers(1))
		BlockOn(rt, Async(func(t *Task) int {
			Spawn(t, Async(func(t *Task) int { return panicInDetachedTask() })).Detach()
			Await(t, Sleep(time.Second))
			return 0
		}))
		os.Exit(0)
	}
	out, err := testChild("TestDetachedPanicCrashesByDefault", "RUNTIME_TEST_CRASH_CHILD", "1").CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 {
		t.Fatalf("got %v; want exit status 2\n%s", err, out)
	}
	if !strings.Contains(string(out), "panic: detached boom") || !strings.Contains(string(out), "panicInDetachedTask") {
		t.Fatalf("got output:\n%s\nwant the panic value and the task's stack", out)
	}
}

//go:noinline
func panicInDetachedTask() int { panic("detached boom") }

// A one-worker runtime on virtual time runs the same program in the same
// order every time.
func TestVirtualTimeIsDeterministic(t *testing.T) {
	run := func() string {
		var log []string
		Run(Async(func(t *Task) int {
			var hs []Future[int]
			for i := 0; i < 20; i++ {
				hs = append(hs, Spawn(t, Async(func(t *Task) int {
					for j := 0; j < 3; j++ {
						Await(t, Sleep(time.Duration((i*7+j*13)%10)*time.Millisecond))
						//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
						log = append(log, string(rune('a'+i))+string(rune('0'+j)))
					}
					return 0
				})))
			}
			Await(t, JoinAll(hs...))
			return 0
		}), WithWorkers(1), WithVirtualTime())
		return strings.Join(log, " ")
	}
	first := run()
	for i := 0; i < 20; i++ {
		if got := run(); got != first {
			t.Fatalf("run %d: got order\n%s\nwant\n%s", i, got, first)
		}
	}
}

// HammerMixed: random trees of spawns, joins, races, timeouts, sleeps,
// yields and aborts, on real and virtual time. Every body that starts runs its defers
// exactly once, Close returns, and no goroutine is left behind.
func TestHammerMixed(t *testing.T) {
	time.Sleep(20 * time.Millisecond)
	before := goruntime.NumGoroutine()
	var started, deferred atomic.Int64
	var body func(depth int, seed uint64) Future[int]
	body = func(depth int, seed uint64) Future[int] {
		return Async(func(t *Task) int {
			started.Add(1)
			defer deferred.Add(1)
			r := rand.New(rand.NewPCG(seed, uint64(depth)))
			sum := 0
			for step := 0; step < 4; step++ {
				if depth == 0 {
					Await(t, Sleep(time.Duration(r.IntN(3))*time.Millisecond))
					sum++
					continue
				}
				switch r.IntN(6) {
				case 0:
					a, b := Join2(t, body(depth-1, r.Uint64()), body(depth-1, r.Uint64()))
					sum += a + b
				case 1:
					sum += Await(t, Race(body(depth-1, r.Uint64()), body(depth-1, r.Uint64())))
				case 2:
					sum += Await(t, Timeout(time.Duration(r.IntN(4))*time.Millisecond, body(depth-1, r.Uint64()))).Value
				case 3:
					h := Spawn(t, body(depth-1, r.Uint64()))
					if r.IntN(2) == 0 {
						h.Abort()
					}
					func() {
						defer func() {
							if p := recover(); p != nil && p != ErrAborted {
								panic(p)
							}
						}()
						sum += Await(t, h)
					}()
				case 4:
					Await(t, YieldNow())
				case 5:
					Spawn(t, body(depth-1, r.Uint64())) // left running: Close cancels it
				}
			}
			return sum
		})
	}
	rounds := 40
	if testing.Short() {
		rounds = 10
	}
	flavors := [][]Option{{WithWorkers(4)}, {WithWorkers(1), WithVirtualTime()}, {WithWorkers(2), WithVirtualTime()}}
	for round := 0; round < rounds; round++ {
		rt := New(flavors[round%len(flavors)]...)
		BlockOn(rt, body(3, uint64(round)))
		rt.Close()
		if s, d := started.Load(), deferred.Load(); s != d {
			t.Fatalf("round %d: got %d bodies started and %d defers run; want equal", round, s, d)
		}
	}
	if after := settledGoroutines(before); after > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("got %d goroutines after Close; want %d\n%s", after, before, buf[:goruntime.Stack(buf, true)])
	}
}

// Idle workers park: a runtime with nothing to do burns no CPU.
func TestIdleWorkersBurnNoCPU(t *testing.T) {
	rt := New(WithWorkers(4))
	defer rt.Close()
	SpawnOn(rt, Async(func(t *Task) int { Await(t, Sleep(time.Hour)); return 0 }))
	time.Sleep(50 * time.Millisecond)
	before := processCPU()
	if before == 0 {
		t.Skip("no CPU time measurement on this platform")
	}
	time.Sleep(300 * time.Millisecond)
	if used := time.Duration(processCPU() - before); used > 30*time.Millisecond {
		t.Fatalf("got %v of CPU used in 300ms by an idle runtime; want about none", used)
	}
}

// A one-worker run on virtual time does not depend on how often its worker
// goes round its idle loop. An unparker sends its token after taking the
// worker off the idle list, so a token that arrives late sends a worker
// that has parked again round the loop once more. The worker's fairness
// tick used to count those trips, so the every-61-polls look at the
// injection queue fell on other polls, and woken tasks (injection queue) and
// yielding ones (local queue) swapped order. Here the tokens come between
// rounds of work, while the worker is parked.
func TestVirtualTimeOrderIgnoresIdleTrips(t *testing.T) {
	const rounds, kids, steps = 6, 8, 6
	run := func(trips int) []string {
		rt := New(WithWorkers(1), WithVirtualTime())
		defer rt.Close()
		w := rt.workers[0]
		// settle waits until the round is over and the worker parked with
		// no token left to take.
		settle := func(h *JoinHandle[int]) {
			deadline := time.Now().Add(10 * time.Second)
			for {
				rt.idleMu.Lock()
				parked := w.parked
				rt.idleMu.Unlock()
				if h.IsFinished() && parked && len(w.parkC) == 0 {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("the worker did not park after round within 10s")
				}
				time.Sleep(50 * time.Microsecond)
			}
		}
		var log []string // one worker: its tasks never run at once
		for r := range rounds {
			h := SpawnOn(rt, Async(func(t *Task) int {
				var hs []*JoinHandle[int]
				for k := range kids {
					hs = append(hs, Spawn(t, Async(func(t *Task) int {
						// The inner task's end wakes this one through the
						// injection queue; the yields go through the local one.
						inner := Spawn(t, Async(func(t *Task) int {
							for j := range k%3 + 1 {
								Await(t, YieldNow())
								//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
								log = append(log, fmt.Sprintf("%d.%d.in%d", r, k, j))
							}
							return 0
						}))
						for j := range steps {
							log = append(log, fmt.Sprintf("%d.%d.%d", r, k, j))
							Await(t, YieldNow())
							if j == k%steps {
								Await(t, inner)
							}
						}
						return 0
					})))
				}
				for _, h := range hs {
					Await(t, h)
				}
				return 0
			}))
			settle(h)
			for range trips * r {
				w.unpark() // a late token: the worker is not off the idle list
				settle(h)
			}
		}
		return log
	}
	want := run(0)
	for trips := 1; trips <= 3; trips++ {
		got := run(trips)
		if i := propFirstDiff(got, want); i >= 0 {
			t.Fatalf("with %d extra idle trips per round, the order differs at step %d of %d: got\n%s\nwant (no extra trips)\n%s",
				trips, i, len(want), propAt(got, i), propAt(want, i))
		}
	}
}
