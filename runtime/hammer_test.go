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

// Cancelling hammers: tasks on several workers wait on a primitive in the
// ways of the cancel-safety tests (cancel_test.go), awaited to the end, under
// an expiring Timeout, losing a Race, or inside a task that is aborted, while
// plain goroutines call the methods that the docs allow from any goroutine.
// At the end each test checks that no permit, lock, value or waiter was lost
// or duplicated, and that every route cancelled some wait while it was
// pending.

// cancelHammerTasks is the number of tasks of each cancelling hammer.
const cancelHammerTasks = 16

// cancelHammer runs body in cancelHammerTasks tasks on hammerWorkers
// workers, each task with its own random source, and fails the test if they
// do not all finish: a lost permit or notification leaves tasks waiting.
func cancelHammer(t *testing.T, body func(t *Task, i int, r *rand.Rand)) {
	t.Helper()
	withWatchdog(t, func() {
		hammer(t, cancelHammerTasks, func(tk *Task, i int) { body(tk, i, rand.New(rand.NewPCG(uint64(i), 3))) })
	})
}

// routeCounts counts, per route, the waits cancelled while pending. It is
// safe for concurrent use.
type routeCounts [numVia]atomic.Int64

// check fails the test unless each cancelling route hit a pending wait.
func (c *routeCounts) check(t *testing.T, what string) {
	t.Helper()
	t.Logf("%s cancelled while waiting: %d by Timeout, %d by Race, %d by Abort", what, c[viaTimeout].Load(), c[viaRace].Load(), c[viaAbort].Load())
	for via := viaTimeout; via < numVia; via++ {
		if c[via].Load() == 0 {
			t.Errorf("no %s was cancelled by %s while waiting: the route was not exercised", what, viaNames[via])
		}
	}
}

// shortDelay is 0 or 1 ms: a Timeout or Race of that length often ends a
// wait that is pending, and sometimes loses to it.
func shortDelay(r *rand.Rand) time.Duration { return time.Duration(r.IntN(2)) * time.Millisecond }

// awaitCancellable awaits f under a Timeout (via is viaTimeout) or in a Race
// against a Sleep (viaRace), both of d. It returns f's value and whether f
// completed, and counts in c a wait cancelled while pending.
func awaitCancellable[T any](t *Task, via int, d time.Duration, f Future[T], c *routeCounts) (T, bool) {
	w := watch(f)
	var v T
	if via == viaTimeout {
		v = Await(t, Timeout(d, Future[T](w))).Value
	} else {
		v = Await(t, Race(Future[T](w), after[T](d)))
	}
	if w.cancelledWaiting {
		c[via].Add(1)
	}
	return v, w.done
}

// spawnAborted runs op in a task of its own, aborts that task after a yield
// or a short Sleep (chosen by yield), and waits until it ended. op calls
// waited right after its suspending call returns. The task starts on a fresh
// coop budget, so op suspends before waited only to wait: an unwind before
// waited is an Abort of a pending wait, counted in c.
func spawnAborted(t *Task, yield bool, c *routeCounts, op func(t *Task, waited func())) {
	h := Spawn(t, Async(func(t *Task) int {
		passed := false
		defer func() {
			if !passed {
				c[viaAbort].Add(1)
			}
		}()
		op(t, func() { passed = true })
		return 0
	}))
	if yield {
		Await(t, YieldNow())
	} else {
		Await(t, Sleep(time.Millisecond))
	}
	h.Abort()
	func() {
		defer func() {
			if p := recover(); p != nil && p != ErrAborted {
				panic(p)
			}
		}()
		Await(t, h)
	}()
}

// Tasks take one or two of three permits (to the end, under a Timeout, in a
// Race or in a task that is aborted) and hold them, sometimes across an
// await. At no time are more than three in use, and at the end exactly three
// can be taken with TryAcquire: none was lost or duplicated.
func TestHammerSemaphoreCancel(t *testing.T) {
	const permits = 3
	s := NewSemaphore(permits)
	var inUse, over atomic.Int32
	var acquired atomic.Int64
	var routes routeCounts
	// hold uses n permits, across an await if yield, and gives them back
	// even if its task is aborted meanwhile.
	hold := func(t *Task, n int, yield bool) {
		defer func() {
			inUse.Add(-int32(n))
			s.Release(n)
		}()
		if inUse.Add(int32(n)) > permits {
			over.Add(1)
		}
		acquired.Add(1)
		if yield {
			Await(t, YieldNow())
		}
	}
	n := iterations(t)
	cancelHammer(t, func(t *Task, i int, r *rand.Rand) {
		for range n {
			k, yield := 1+r.IntN(2), r.IntN(2) == 0
			switch via := r.IntN(numVia); via {
			case viaDirect:
				s.Acquire(t, k)
				hold(t, k, yield)
			case viaTimeout, viaRace:
				if _, ok := awaitCancellable(t, via, shortDelay(r), Future[struct{}](s.AcquireFuture(k)), &routes); ok {
					hold(t, k, yield)
				}
			case viaAbort:
				spawnAborted(t, r.IntN(2) == 0, &routes, func(t *Task, waited func()) {
					s.Acquire(t, k)
					waited()
					hold(t, k, yield)
				})
			}
		}
	})
	if o := over.Load(); o != 0 {
		t.Fatalf("more than %d permits in use at once, %d times", permits, o)
	}
	if u := inUse.Load(); u != 0 {
		t.Fatalf("got %d permits in use at the end; want 0", u)
	}
	for k := range permits {
		if !s.TryAcquire(1) {
			t.Fatalf("TryAcquire(1) number %d failed: a permit was lost", k+1)
		}
	}
	if s.TryAcquire(1) {
		t.Fatalf("TryAcquire(1) succeeded %d times: a permit was duplicated", permits+1)
	}
	t.Logf("%d acquisitions", acquired.Load())
	routes.check(t, "acquisition")
}

