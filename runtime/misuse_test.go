package runtime

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// TestPrimitiveMisuseNamesMethod checks that a suspending method called
// with a nil Task, or with the Task of a body that is not running, panics
// with a message that names the method the user called.
func TestPrimitiveMisuseNamesMethod(t *testing.T) {
	var (
		mu  Mutex
		rw  RWMutex
		sem = NewSemaphore(1)
		n   Notify
		wg  WaitGroup
		one Oneshot[int]
		ch  = NewChan[int](1)
	)
	calls := []struct {
		name string
		call func(*Task)
	}{
		{"Mutex.Lock", func(t *Task) { mu.Lock(t) }},
		{"RWMutex.Lock", func(t *Task) { rw.Lock(t) }},
		{"RWMutex.RLock", func(t *Task) { rw.RLock(t) }},
		{"Semaphore.Acquire", func(t *Task) { sem.Acquire(t, 1) }},
		{"Notify.Wait", func(t *Task) { n.Wait(t) }},
		{"WaitGroup.Wait", func(t *Task) { wg.Wait(t) }},
		{"Oneshot.Recv", func(t *Task) { one.Recv(t) }},
		{"Chan.Send", func(t *Task) { ch.Send(t, 1) }},
		{"Chan.Recv", func(t *Task) { ch.Recv(t) }},
		{"Await", func(t *Task) { Await(t, Sleep(0)) }},
	}
	// A Task whose body has returned: its body is no longer running.
	var stale *Task
	Run(Async(func(t *Task) int { stale = t; return 0 }), WithWorkers(1))
	for _, c := range calls {
		mustPanic(t, "runtime: "+c.name+" called with a nil *Task", func() { c.call(nil) })
		mustPanic(t, "runtime: "+c.name+" called with a Task whose body is not running (use the *Task passed to the current async body)", func() { c.call(stale) })
	}
	mustPanic(t, "runtime: NewChan with a negative capacity", func() { NewChan[int](-1) })
	mustPanic(t, "runtime: Semaphore.Release with a negative count", func() { sem.Release(-1) })
	// Inside a body, the panic reaches Run's caller as a *PanicError.
	panicsWith(t, "runtime: Semaphore.Acquire with a negative count", func() {
		Run(Async(func(t *Task) int { sem.Acquire(t, -1); return 0 }), WithWorkers(1))
	})
}

// Nil futures and a nil runtime give a panic that says what was nil, at the
// call that took them, rather than a nil dereference or a combinator that
// waits forever for a future it cannot poll. JoinAll of no futures is ready
// at once with no values.
func TestNilFuturesAreLoud(t *testing.T) {
	var nf Future[int]
	var nh *JoinHandle[int]
	ok := Sleep(0)
	mustPanic(t, "runtime: Race: future 0 of 1 is nil", func() { Race(nf) })
	mustPanic(t, "runtime: Race: future 1 of 2 is nil", func() { Race(Future[int](PollFunc[int](func(*Cx) Poll[int] { return Ready(1) })), nf) })
	mustPanic(t, "runtime: JoinAll: future 1 of 2 is nil", func() { JoinAll(ok, nil) })
	mustPanic(t, "runtime: Timeout of a nil Future", func() { Timeout(time.Second, nf) })
	mustPanic(t, "runtime: BlockOn with a nil *Runtime (create one with New)", func() { BlockOn(nil, ok) })
	mustPanic(t, "runtime: SpawnOn with a nil *Runtime (create one with New)", func() { SpawnOn(nil, ok) })
	inTask := []struct {
		want string
		call func(t *Task)
	}{
		{"runtime: Await of a nil Future", func(t *Task) { Await(t, nf) }},
		{"runtime: Await of a nil *JoinHandle", func(t *Task) { Await(t, nh) }},
		{"runtime: Join2 of a nil Future", func(t *Task) { Join2(t, ok, nf) }},
		{"runtime: Join3 of a nil Future", func(t *Task) { Join3(t, nf, ok, ok) }},
		{"runtime: AwaitBlocking with a nil function", func(t *Task) { AwaitBlocking[int](t, nil) }},
	}
	for _, c := range inTask {
		panicsWith(t, c.want, func() {
			Run(Async(func(t *Task) int { c.call(t); return 0 }), WithWorkers(1))
		})
	}
	if got := Run(Async(func(t *Task) int { return len(Await(t, JoinAll[int]())) + 1 }), WithWorkers(1)); got != 1 {
		t.Fatalf("JoinAll of no futures: got %d values; want 0", got-1)
	}
}

