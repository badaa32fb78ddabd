package runtime

import (
	"runtime/debug"
	"unsafe"
)

// Task is the handle of a running async body: Async passes it to the body,
// and every call that may suspend the body (Await, Join2, Spawn, the async
// locks and channels) takes it. A Task is only valid inside its own body:
// do not store it, hand it to a goroutine, or pass it to another body.
// Misuse that the runtime can see (awaiting with a Task whose body is not
// running, for instance from another body) panics.
type Task struct {
	cx        Cx          // the Cx of the poll that resumed the body
	co        *coro       // the coroutine running the body
	running   bool        // the body is executing (between resume and suspend)
	awaiting  bool        // the body is inside Await, polling a future
	cancelled bool        // cancellation was requested: the next Await unwinds
	spares    *waitSpares // allocated by the first Chan wait of the body
}

// Runtime returns the runtime running t.
func (t *Task) Runtime() *Runtime {
	t.check("Task.Runtime")
	return t.cx.rt
}

func (t *Task) check(what string) {
	if t == nil {
		panic("runtime: " + what + " called with a nil *Task")
	}
	if !t.running {
		panic("runtime: " + what + " called with a Task whose body is not running (use the *Task passed to the current async body)")
	}
}

// suspend switches back to the poller of t's body, and returns when the
// body is polled again, or when t's task was woken while the worker ran the
// task t woke (see worker.handOff). If the body was cancelled meanwhile, it
// drops f (the future being awaited, may be nil) and unwinds with the
// cancel signal.
func (t *Task) suspend(f any) {
	t.running = false
	if w := t.cx.w; w != nil && w.lifo != nil && w.handOff(t) {
		t.running = true
		return
	}
	if !t.co.suspend() {
		t.cancelled = true
	}
	t.running = true
	if t.cancelled {
		dropFuture(f, &t.cx)
		panic(errCancelled)
	}
}

// asyncState is where an Async future is in its life.
type asyncState uint8

const (
	asyncNew       asyncState = iota // not polled yet: the body has not started
	asyncSuspended                   // the body waits in Await
	asyncDone                        // the result was returned (or the body cancelled)
)

// asyncFuture is the future returned by Async.
type asyncFuture[T any] struct {
	body func(*Task) T
	asyncCore
	out T // the body's result, set by run
}

// asyncCore is the part of an Async future that does not depend on T, so
// that the code handling a body's end is not instantiated per T.
type asyncCore struct {
	task  Task
	state asyncState
	// Set by run, read by Poll after the coroutine switched back.
	finished bool        // the body returned
	panicked *PanicError // or the panic it raised
}

// Async returns a lazy future that runs body as a stackful coroutine. Nothing
// runs until the future is polled; each poll resumes the body until its next
// Await of a pending future, or its end. The future must be polled until it
// is ready, by one poller at a time, and never again afterwards (that panics).
//
// A panic in body propagates to the poller as a *PanicError. When the future
// is cancelled (see IsCancelled), the body unwinds at its current Await.
//
// A suspended body holds a coroutine (a parked goroutine). The runtime
// releases it when the future completes or is dropped by the runtime (abort,
// Race, Timeout, Close); a future polled by hand and then abandoned keeps
// its coroutine parked forever.
func Async[T any](body func(t *Task) T) Future[T] {
	if body == nil {
		panic("runtime: Async called with a nil body")
	}
	return &asyncFuture[T]{body: body}
}

// run executes the body on its coroutine, recording how it ended. Its frame
// is under every suspension of the body, so it is kept small: the deferred
// handler is a non-generic method rather than a closure.
func (a *asyncFuture[T]) run() {
	defer a.settle()
	a.out = a.body(&a.task)
	a.finished = true
}

