package runtime

// Cx is the context a future's Poll receives: the waker of the task being
// polled, the runtime that polls it and the task's cooperative budget.
//
// A Cx is only valid during the Poll call that received it: keep the Waker,
// not the *Cx. The zero Cx is not usable; the runtime makes them.
type Cx struct {
	waker  Waker
	rt     *Runtime // nil when polled by hand (newTestCx)
	w      *worker  // the worker running this poll; nil outside a worker
	budget int32    // coop budget left in this poll; budgetUnlimited disables it
}

// budgetUnlimited marks a Cx without a coop budget (hand polling in tests).
const budgetUnlimited = -1

// Waker returns the waker of the task being polled. A future that returns
// Pending must arrange for this waker to be woken when it can make progress.
func (cx *Cx) Waker() Waker { return cx.waker }

// Runtime returns the runtime polling this future, or nil when the future is
// polled by hand outside a runtime.
func (cx *Cx) Runtime() *Runtime { return cx.rt }

// withWaker returns a copy of cx that carries w instead of its own waker:
// what combinators hand to each child so that a child wake is told apart.
func (cx *Cx) withWaker(w Waker) Cx {
	c := *cx
	c.waker = w
	return c
}

// coopTake spends one unit of the coop budget. It reports false when the
// budget is exhausted: the caller (a leaf future of the runtime) must then
// return Pending; coopTake has already woken the task so it runs again soon.
func (cx *Cx) coopTake() bool {
	switch {
	case cx.budget == budgetUnlimited:
		return true
	case cx.budget <= 0:
		cx.waker.Wake()
		return false
	}
	cx.budget--
	return true
}

// Waker wakes a pending task so that it is polled again. The zero Waker does
// nothing. A Waker is a small value: copy it freely. Wake is safe to call
// from any goroutine, any number of times; waking a task that is already
// scheduled, or that has completed, does nothing.
type Waker struct {
	target wakeable
}

// wakeable is what a Waker wakes: a task, a combinator child, or a test hook.
// Implementations must be pointers so that Wakers compare by identity.
type wakeable interface {
	wake()
}

// Wake schedules the task for another poll.
func (w Waker) Wake() {
	if w.target != nil {
		w.target.wake()
	}
}

// wakeFrom wakes w from code running in the poll that received cx. When it
// wakes a task that may run on cx's worker, that worker runs it next (its
// LIFO slot) instead of queueing it for any worker: a task that wakes
// another is usually about to wait for it (the two ends of a Chan). Outside
// a worker (cx nil, or polled by hand) it is Wake.
func (w Waker) wakeFrom(cx *Cx) {
	if cx != nil && cx.w != nil {
		if h, ok := w.target.(*taskHeader); ok && h.rt == cx.rt && (h.home == nil || h.home == cx.w) {
			wk := cx.w
			if h == wk.current && wk.nesting != 0 {
				// The task whose poll is running this one, from handOff: it
				// is running, and handOff looks at wokeCur as soon as this
				// poll returns, so the wake needs no atomic state change.
				wk.wokeCur = true
				return
			}
			if h.transitionWake() {
				wk.pushLIFO(h)
			}
			return
		}
	}
	w.Wake()
}

// WillWake reports whether w and other wake the same target. Futures use it
// to skip re-registering a waker that did not change between polls.
func (w Waker) WillWake(other Waker) bool { return w.target == other.target }

// funcWaker is a Waker target that calls a function: used for hand polling
// and by BlockOn, whose caller is a plain goroutine.
type funcWaker struct{ fn func() }

func (f *funcWaker) wake() { f.fn() }

// newTestCx returns a Cx whose waker calls wake (for tests and manual polling).
// It has no runtime and no coop budget.
func newTestCx(wake func()) *Cx {
	return &Cx{waker: Waker{target: &funcWaker{fn: wake}}, budget: budgetUnlimited}
}