// Readers and writers lock an RWMutex (to the end, under a Timeout, in a Race
// or in a task that is aborted) and hold it, sometimes across an await. No
// writer shares the lock, no completed write is lost, and the RWMutex can be
// write-locked at the end.
func TestHammerRWMutexCancel(t *testing.T) {
	var rw RWMutex
	var readers, writers, bad atomic.Int32
	var writes atomic.Int64
	value := 0 // guarded by rw; one increment per completed write
	var routes routeCounts
	// write and read run with the lock held, across an await if yield,
	// and release it even if their task is aborted meanwhile.
	write := func(t *Task, yield bool) {
		defer func() {
			writers.Add(-1)
			rw.Unlock()
		}()
		if writers.Add(1) != 1 || readers.Load() != 0 {
			bad.Add(1)
		}
		v := value
		if yield {
			Await(t, YieldNow())
		}
		value = v + 1
		writes.Add(1)
	}
	read := func(t *Task, yield bool) {
		defer func() {
			readers.Add(-1)
			rw.RUnlock()
		}()
		readers.Add(1)
		if writers.Load() != 0 {
			bad.Add(1)
		}
		if yield {
			Await(t, YieldNow())
		}
	}
	n := iterations(t)
	cancelHammer(t, func(t *Task, i int, r *rand.Rand) {
		for range n {
			writer, yield := r.IntN(3) == 0, r.IntN(2) == 0
			use, lock, future := read, rw.RLock, rw.RLockFuture
			if writer {
				use, lock, future = write, rw.Lock, rw.LockFuture
			}
			switch via := r.IntN(numVia); via {
			case viaDirect:
				lock(t)
				use(t, yield)
			case viaTimeout, viaRace:
				if _, ok := awaitCancellable(t, via, shortDelay(r), future(), &routes); ok {
					use(t, yield)
				}
			case viaAbort:
				spawnAborted(t, r.IntN(2) == 0, &routes, func(t *Task, waited func()) {
					lock(t)
					waited()
					use(t, yield)
				})
			}
		}
	})
	if b := bad.Load(); b != 0 {
		t.Fatalf("a writer shared the lock %d times", b)
	}
	if w := writes.Load(); int64(value) != w {
		t.Fatalf("got value %d after %d completed writes: updates were lost under the write lock", value, w)
	}
	if !rw.TryLock() {
		t.Fatal("RWMutex cannot be locked after every task ended")
	}
	t.Logf("%d writes", writes.Load())
	routes.check(t, "lock")
}

// Each round, a task waits to the end on a Notify of its own, queued behind
// tasks whose waits on it time out, lose a Race or are aborted, and a plain
// goroutine calls NotifyOne once. That one notification must reach the task
// waiting to the end: a cancelled waiter that NotifyOne chose passes it on,
// and one that observed it passes it on itself. If it is lost, the round's
// task waits forever, which the watchdog reports.
func TestHammerNotifyCancel(t *testing.T) {
	const noise = 3
	var routes routeCounts
	rounds := iterations(t) / 2
	cancelHammer(t, func(t *Task, i int, r *rand.Rand) {
		for range rounds {
			var n Notify
			hs := make([]*JoinHandle[int], noise)
			for k := range hs {
				via, d, yield := 1+r.IntN(numVia-1), shortDelay(r), r.IntN(2) == 0
				hs[k] = Spawn(t, Async(func(t *Task) int {
					switch via {
					case viaTimeout, viaRace:
						if _, ok := awaitCancellable(t, via, d, Future[struct{}](n.WaitFuture()), &routes); ok {
							n.NotifyOne() // it was meant for the waiter to the end
						}
					case viaAbort:
						spawnAborted(t, yield, &routes, func(t *Task, waited func()) {
							n.Wait(t)
							waited()
							n.NotifyOne()
						})
					}
					return 0
				}))
			}
			Await(t, YieldNow()) // lets some of them queue first
			last := Spawn(t, Async(func(t *Task) int { n.Wait(t); return 0 }))
			go func() {
				time.Sleep(time.Duration(rand.IntN(500)) * time.Microsecond)
				n.NotifyOne()
			}()
			Await(t, last)
			awaitAll(t, hs)
		}
	})
	routes.check(t, "wait")
}

