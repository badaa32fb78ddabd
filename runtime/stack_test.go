package runtime

import (
	goruntime "runtime"
	"sync/atomic"
	"testing"
	"time"
)

// stackPad is how many bytes of its own locals a body's function keeps live
// across a suspension in TestSuspendedBodyStack. Every suspending operation
// must leave that much room in the smallest goroutine stack (2 KB, of which
// the last 928 bytes are the guard that makes a call grow the stack), above
// the coroutine's frames and below the runtime's own. Raising the runtime's
// frames on one of these paths past the margin fails the test.
//
// With Go 1.26 every path fits 288 bytes (Semaphore.Acquire, the deepest,
// fails at 320), so 256 leaves 32 bytes for another compiler's frames. If a
// new Go release fails this test, compare the room each path leaves (raise
// stackPad until it fails) with these figures before lowering it.
const stackPad = 256

// padded runs wait with stackPad bytes of live locals in its frame, as a
// body's own function would hold them across an await.
//
//go:noinline
func padded(t *Task, wait func(t *Task)) byte {
	var pad [stackPad]byte
	pad[len(pad)-1] = 1
	wait(t)
	return pad[0] + pad[len(pad)-1]
}

// sleepPad is stackPad for a Sleep's first poll, which leaves more room:
// with Go 1.26 it fits 376 bytes and fails at 384. It is also the deepest
// point of the chat bot's tasks (examples/chatbot), whose own frames need
// nearly all of that room, so it is held to a tighter margin: one more
// frame on that path (the clock read's caller not inlined, say: 24 bytes)
// fails the test.
const sleepPad = 368

//go:noinline
func paddedSleep(t *Task, wait func(t *Task)) byte {
	var pad [sleepPad]byte
	pad[len(pad)-1] = 1
	wait(t)
	return pad[0] + pad[len(pad)-1]
}

// TestSuspendedBodyStack checks that a body suspended in each of the
// runtime's suspending operations still runs on the smallest goroutine
// stack. A stack that overflows is copied to one of twice the size: 4 KB of
// fresh memory per task, and CPU time copying and faulting pages in, which
// is most of the cost of starting 10,000 tasks at once.
func TestSuspendedBodyStack(t *testing.T) {
	if raceDetectorOn {
		t.Skip("the race detector adds frames of its own")
	}
	// A value of several words, as (value, error) pairs are: generic
	// frames that hold copies of it are what stack room goes to.
	type big = struct {
		v   string
		err error
	}
	ops := []struct {
		name string
		wait func(*Task)
		set  func() (wait func(*Task), release func())
		pad  func(*Task, func(*Task)) byte // padded unless set
	}{
		{name: "Sleep", wait: func(t *Task) { Await(t, Sleep(time.Hour)) }, pad: paddedSleep},
		{name: "Oneshot.Recv", set: func() (func(*Task), func()) {
			o := NewOneshot[big]()
			return func(t *Task) { o.Recv(t) }, o.Close
		}},
		{name: "Chan.Recv", set: func() (func(*Task), func()) {
			c := NewChan[big](0)
			return func(t *Task) { c.Recv(t) }, c.Close
		}},
		{name: "Chan.Send", set: func() (func(*Task), func()) {
			c := NewChan[big](0)
			return func(t *Task) { c.Send(t, big{}) }, nil
		}},
		{name: "Mutex.Lock", set: func() (func(*Task), func()) {
			var m Mutex
			m.TryLock()
			return func(t *Task) { m.Lock(t); m.Unlock() }, m.Unlock
		}},
		{name: "Semaphore.Acquire", set: func() (func(*Task), func()) {
			s := NewSemaphore(1)
			s.TryAcquire(1)
			return func(t *Task) { s.Acquire(t, 1); s.Release(1) }, func() { s.Release(1) }
		}},
		{name: "Notify.Wait", set: func() (func(*Task), func()) {
			var n Notify
			return func(t *Task) { n.Wait(t) }, n.NotifyAll
		}},
		{name: "WaitGroup.Wait", set: func() (func(*Task), func()) {
			var wg WaitGroup
			wg.Add(1)
			return func(t *Task) { wg.Wait(t) }, wg.Done
		}},
		{name: "JoinHandle", set: func() (func(*Task), func()) {
			o := NewOneshot[big]()
			return func(t *Task) { Await(t, Spawn(t, o.RecvFuture())) }, o.Close
		}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			wait, release := op.wait, func() {}
			if op.set != nil {
				wait, release = op.set()
			}
			pad := op.pad
			if pad == nil {
				pad = padded
			}
			perBody := suspendedStack(t, pad, wait, release)
			t.Logf("%.0f bytes of goroutine stack per suspended body", perBody)
			if perBody > 3<<10 {
				t.Errorf("%.0f bytes of goroutine stack per suspended body; want the 2 KB stack it started on", perBody)
			}
		})
	}
}

// suspendedStack starts bodies that each wait in wait under pad, and
// returns the goroutine stack memory in use per body once all of them are
// suspended. release (if not nil) lets them finish; the rest are aborted.
func suspendedStack(tb *testing.T, pad func(*Task, func(*Task)) byte, wait func(*Task), release func()) float64 {
	const n = 2000
	var before, during goruntime.MemStats
	goruntime.GC()
	goruntime.ReadMemStats(&before)
	// Real time: a Sleep's first poll reads the wall clock (the deepest call
	// on that path), where virtual time reads a counter.
	rt := New(WithWorkers(1))
	defer rt.Close()
	var started atomic.Int64
	BlockOn(rt, Async(func(t *Task) struct{} {
		hs := make([]*JoinHandle[byte], n)
		for i := range hs {
			hs[i] = Spawn(t, Async(func(t *Task) byte {
				started.Add(1)
				return pad(t, wait)
			}))
		}
		// One worker runs the queued bodies before this task again: once
		// every body has started, one more yield lets the last one suspend.
		for started.Load() < n {
			Await(t, YieldNow())
		}
		Await(t, YieldNow())
		goruntime.ReadMemStats(&during)
		if release != nil {
			release()
		}
		for _, h := range hs {
			h.Abort()
		}
		return struct{}{}
	}))
	if got := started.Load(); got < n {
		tb.Fatalf("only %d of %d bodies started", got, n)
	}
	return float64(during.StackInuse-before.StackInuse) / n
}
