package runtime

import "sync"

// Notify wakes tasks waiting for an event, like tokio's Notify. It carries no
// data: pair it with state guarded elsewhere, and re-check that state after
// each wake-up.
//
// NotifyOne wakes the longest-waiting task, or, when nobody waits, stores a
// single permit that the next Wait consumes at once, so a notification sent
// just before a task starts waiting is not lost. NotifyAll wakes every task
// waiting at that moment and stores no permit.
//
// The zero value is ready to use. A Notify must not be copied after first use.
type Notify struct {
	mu      sync.Mutex
	permit  bool           // a NotifyOne found nobody waiting; guarded by mu
	gen     uint64         // number of NotifyAll calls; guarded by mu
	waiters list[struct{}] // in arrival order; guarded by mu
}

// Kinds of notification, stored in a granted node's n.
const (
	notifiedOne = 1
	notifiedAll = 2
)

// Wait suspends t until it is notified.
//
// Cancel safety: if t is cancelled after NotifyOne chose it but before it
// observed that, the notification passes to the next waiter (or becomes the
// stored permit), so no NotifyOne is lost. A cancelled waiter's share of a
// NotifyAll is simply dropped.
func (n *Notify) Wait(t *Task) {
	coop(t, "Notify.Wait")
	f := n.WaitFuture()
	defer f.abandon()
	t.awaitUnit(f)
	f.kept = true
}

// WaitFuture returns a future that completes when the Notify is notified: the
// poll-level form of Wait. A NotifyAll that happens after WaitFuture returns,
// even before the first poll, completes it; this lets a task create the
// future, check its condition, then await without missing a NotifyAll in
// between. Code that drops a pending WaitFuture itself (rather than through
// Race, Timeout or Abort, which cancel it) calls Cancel, so that a NotifyOne
// it received passes on.
func (n *Notify) WaitFuture() *NotifyFuture {
	n.mu.Lock()
	gen := n.gen
	n.mu.Unlock()
	return &NotifyFuture{n: n, gen: gen}
}

// NotifyOne wakes the first waiting task, or stores a permit for the next Wait
// if none is waiting. Several NotifyOne calls with nobody waiting store one
// permit, not several.
func (n *Notify) NotifyOne() {
	n.mu.Lock()
	w := n.notifyOneLocked()
	n.mu.Unlock()
	w.Wake()
}

func (n *Notify) notifyOneLocked() Waker {
	w := n.waiters.popFront()
	if w == nil {
		n.permit = true
		return Waker{}
	}
	w.state = nodeGranted
	w.n = notifiedOne
	return w.waker
}

// NotifyAll wakes every task waiting now. It stores no permit: a Wait that
// starts afterwards waits for the next notification.
func (n *Notify) NotifyAll() {
	var wl wakeList
	n.mu.Lock()
	n.gen++
	for w := n.waiters.popFront(); w != nil; w = n.waiters.popFront() {
		w.state = nodeGranted
		w.n = notifiedAll
		wl.add(w.waker)
	}
	n.mu.Unlock()
	wl.wake()
}

// NotifyFuture is a pending Notify.Wait. It is a Future[struct{}].
type NotifyFuture struct {
	n    *Notify
	gen  uint64         // n.gen when the future was created
	w    node[struct{}] // guarded by n.mu
	kept bool           // the suspending caller saw the notification
}

// Poll implements Future.
func (f *NotifyFuture) Poll(cx *Cx) Poll[struct{}] {
	n := f.n
	n.mu.Lock()
	switch f.w.state {
	case nodeIdle:
		if n.permit {
			n.permit = false
			f.w.n = notifiedOne
			f.w.state = nodeDone
			break
		}
		if n.gen != f.gen {
			f.w.n = notifiedAll
			f.w.state = nodeDone
			break
		}
		f.w.waker = cx.Waker()
		f.w.state = nodeQueued
		n.waiters.pushBack(&f.w)
		n.mu.Unlock()
		return Pending[struct{}]()
	case nodeQueued:
		f.w.waker = cx.Waker()
		n.mu.Unlock()
		return Pending[struct{}]()
	case nodeGranted:
		f.w.state = nodeDone
	default:
		n.mu.Unlock()
		panic("runtime: Notify future polled after it completed or was cancelled")
	}
	n.mu.Unlock()
	return Ready(struct{}{})
}

// Cancel abandons a pending wait. A NotifyOne that chose this future but was
// not yet observed passes on to the next waiter. Cancel does nothing after
// Poll returned Ready, and nothing when called again.
func (f *NotifyFuture) Cancel() { f.cancel(false) }

func (f *NotifyFuture) drop(*Cx) { f.cancel(false) }

func (f *NotifyFuture) abandon() {
	if !f.kept {
		f.cancel(true)
	}
}

func (f *NotifyFuture) cancel(passDone bool) {
	n := f.n
	var w Waker
	n.mu.Lock()
	switch f.w.state {
	case nodeQueued:
		n.waiters.remove(&f.w)
	case nodeGranted:
		if f.w.n == notifiedOne {
			w = n.notifyOneLocked()
		}
	case nodeDone:
		if passDone && f.w.n == notifiedOne {
			w = n.notifyOneLocked()
		}
	}
	f.w.state = nodeCancelled
	n.mu.Unlock()
	w.Wake()
}