// Each round, plain goroutines call Done while tasks wait on the WaitGroup:
// one waits to the end in the round's task, another in a task of its own,
// and others time out, lose a Race or are aborted. Every wait that returns
// must see every Done, the waits to the end must all return, and no
// cancelled waiter may stay queued (where a later Done would hand it a wake
// meant for nobody).
func TestHammerWaitGroupCancel(t *testing.T) {
	const dones = 4
	var early, queued atomic.Int32
	var routes routeCounts
	rounds := iterations(t) / 3
	cancelHammer(t, func(t *Task, i int, r *rand.Rand) {
		for range rounds {
			var wg WaitGroup
			var done atomic.Int32
			var released atomic.Bool // the round's task released its count
			wg.Add(dones)
			for range dones {
				go func() {
					time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
					done.Add(1)
					wg.Done()
				}()
			}
			check := func() {
				if done.Load() != dones || !released.Load() {
					early.Add(1)
				}
			}
			// In half the rounds, the round's task holds one count back
			// until the cancelled waits are over, to look at the queue while
			// it still matters; in the others, those waits may complete.
			hold := r.IntN(2) == 0
			if hold {
				wg.Add(1)
			} else {
				released.Store(true)
			}
			other := Spawn(t, Async(func(t *Task) int { wg.Wait(t); check(); return 0 }))
			for via := viaTimeout; via < numVia; via++ {
				switch via {
				case viaTimeout, viaRace:
					if _, ok := awaitCancellable(t, via, shortDelay(r), Future[struct{}](wg.WaitFuture()), &routes); ok {
						check()
					}
				case viaAbort:
					spawnAborted(t, r.IntN(2) == 0, &routes, func(t *Task, waited func()) {
						wg.Wait(t)
						waited()
						check()
					})
				}
			}
			if hold {
				wg.mu.Lock()
				for w := wg.waiters.front(); w != nil; w = w.next {
					if w.state != nodeQueued {
						queued.Add(1)
					}
				}
				wg.mu.Unlock()
				released.Store(true)
				wg.Done()
			}
			wg.Wait(t)
			check()
			Await(t, other)
		}
	})
	if e := early.Load(); e != 0 {
		t.Fatalf("%d waits returned before every Done", e)
	}
	if q := queued.Load(); q != 0 {
		t.Fatalf("%d cancelled waiters stayed in the queue", q)
	}
	routes.check(t, "wait")
}

// Plain goroutines Send on Oneshots that one or two receivers wait on, each
// to the end, under a Timeout, in a Race or in a task that is aborted. At the
// end every value was received exactly once, or is still in its Oneshot.
func TestHammerOneshotCancel(t *testing.T) {
	rounds := iterations(t) / 3
	type shot struct {
		o        Oneshot[int]
		received atomic.Int32
	}
	shots := make([][]shot, cancelHammerTasks)
	for i := range shots {
		shots[i] = make([]shot, rounds)
	}
	var wrong atomic.Int32
	var routes routeCounts
	var senders sync.WaitGroup
	cancelHammer(t, func(t *Task, i int, r *rand.Rand) {
		for j := range rounds {
			s := &shots[i][j]
			v := i*rounds + j
			record := func(got int, ok bool) {
				if ok {
					if got != v {
						wrong.Add(1)
					}
					s.received.Add(1)
				}
			}
			senders.Add(1)
			go func() {
				defer senders.Done()
				time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
				s.o.Send(v)
			}()
			for range 1 + r.IntN(2) {
				switch via := r.IntN(numVia); via {
				case viaDirect:
					record(s.o.Recv(t))
				case viaTimeout, viaRace:
					got, ok := awaitCancellable(t, via, shortDelay(r), Future[Received[int]](s.o.RecvFuture()), &routes)
					if ok {
						record(got.Value, got.OK)
					}
				case viaAbort:
					spawnAborted(t, r.IntN(2) == 0, &routes, func(t *Task, waited func()) {
						got, ok := s.o.Recv(t)
						waited()
						record(got, ok)
					})
				}
			}
		}
	})
	senders.Wait()
	if w := wrong.Load(); w != 0 {
		t.Fatalf("%d receives got another Oneshot's value", w)
	}
	left := 0
	for i := range shots {
		for j := range shots[i] {
			s := &shots[i][j]
			v, ok, _ := s.o.TryRecv()
			switch n := s.received.Load(); {
			case n > 1:
				t.Fatalf("Oneshot %d/%d: value received %d times", i, j, n)
			case n == 1 && ok:
				t.Fatalf("Oneshot %d/%d: value received and still there", i, j)
			case n == 0 && !ok:
				t.Fatalf("Oneshot %d/%d: value neither received nor there", i, j)
			case n == 0 && v != i*rounds+j:
				t.Fatalf("Oneshot %d/%d: got %d left; want %d", i, j, v, i*rounds+j)
			case n == 0:
				left++
			}
		}
	}
	t.Logf("%d values left unreceived in their Oneshot", left)
	routes.check(t, "receive")
}