// settle records how the body ended: returned, panicked, cancelled or
// stopped by runtime.Goexit. It is deferred by run, and so may recover.
func (a *asyncCore) settle() {
	a.task.running = false
	r := recover()
	switch {
	case r != nil && !IsCancelled(r):
		a.panicked = asPanicError(r)
	case r == nil && !a.finished && !a.task.cancelled:
		a.goexit()
	}
}

// goexit handles runtime.Goexit inside a body (t.FailNow in a test, for
// instance). iter.Pull would carry the Goexit over to the poller and kill
// the worker, so the coroutine instead reports a panic and switches back
// for good, frozen in the middle of its Goexit: one parked goroutine is
// leaked, but the worker survives and the failure is reported.
func (a *asyncCore) goexit() {
	a.panicked = &PanicError{Value: "runtime: runtime.Goexit (t.FailNow, t.Fatal?) called inside an async body", Stack: debug.Stack()}
	c := a.task.co
	c.job = nil
	c.dead = true
	c.yield(struct{}{})
	select {} // never resumed
}

// Poll resumes the body until it suspends or completes.
func (a *asyncFuture[T]) Poll(cx *Cx) Poll[T] {
	switch a.state {
	case asyncDone:
		panic("runtime: Async future polled after it completed")
	case asyncNew:
		a.state = asyncSuspended
		a.task.cx = *cx
		a.task.co = acquireCoro(cx)
		a.task.running = true
		prev := enterCoro(cx, a.task.co)
		a.task.co.start(a)
		leaveCoro(cx, prev)
	default:
		if a.task.running {
			panic("runtime: Async future polled from inside its own body")
		}
		a.task.cx = *cx
		a.task.running = true
		prev := enterCoro(cx, a.task.co)
		a.task.co.resume()
		leaveCoro(cx, prev)
	}
	cx.budget = a.task.cx.budget
	if a.task.co.job != nil {
		return Pending[T]()
	}
	return a.finish(cx)
}

// finish hands the coroutine back and turns the body's end into a result.
func (a *asyncFuture[T]) finish(cx *Cx) Poll[T] {
	a.retire(cx)
	if !a.finished || a.task.cancelled {
		// The body swallowed the cancel signal; it still counts as cancelled.
		panic(errCancelled)
	}
	v := a.out
	var zero T
	a.out = zero
	return Ready(v)
}

// drop cancels a suspended body: it resumes it with the cancel signal so that
// it unwinds at its Await and its defers run. A panic raised by those defers
// propagates to the caller as a *PanicError.
func (a *asyncFuture[T]) drop(cx *Cx) {
	if a.state != asyncSuspended {
		a.state = asyncDone
		a.body = nil
		return
	}
	a.task.cancelled = true
	a.task.cx = *cx
	a.task.running = true
	prev := enterCoro(cx, a.task.co)
	a.task.co.resume()
	leaveCoro(cx, prev)
	a.retire(cx)
}

// retire hands the ended body's coroutine back and forgets the body; a
// panic the body raised propagates from here.
func (a *asyncFuture[T]) retire(cx *Cx) {
	releaseCoro(cx, a.task.co)
	a.task.co = nil
	a.state = asyncDone
	a.body = nil
	if a.panicked != nil {
		panic(a.panicked)
	}
}

