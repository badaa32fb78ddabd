package runtime

import (
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Task states. A spawned task is always in exactly one of these, stored in
// taskHeader.state (the cancel bit is orthogonal and may be set in any
// state but complete):
//
//   - idle: not queued, not running; waiting for its waker.
//   - scheduled: in exactly one run queue, waiting for a worker.
//   - running: a worker is polling it (from the worker loop, or from inside
//     the poll of another task of that worker: see worker.handOff).
//   - notified: running, and woken during that poll; the worker re-queues it
//     when the poll returns Pending, so the wake is not lost. A poll still in
//     progress may instead consume the wake and go on (transitionConsumeWake).
//   - complete: finished (value, panic or cancelled); never runs again.
//
// Each transition below is one function returning what the caller must do.
const (
	stIdle uint32 = iota
	stScheduled
	stRunning
	stNotified
	stComplete

	stateMask uint32 = 0x7
	cancelBit uint32 = 0x8
)

// taskHeader is the type-erased part of a spawned task, what run queues,
// wakers and the registry hold.
type taskHeader struct {
	state atomic.Uint32 // see the state list above
	id    uint64
	rt    *Runtime
	cell  taskCell // the typed part (the JoinHandle itself)
	home  *worker  // the worker a SpawnLocal task is pinned to; nil otherwise
	body  *Task    // when the future is an async body (Spawn(t, Async(...))), its Task; for handOff

	blocking bool // a SpawnBlocking job: not in the registry, never polled

	polls    atomic.Uint64        // polls so far, when tracking
	lastPoll atomic.Int64         // rt.nanos() at the last poll, when tracking
	co       atomic.Pointer[coro] // the async body's coroutine after a poll, when tracking (for stacks)
	spawnPC  uintptr              // the spawn call site, when tracking

	qnext *taskHeader // link in the injection queue or a pinned inbox (guarded by that queue's lock)

	regPrev, regNext *taskHeader // links in the registry shard (guarded by its lock)

	mu        sync.Mutex // protects the fields below
	joinWaker Waker      // the waker of whoever awaits the JoinHandle
	// moreJoiners are the wakers of further pollers of the handle (a
	// misuse: its value goes to one of them): all are woken at the end, so
	// that the others panic instead of waiting forever.
	moreJoiners []Waker
	detached    bool // the handle was detached (Detach): a panic goes to the policy
	observed    bool // the outcome was taken by a joiner
	pe          *PanicError
	held        *heldPanic // pe, until a joiner or the policy takes it
	aborted     bool       // completed through cancellation

	unwound bool // the future itself unwound with the cancel signal; set by the polling worker before complete
}

// taskCell is implemented by *JoinHandle[T]: it polls or drops the typed
// future and stores the result.
type taskCell interface {
	// poll polls the future once; it reports whether the task completed
	// (with a value or a panic, recorded in the cell).
	poll(cx *Cx) bool
	// dropFut abandons the future (cancellation), recording a panic raised
	// by the future's defers.
	dropFut(cx *Cx)
	// finishBody completes the task whose async body (see taskHeader.body)
	// ended while resumed directly: it records the result or the panic, as
	// poll does.
	finishBody(cx *Cx)
}

// wake implements wakeable: a task's Waker is its header.
func (h *taskHeader) wake() {
	if h.transitionWake() {
		h.rt.schedule(h)
	}
}

// transitionWake: idle -> scheduled (the caller must queue the task);
// running -> notified; any other state is left alone.
func (h *taskHeader) transitionWake() (mustQueue bool) {
	for {
		s := h.state.Load()
		var next uint32
		switch s & stateMask {
		case stIdle:
			next = withState(s, stScheduled)
		case stRunning:
			next = withState(s, stNotified)
		default:
			return false
		}
		if h.state.CompareAndSwap(s, next) {
			return s&stateMask == stIdle
		}
	}
}

// transitionAbort sets the cancel bit; like a wake it reports whether the
// caller must queue the task (it was idle), so that a worker performs the
// cancellation.
func (h *taskHeader) transitionAbort() (mustQueue bool) {
	for {
		s := h.state.Load()
		if s&stateMask == stComplete || s&cancelBit != 0 {
			return false
		}
		next := s | cancelBit
		switch s & stateMask {
		case stIdle:
			next = withState(next, stScheduled)
		case stRunning:
			next = withState(next, stNotified)
		}
		if h.state.CompareAndSwap(s, next) {
			return s&stateMask == stIdle
		}
	}
}

// transitionToRunning: scheduled -> running. It reports whether the task
// must be cancelled instead of polled.
func (h *taskHeader) transitionToRunning() (cancel bool) {
	for {
		s := h.state.Load()
		if h.state.CompareAndSwap(s, withState(s, stRunning)) {
			return s&cancelBit != 0
		}
	}
}

// transitionToIdle is called when a poll returned Pending: running -> idle,
// or notified -> scheduled, in which case the caller must re-queue it.
func (h *taskHeader) transitionToIdle() (mustQueue bool) {
	for {
		s := h.state.Load()
		next := withState(s, stIdle)
		if s&stateMask == stNotified {
			next = withState(s, stScheduled)
		}
		if h.state.CompareAndSwap(s, next) {
			return s&stateMask == stNotified
		}
	}
}

// transitionConsumeWake: notified -> running, for a poll that is still in
// progress and will look at its futures again before it returns (see
// worker.handOff). It reports false, changing nothing, when the task was not
// woken, or was aborted: the cancellation is for the worker to carry out.
func (h *taskHeader) transitionConsumeWake() (consumed bool) {
	return h.state.CompareAndSwap(stNotified, stRunning)
}

// transitionToComplete: running -> complete, for good.
func (h *taskHeader) transitionToComplete() {
	for {
		s := h.state.Load()
		if h.state.CompareAndSwap(s, withState(s, stComplete)) {
			return
		}
	}
}

// withState returns s with its state replaced by st (flags kept).
func withState(s, st uint32) uint32 { return s&^stateMask | st }

func (h *taskHeader) isComplete() bool { return h.state.Load()&stateMask == stComplete }

// JoinHandle is the handle of a spawned task, and a Future of its result.
//
// Awaiting it returns the task's value. If the task panicked, awaiting it
// panics with a *PanicError carrying the original value and stack. If the
// task was aborted before completing, awaiting it panics with ErrAborted;
// except while the runtime closes, when a joiner inside a task is cancelled
// quietly instead, like every other task.
//
// A handle has one awaiter at a time, and its result goes to one awaiter:
// when two tasks await it at once (or one Join awaits it twice), both are
// woken at the end, and the one that comes second panics. A handle that
// lost a Race, or whose Timeout expired, can be awaited again. Dropping it
// (never awaiting it) detaches the task, which keeps running; see
// WithPanicHandler for where a detached task's panic goes. A JoinHandle
// must not be copied.
type JoinHandle[T any] struct {
	hdr taskHeader // first: Await converts a *JoinHandle to its *taskHeader
	fut Future[T]  // nil once the task completed
	out T          // the result, until taken by the joiner
}

func (h *JoinHandle[T]) poll(cx *Cx) (done bool) {
	defer h.recoverPoll(&done)
	p := h.fut.Poll(cx)
	if !p.ready {
		return false
	}
	h.out = p.value
	h.fut = nil
	return true
}

// recoverPoll records a panic of the future as the task's outcome.
func (h *JoinHandle[T]) recoverPoll(done *bool) {
	if r := recover(); r != nil {
		h.hdr.pe = panicOf(r)
		h.hdr.unwound = IsCancelled(r)
		h.fut = nil
		*done = true
	}
}

func (h *JoinHandle[T]) finishBody(cx *Cx) {
	var done bool
	defer h.recoverPoll(&done)
	h.out = h.fut.(*asyncFuture[T]).finish(cx).value
	h.fut = nil
}

func (h *JoinHandle[T]) dropFut(cx *Cx) {
	f := h.fut
	h.fut = nil
	defer func() {
		if r := recover(); r != nil {
			h.hdr.pe = panicOf(r)
		}
	}()
	dropFuture(f, cx)
}

// panicOf turns a recovered value into a task panic; the cancel signal
// escaping a future is not a panic of its own but a cancellation.
func panicOf(r any) *PanicError {
	if IsCancelled(r) {
		return nil
	}
	if pe, ok := r.(*PanicError); ok {
		return pe
	}
	return &PanicError{Value: r, Stack: debug.Stack()}
}

// Poll implements Future: it is ready when the task completed.
func (h *JoinHandle[T]) Poll(cx *Cx) Poll[T] {
	if !h.hdr.pollJoin(cx) {
		return Pending[T]()
	}
	return Ready(h.take())
}

// awaitJoin suspends t until the task completed, for Await of its handle.
// It is not generic, so that no copy of the task's value sits in its frame
// under the suspended body; the value is then taken with take.
func (hd *taskHeader) awaitJoin(t *Task) {
	for !hd.pollJoin(&t.cx) {
		t.suspend(hd.cell)
	}
}

// take returns the value of the completed task, once (see pollJoin).
func (h *JoinHandle[T]) take() T {
	v := h.out
	h.out = *new(T)
	return v
}

// pollJoin is the part of JoinHandle.Poll that does not depend on T, kept
// out of the generic frame: it reports whether the task completed with a
// value (in the handle's out), and panics as Poll does on a task that
// panicked or was aborted.
func (hd *taskHeader) pollJoin(cx *Cx) bool {
	if hd == nil {
		panic("runtime: Await of a nil *JoinHandle") // see Await
	}
	if !cx.coopTake() {
		return false
	}
	hd.mu.Lock()
	if !hd.isComplete() {
		if hd.joinWaker.target == nil && cx.waker.target != wakeable(hd) {
			hd.joinWaker = cx.waker
		} else {
			hd.addJoinerLocked(cx)
		}
		hd.mu.Unlock()
		return false
	}
	if hd.observed {
		hd.pollAfterResultLocked()
	}
	hd.observed = true
	hd.joinWaker = Waker{}
	pe, aborted, held := hd.pe, hd.aborted, hd.held
	hd.mu.Unlock()
	if pe != nil {
		if held != nil {
			held.take()
		}
		panic(pe)
	}
	if aborted {
		if cx.w != nil && hd.rt.closing.Load() {
			// Close is cancelling every task, this joiner included: it
			// unwinds as cancelled rather than panicking (which, detached,
			// would reach the panic policy and could crash a healthy program).
			panic(errCancelled)
		}
		panic(ErrAborted)
	}
	return true
}

// drop forgets the awaiter of the handle, which went away (a Race it lost,
// a Timeout that expired, an awaiting body that was cancelled). It does not
// detach the task: the handle may still be awaited later, and a panic of
// the task then reaches that joiner. A handle nobody awaits any more
// becomes garbage, and its task's panic goes to the policy then.
func (h *JoinHandle[T]) drop(cx *Cx) {
	hd := &h.hdr
	hd.mu.Lock()
	hd.removeJoinerLocked(cx.waker)
	hd.mu.Unlock()
}

// addJoinerLocked registers w to be woken when the task completes. A
// handle has one awaiter; a second one (another task, or the same handle
// twice in one Join) is kept too, rather than taking the first one's
// place: the first would otherwise wait forever, silently. A task awaiting
// its own handle panics (hd.mu is released first). It is kept out of
// line, so that pollJoin's frame, on the stack of every body awaiting a
// handle, stays small.
//
//go:noinline
func (hd *taskHeader) addJoinerLocked(cx *Cx) {
	w := cx.waker // a pointer argument: its spill slot in pollJoin's frame is one word
	if w.target == wakeable(hd) {
		hd.mu.Unlock()
		panic("runtime: a task awaited its own JoinHandle (it would wait for itself forever)")
	}
	if hd.joinWaker.target == nil || hd.joinWaker.WillWake(w) {
		hd.joinWaker = w
		return
	}
	for i := range hd.moreJoiners {
		if hd.moreJoiners[i].WillWake(w) {
			hd.moreJoiners[i] = w
			return
		}
	}
	hd.moreJoiners = append(hd.moreJoiners, w)
}

// pollAfterResultLocked panics for a poll of a handle whose outcome a joiner
// (or the panic policy) already took; hd.mu is released first. It is kept
// out of line for pollJoin's frame (see addJoinerLocked).
//
//go:noinline
func (hd *taskHeader) pollAfterResultLocked() {
	detached := hd.detached && hd.pe != nil
	hd.mu.Unlock()
	if detached {
		panic("runtime: JoinHandle awaited after Detach: its task's panic went to the panic policy")
	}
	panic("runtime: JoinHandle polled after it returned its result (a handle's result goes to one awaiter; was it awaited by two tasks, or twice in one Join?)")
}

// removeJoinerLocked forgets the awaiter whose waker is w, which went away.
//
//go:noinline
func (hd *taskHeader) removeJoinerLocked(w Waker) {
	if hd.joinWaker.WillWake(w) {
		hd.joinWaker = Waker{}
		if n := len(hd.moreJoiners); n > 0 {
			hd.joinWaker = hd.moreJoiners[n-1]
			hd.moreJoiners = hd.moreJoiners[:n-1]
		}
		return
	}
	for i := range hd.moreJoiners {
		if hd.moreJoiners[i].WillWake(w) {
			hd.moreJoiners = append(hd.moreJoiners[:i], hd.moreJoiners[i+1:]...)
			return
		}
	}
}

// Detach gives up the handle: the task keeps running, nobody will await it,
// and a panic in it goes straight to the runtime's panic policy (see
// WithPanicHandler) instead of waiting for a joiner.
func (h *JoinHandle[T]) Detach() { h.hdr.detach() }

func (hd *taskHeader) detach() {
	hd.mu.Lock()
	hd.detached = true
	hd.joinWaker, hd.moreJoiners = Waker{}, nil
	held := hd.held
	hd.mu.Unlock()
	if held != nil && held.take() {
		hd.rt.reportPanic(held.pe)
	}
}

// Abort cancels the task. If it has not completed yet, it will not be polled
// again: a suspended async body unwinds at its current Await (its defers
// run), and awaiting the handle panics with ErrAborted. Abort of a finished
// task does nothing. Abort is safe from any goroutine; it does not wait.
func (h *JoinHandle[T]) Abort() {
	if h.hdr.transitionAbort() {
		h.hdr.rt.schedule(&h.hdr)
	}
}

// IsFinished reports whether the task has completed (with a value, a panic
// or by being aborted).
func (h *JoinHandle[T]) IsFinished() bool { return h.hdr.isComplete() }

// ID returns the task's id, unique within the process.
func (h *JoinHandle[T]) ID() uint64 { return h.hdr.id }

// complete records the end of the task and wakes its joiner. A panic nobody
// can observe goes to the panic policy.
func (hd *taskHeader) complete(aborted bool) {
	if report := hd.finish(aborted); report != nil {
		hd.rt.reportPanic(report)
	}
}

// finish is complete without applying the panic policy: it returns the
// panic to report, if any, for the caller to hand to rt.reportPanic once it
// may run user code (see worker.completeTask).
func (hd *taskHeader) finish(aborted bool) (report *PanicError) {
	if hd.pe != nil && hd.pe.TaskID == 0 {
		hd.pe.TaskID = hd.id // the first task the panic went through: where it happened
	}
	hd.mu.Lock()
	hd.aborted = (aborted || hd.unwound) && hd.pe == nil
	hd.transitionToComplete()
	w, more := hd.joinWaker, hd.moreJoiners
	hd.joinWaker, hd.moreJoiners = Waker{}, nil
	var held *heldPanic
	switch {
	case hd.pe != nil && hd.detached:
		report, hd.observed = hd.pe, true
	case hd.pe != nil:
		held = &heldPanic{pe: hd.pe}
		hd.held = held
	}
	hd.mu.Unlock()
	if !hd.blocking {
		hd.rt.unregister(hd)
	}
	if held != nil {
		hd.rt.holdPanic(hd, held)
	}
	w.Wake()
	for _, w := range more {
		w.Wake()
	}
	return report
}

// heldPanic is the panic of a task whose handle may still be awaited. It
// is reported by the policy unless a joiner takes it first: when the handle
// is detached, becomes garbage (a cleanup on the handle), or the runtime
// closes. It does not point back to the handle, so that the handle can
// become garbage while the panic waits.
type heldPanic struct {
	pe    *PanicError
	taken atomic.Bool
}

// take reports whether the caller is the first to take the panic.
func (p *heldPanic) take() bool { return p.taken.CompareAndSwap(false, true) }

var taskIDs atomic.Uint64

func newHandle[T any](rt *Runtime, f Future[T], home *worker) *JoinHandle[T] {
	if f == nil {
		panic("runtime: spawning a nil Future")
	}
	h := &JoinHandle[T]{fut: f}
	if a, ok := f.(*asyncFuture[T]); ok {
		h.hdr.body = &a.task
	}
	h.hdr.id = taskIDs.Add(1)
	h.hdr.rt = rt
	h.hdr.cell = h
	h.hdr.home = home
	h.hdr.state.Store(stScheduled)
	return h
}

// Spawn starts f as a new task that may run on any worker of t's runtime and
// returns its handle. The task starts even if the handle is never awaited.
// Spawn does not suspend t. Values captured by f must be safe to use from
// another worker (see NoSend and SpawnLocal).
func Spawn[T any](t *Task, f Future[T]) *JoinHandle[T] {
	t.check("Spawn")
	rt := t.cx.rt
	if rt == nil {
		panic("runtime: Spawn called outside a runtime")
	}
	h := newHandle(rt, f, nil)
	rt.captureSite(&h.hdr, 2)
	rt.start(&h.hdr, t.cx.w)
	return h
}

// SpawnOn starts f as a new task on rt, from outside any task (for instance
// from main before BlockOn), and returns its handle. It panics if rt is
// closed.
func SpawnOn[T any](rt *Runtime, f Future[T]) *JoinHandle[T] {
	if rt == nil {
		panic("runtime: SpawnOn with a nil *Runtime (create one with New)")
	}
	h := newHandle(rt, f, nil)
	rt.captureSite(&h.hdr, 2)
	rt.start(&h.hdr, nil)
	return h
}

// SpawnLocal starts f as a new task pinned to the worker running t: it is
// never stolen by another worker, and its wakes always bring it back to
// that worker. Use it for futures holding values bound to one worker (see
// NoSend).
func SpawnLocal[T any](t *Task, f Future[T]) *JoinHandle[T] {
	t.check("SpawnLocal")
	rt, w := t.cx.rt, t.cx.w
	if rt == nil || w == nil {
		panic("runtime: SpawnLocal called outside a runtime worker")
	}
	h := newHandle(rt, f, w)
	rt.captureSite(&h.hdr, 2)
	rt.start(&h.hdr, w)
	return h
}