// Plain goroutines TrySend values and, once all are sent, Close the Chan,
// while tasks receive to the end, under a Timeout, in a Race or in a task that
// is aborted. Every value is received exactly once (counting those left in the
// Chan, which a cancelled receiver may put back after the Close).
func TestHammerChanCancelWithGoroutineSenders(t *testing.T) {
	const senders, perSender = 4, 600
	c := NewChan[int](2)
	seen := make([]atomic.Int32, senders*perSender)
	var routes routeCounts
	var sent sync.WaitGroup
	for s := range senders {
		sent.Add(1)
		go func() {
			defer sent.Done()
			for j := range perSender {
				for !c.TrySend(s*perSender + j) {
					time.Sleep(20 * time.Microsecond)
				}
			}
		}()
	}
	go func() {
		sent.Wait()
		c.Close()
	}()
	cancelHammer(t, func(t *Task, i int, r *rand.Rand) {
		closed := false
		record := func(v int, ok bool) {
			if ok {
				seen[v].Add(1)
			} else {
				closed = true
			}
		}
		for !closed {
			switch via := r.IntN(numVia); via {
			case viaDirect:
				record(c.Recv(t))
			case viaTimeout, viaRace:
				if got, ok := awaitCancellable(t, via, shortDelay(r), Future[Received[int]](c.RecvFuture()), &routes); ok {
					record(got.Value, got.OK)
				}
			case viaAbort:
				var v int
				var ok, returned bool
				spawnAborted(t, r.IntN(2) == 0, &routes, func(t *Task, waited func()) {
					v, ok = c.Recv(t)
					waited()
					returned = true
				})
				if returned {
					record(v, ok)
				}
			}
		}
	})
	for {
		v, ok, _ := c.TryRecv()
		if !ok {
			break
		}
		seen[v].Add(1)
	}
	for v := range seen {
		if n := seen[v].Load(); n != 1 {
			t.Fatalf("value %d received %d times; want once", v, n)
		}
	}
	routes.check(t, "receive")
}

// Tasks lock a Mutex (to the end, under a Timeout, in a Race or in a task
// that is aborted) and hand it to a plain goroutine, which updates the state
// it guards and unlocks it. The holder count shows any overlap, the guarded
// counter any update lost between a goroutine's Unlock and the next Lock
// (the race detector also sees it), and the Mutex must be free at the end.
func TestHammerMutexUnlockFromGoroutines(t *testing.T) {
	var m Mutex
	var held, overlap atomic.Int32
	var locks atomic.Int64
	counter := 0 // guarded by m
	var routes routeCounts
	var unlockers sync.WaitGroup
	// handOff runs with m locked: a goroutine takes it over and unlocks it.
	handOff := func() {
		if !held.CompareAndSwap(0, 1) {
			overlap.Add(1)
		}
		locks.Add(1)
		unlockers.Add(1)
		go func() {
			defer unlockers.Done()
			if rand.IntN(4) == 0 {
				time.Sleep(50 * time.Microsecond)
			}
			counter++
			held.Store(0)
			m.Unlock()
		}()
	}
	n := iterations(t) / 3
	cancelHammer(t, func(t *Task, i int, r *rand.Rand) {
		for range n {
			switch via := r.IntN(numVia); via {
			case viaDirect:
				m.Lock(t)
				handOff()
			case viaTimeout, viaRace:
				if _, ok := awaitCancellable(t, via, shortDelay(r), m.LockFuture(), &routes); ok {
					handOff()
				}
			case viaAbort:
				spawnAborted(t, r.IntN(2) == 0, &routes, func(t *Task, waited func()) {
					m.Lock(t)
					waited()
					handOff()
				})
			}
		}
	})
	unlockers.Wait()
	if o := overlap.Load(); o != 0 {
		t.Fatalf("the Mutex had two holders at once %d times", o)
	}
	if l := locks.Load(); int64(counter) != l {
		t.Fatalf("got counter %d after %d locks; want equal", counter, l)
	}
	if !m.TryLock() {
		t.Fatal("Mutex left locked")
	}
	routes.check(t, "lock")
}