// BlockOn whose runtime is closed by another goroutine panics saying so,
// not that an awaited task was aborted (the caller aborted nothing).
func TestBlockOnRuntimeClosedMeanwhile(t *testing.T) {
	rt := New(WithWorkers(1))
	started := make(chan struct{})
	go func() {
		<-started
		rt.Close()
	}()
	panicsWith(t, "runtime: BlockOn: the runtime was closed (Close called from another goroutine) before the future completed", func() {
		BlockOn(rt, Async(func(t *Task) int {
			close(started)
			Await(t, Sleep(time.Hour))
			return 0
		}))
	})
}

// Close called from a SpawnBlocking job panics (it would wait for that very
// job), and a panic handler that calls Close while Close applies the panic
// policy returns at once: neither hangs.
func TestCloseFromBlockingJobOrPanicHandler(t *testing.T) {
	within := func(name string, f func()) {
		t.Helper()
		done := make(chan struct{})
		go func() { defer close(done); f() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: hangs", name)
		}
	}
	within("Close in a blocking job", func() {
		rt := New(WithWorkers(1))
		defer rt.Close()
		panicsWith(t, "runtime: Close called from a SpawnBlocking job (Close waits for the running jobs, this one included)", func() {
			BlockOn(rt, Async(func(t *Task) int {
				return Await(t, SpawnBlocking(t, func() int { rt.Close(); return 0 }))
			}))
		})
	})
	within("Close in the panic handler run by Close", func() {
		var rt *Runtime
		var handled atomic.Int32
		rt = New(WithWorkers(1), WithPanicHandler(func(*PanicError) {
			handled.Add(1)
			rt.Close()
		}))
		BlockOn(rt, Async(func(t *Task) int {
			h := Spawn(t, Async(func(t *Task) int { panic("boom") }))
			Await(t, Sleep(10*time.Millisecond))
			_ = h.IsFinished() // kept, not awaited: Close reports the panic
			return 0
		}))
		rt.Close()
		if handled.Load() != 1 {
			t.Errorf("the handler ran %d times; want 1", handled.Load())
		}
	})
}

// Sleep and YieldNow futures, like the others, panic when polled again
// after they returned Ready.
func TestSleepAndYieldNowPolledAfterCompletion(tt *testing.T) {
	Run(Async(func(t *Task) int {
		s, y := Sleep(time.Millisecond), YieldNow()
		Await(t, s)
		Await(t, y)
		for name, f := range map[string]Future[struct{}]{"Sleep": s, "YieldNow": y} {
			func() {
				defer func() {
					if r := recover(); fmt.Sprint(r) != "runtime: "+name+" future polled after it completed" {
						tt.Errorf("%s polled again: got panic %v", name, r)
					}
				}()
				Await(t, f)
			}()
		}
		return 0
	}), WithWorkers(1), WithVirtualTime())
}

// Awaiting a handle after Detach, when its task panicked, says where the
// panic went rather than that the result was already taken.
func TestAwaitAfterDetachOfPanickedTask(t *testing.T) {
	var policy atomic.Int32
	panicsWith(t, "runtime: JoinHandle awaited after Detach: its task's panic went to the panic policy", func() {
		Run(Async(func(t *Task) int {
			h := Spawn(t, Async(func(t *Task) int { Await(t, YieldNow()); panic("boom") }))
			h.Detach()
			return Await(t, h)
		}), WithWorkers(1), WithPanicHandler(func(*PanicError) { policy.Add(1) }))
	})
	if policy.Load() != 1 {
		t.Fatalf("the policy saw %d panics; want 1", policy.Load())
	}
}
