package runtime

import "sync"

// Oneshot carries a single value from one sender to one receiver, like tokio's
// oneshot channel: the usual way for a task to hand back one result.
//
// Send never suspends. Recv suspends the receiving task until the value is
// sent or the Oneshot is closed without a value. The value is delivered at
// most once: a later Recv, or a concurrent one that lost, gets false.
//
// The zero value is ready to use; NewOneshot is a convenience. A Oneshot must
// not be copied after first use.
type Oneshot[T any] struct {
	mu      sync.Mutex
	state   oneshotState   // guarded by mu
	v       T              // the sent value while state is oneshotFull; guarded by mu
	waiters list[struct{}] // receivers to wake; guarded by mu
}

type oneshotState uint8

const (
	oneshotEmpty  oneshotState = iota // nothing sent yet
	oneshotFull                       // a value waits to be received
	oneshotTaken                      // the value was received
	oneshotClosed                     // closed without a value
)

// NewOneshot returns an empty Oneshot.
func NewOneshot[T any]() *Oneshot[T] { return new(Oneshot[T]) }

// Send stores v and wakes the receiver. It reports whether v was accepted: it
// is refused if a value was already sent or the Oneshot was closed.
func (o *Oneshot[T]) Send(v T) bool {
	o.mu.Lock()
	if o.state != oneshotEmpty {
		o.mu.Unlock()
		return false
	}
	o.state, o.v = oneshotFull, v
	wl := o.wakeAllLocked()
	o.mu.Unlock()
	wl.wake()
	return true
}

// Close marks the Oneshot as finished without a value, so a waiting receiver
// gets false: what a sender does when it gives up. It does nothing if a value
// was already sent or the Oneshot is closed.
func (o *Oneshot[T]) Close() {
	o.mu.Lock()
	if o.state != oneshotEmpty {
		o.mu.Unlock()
		return
	}
	o.state = oneshotClosed
	wl := o.wakeAllLocked()
	o.mu.Unlock()
	wl.wake()
}

func (o *Oneshot[T]) wakeAllLocked() wakeList {
	var wl wakeList
	for w := o.waiters.popFront(); w != nil; w = o.waiters.popFront() {
		w.state = nodeGranted
		wl.add(w.waker)
	}
	return wl
}

// Recv suspends t until the value is sent, and returns it with true; or
// returns false if the Oneshot was closed without a value or the value was
// already received.
//
// Cancel safety: the value stays in the Oneshot until a receive returns it,
// so a cancelled Recv loses nothing; a later Recv gets the value.
func (o *Oneshot[T]) Recv(t *Task) (T, bool) {
	coop(t, "Oneshot.Recv")
	f := o.RecvFuture()
	if !f.pollReady(&t.cx) {
		f.await(t)
	}
	f.kept = true
	return f.got.Value, f.got.OK
}

// await is the suspending part of Recv, as RecvFuture.await is for a Chan.
func (f *OneshotFuture[T]) await(t *Task) {
	defer f.abandon()
	t.suspend(f)
	for !f.pollReady(&t.cx) {
		t.suspend(f)
	}
	t.spend()
	f.kept = true
}

// RecvFuture returns a future of the value: the poll-level form of Recv. Code
// that drops a pending one itself (rather than through Race, Timeout or Abort,
// which cancel it) calls Cancel so that it leaves the queue.
func (o *Oneshot[T]) RecvFuture() *OneshotFuture[T] {
	return &OneshotFuture[T]{o: o}
}

// TryRecv returns the value if it has been sent (ok true). Otherwise done
// reports whether the Oneshot is finished (closed, or its value already
// received), as opposed to still empty.
func (o *Oneshot[T]) TryRecv() (v T, ok bool, done bool) {
	var r Received[T]
	o.mu.Lock()
	done = o.takeLocked(&r)
	o.mu.Unlock()
	return r.Value, r.OK, done
}

// takeLocked moves the value, if sent, into *r (OK true), and reports
// whether the Oneshot is finished: its value taken now or before, or closed.
// It writes through r so that a receive holds no copy of T in its frame.
func (o *Oneshot[T]) takeLocked(r *Received[T]) (done bool) {
	switch o.state {
	case oneshotFull:
		r.Value, r.OK = o.v, true
		o.v = *new(T)
		o.state = oneshotTaken
		return true
	case oneshotEmpty:
		return false
	}
	return true
}

// OneshotFuture is a pending Oneshot.Recv. It is a Future[Received[T]].
type OneshotFuture[T any] struct {
	o    *Oneshot[T]
	w    node[struct{}] // guarded by o.mu
	got  Received[T]
	kept bool // the suspending caller received got
}

// Poll implements Future.
func (f *OneshotFuture[T]) Poll(cx *Cx) Poll[Received[T]] {
	if f.pollReady(cx) {
		return Ready(f.got)
	}
	return Pending[Received[T]]()
}

// pollReady is Poll leaving the result in f.got. It moves the value
// straight from o to f.got, with no copy of T in its own frame, which is
// under the body's stack when a woken Recv polls again.
func (f *OneshotFuture[T]) pollReady(cx *Cx) bool {
	o := f.o
	o.mu.Lock()
	switch f.w.state {
	case nodeIdle, nodeGranted:
		// A wake-up only says that the state changed; another receiver may
		// have taken the value first.
		if o.takeLocked(&f.got) {
			f.w.state = nodeDone
			o.mu.Unlock()
			return true
		}
		f.w.waker = cx.Waker()
		f.w.state = nodeQueued
		o.waiters.pushBack(&f.w)
	case nodeQueued:
		f.w.waker = cx.Waker()
	default:
		o.mu.Unlock()
		panic("runtime: Oneshot future polled after it completed or was cancelled")
	}
	o.mu.Unlock()
	return false
}

// Cancel abandons a pending receive. The value, if sent, stays for the next
// receive. Cancel does nothing after Poll returned Ready.
func (f *OneshotFuture[T]) Cancel() { f.cancel(false) }

func (f *OneshotFuture[T]) drop(*Cx) { f.cancel(false) }

func (f *OneshotFuture[T]) abandon() {
	if !f.kept {
		f.cancel(true)
	}
}

func (f *OneshotFuture[T]) cancel(returnDone bool) {
	o := f.o
	o.mu.Lock()
	switch f.w.state {
	case nodeQueued:
		o.waiters.remove(&f.w)
	case nodeDone:
		if returnDone && f.got.OK {
			// Await was cancelled after the value was taken but before the
			// caller saw it: put it back.
			o.state, o.v = oneshotFull, f.got.Value
			wl := o.wakeAllLocked()
			f.w.state = nodeCancelled
			o.mu.Unlock()
			wl.wake()
			return
		}
	}
	f.w.state = nodeCancelled
	o.mu.Unlock()
}
