package runtime

import "sync/atomic"

// The synchronization types (Mutex, Semaphore, Notify, Chan, ...) park their
// pending futures in intrusive FIFO lists of waiter nodes. A node lives inside
// the future that owns it, so queueing allocates nothing beyond the future.
//
// Node states, all guarded by the owning primitive's mutex:
//   - nodeIdle: the future has not been polled yet; the node is in no list.
//   - nodeQueued: the node is in the primitive's list, waiting. Its waker is
//     refreshed on every poll.
//   - nodeGranted: the primitive removed the node from its list and handed it
//     what it waited for (permits, a value, a notification), but the future has
//     not observed that yet. A cancel in this state must pass the grant on.
//   - nodeClosed: the primitive was closed while the node waited (Chan,
//     Oneshot); the node is in no list.
//   - nodeDone: the future returned Ready; the grant belongs to its caller.
//   - nodeCancelled: the future was cancelled; the node is in no list.
//
// Transitions: idle -> done (fast path), idle -> queued (first Pending),
// queued -> granted or closed (by the primitive), queued/granted/closed ->
// cancelled (cancel), granted/closed -> done (the next poll).

type nodeState uint8

const (
	nodeIdle nodeState = iota
	nodeQueued
	nodeGranted
	nodeClosed
	nodeDone
	nodeCancelled
)

// node is a waiter in a list. n is the number of permits a semaphore waiter
// wants, or the kind of notification a Notify waiter received; val carries a
// Chan value between a sender and a receiver.
//
// granted is set, under the lock, when a Chan waiter enters nodeGranted: its
// owner reads it without the lock, and once it is true the node is out of
// every list and the owner alone touches it (state and val included), so
// it is the granter's last write to the node.
type node[T any] struct {
	prev, next *node[T]
	waker      Waker
	state      nodeState
	granted    atomic.Bool
	n          int
	val        T
}

// checkReusable panics with msg unless the node's future may start over:
// never polled, completed, or cancelled. In those states only the owner
// touches the node, so the check needs no lock; a pending node may be
// written by the primitive at the same time, which is why resetting one is
// a misuse (the check is then best effort, as the race detector would say).
func (n *node[T]) checkReusable(msg string) {
	switch n.state {
	case nodeIdle, nodeDone, nodeCancelled:
	default:
		panic(msg)
	}
}

// list is a FIFO of nodes. The zero value is an empty list.
type list[T any] struct {
	head, tail *node[T]
}

func (l *list[T]) empty() bool { return l.head == nil }

func (l *list[T]) front() *node[T] { return l.head }

func (l *list[T]) pushBack(w *node[T]) {
	w.prev, w.next = l.tail, nil
	if l.tail == nil {
		l.head = w
	} else {
		l.tail.next = w
	}
	l.tail = w
}

// remove unlinks w, which must be in l.
func (l *list[T]) remove(w *node[T]) {
	if w.prev == nil {
		l.head = w.next
	} else {
		w.prev.next = w.next
	}
	if w.next == nil {
		l.tail = w.prev
	} else {
		w.next.prev = w.prev
	}
	w.prev, w.next = nil, nil
}

// popFront removes and returns the first node, or nil.
func (l *list[T]) popFront() *node[T] {
	w := l.head
	if w != nil {
		l.remove(w)
	}
	return w
}

// The futures below implement the runtime's drop hook (see dropper): the
// runtime drops every future it abandons (an aborted task's pending Await, a
// Race loser, an expired Timeout), and dropping cancels the waiter.

// wakeList collects wakers while a primitive's mutex is held, so that they
// fire after it is released: a woken task may run at once on another worker
// and would only contend on the mutex. It keeps a few wakers inline to avoid
// allocating in the common single-wake case.
type wakeList struct {
	inline [2]Waker
	n      int
	more   []Waker
}

func (wl *wakeList) add(w Waker) {
	if wl.n < len(wl.inline) {
		wl.inline[wl.n] = w
		wl.n++
		return
	}
	wl.more = append(wl.more, w)
}

func (wl *wakeList) wake() {
	for i := 0; i < wl.n; i++ {
		wl.inline[i].Wake()
	}
	for _, w := range wl.more {
		w.Wake()
	}
}