// Await polls f from inside t's body and returns its value, suspending the
// body (switching back to its poller) while f is pending; the body resumes
// only after f's waker fired. Awaiting a ready future does not allocate.
//
// Every Await spends one unit of the task's coop budget (128 per poll)
// before it polls f; when the budget is spent, Await first yields to the
// scheduler, so a loop over always-ready futures cannot starve the other
// tasks.
//
// If the body is cancelled while suspended, Await drops f and panics with
// the cancel signal (see IsCancelled). A cancellation never unwinds an
// Await after f returned Ready, so what f took on the body's behalf (a lock,
// permits, a received value) reaches the body. Await panics when t's body
// is not the one running.
func Await[T any](t *Task, f Future[T]) T {
	// coop's checks, written out so that they inline here. The budget is
	// charged first, as coop does for the primitives: a yield after f's
	// Ready could be where a cancellation unwinds, and would drop the value
	// that f, no longer pending, cannot give back.
	t.check("Await")
	if t.awaiting {
		panic("runtime: Await called with a Task that is already awaiting (an outer body's Task used inside a nested body or a Poll method)")
	}
	if t.cancelled {
		panic(errCancelled)
	}
	t.spend()
	if h, ok := f.(*JoinHandle[T]); ok {
		// The most common await, without the interface call to Poll
		// and its generic frames under the suspended body.
		// hdr is h's first field: the conversion is &h.hdr without its nil
		// check, so that a nil h is caught in pollJoin, out of this frame
		// (which stays under the suspended body: a check here grew it).
		(*taskHeader)(unsafe.Pointer(h)).awaitJoin(t)
		return h.take()
	}
	var v T
	for !pollAwaiting(t, f, &v) {
		t.suspend(f)
	}
	return v
}

// awaitUnit is Await for the primitives' own futures of no value (locks,
// permits, notifications), whose Poll runs no user code, once their
// method charged the coop budget: a loop with small, non-generic frames.
func (t *Task) awaitUnit(f Future[struct{}]) {
	for !f.Poll(&t.cx).ready {
		t.suspend(f)
	}
}

// spend charges t one unit of its coop budget for a ready await, yielding
// to the scheduler when the budget runs out. It is small enough to inline.
func (t *Task) spend() {
	if t.cx.budget > 0 {
		t.cx.budget--
		if t.cx.budget == 0 {
			t.yieldSpent()
		}
	}
}

// yieldSpent suspends t, woken already, because its budget is spent.
func (t *Task) yieldSpent() {
	t.cx.waker.Wake()
	t.suspend(nil)
}

// coop makes the fast path of a suspending method an await point like its
// slow path: it charges t one unit of its cooperative budget, yielding first
// when the budget is spent, and unwinds if t was cancelled. It runs before
// the operation, so that a yield or an unwind never strands a lock or a value
// that the operation took. Without it, a loop over an always-ready Chan or an
// uncontended Mutex would never let the other tasks of its worker run. It
// checks t as Await does: it is an await of a ready future. what names the
// method for misuse panics ("Mutex.Lock").
func coop(t *Task, what string) {
	t.check(what)
	if t.awaiting {
		panic("runtime: " + what + " called with a Task that is already awaiting (an outer body's Task used inside a nested body or a Poll method)")
	}
	if t.cancelled {
		panic(errCancelled)
	}
	t.spend()
}

// pollAwaiting polls f for Await, marking t as awaiting meanwhile so that a
// nested Await with the same Task is caught. It stores a ready value in *v
// and reports whether there was one. Await keeps one T in its frame, which
// stays under the body's suspensions; the Poll result, a second copy, lives
// only in this frame, gone by the time Await suspends.
func pollAwaiting[T any](t *Task, f Future[T], v *T) bool {
	if f == nil {
		panic("runtime: Await of a nil Future")
	}
	t.awaiting = true
	defer t.endAwait()
	p := f.Poll(&t.cx)
	if p.ready {
		*v = p.value
	}
	return p.ready
}

// endAwait is pollAwaiting's deferred reset: a method rather than a
// closure, for a smaller frame under every first poll.
func (t *Task) endAwait() { t.awaiting = false }

// dropper is implemented by futures that own something to release when they
// are abandoned before completion: a suspended async body, a timer, the
// children of a combinator. Go has no destructors, so the runtime calls drop
// on every future it abandons (aborted task, Race loser, expired Timeout,
// cancelled Await).
// drop receives the Cx of the code that abandons the future (for the worker
// whose pools and queues it may use).
type dropper interface {
	drop(cx *Cx)
}

// dropFuture releases f if it holds resources.
func dropFuture(f any, cx *Cx) {
	if d, ok := f.(dropper); ok {
		d.drop(cx)
	}
}
