package runtime

import "sync"

// Chan is an async-aware channel of T values: Go channel semantics for tasks.
// Send and Recv suspend the calling task, never its worker. A Go channel
// operation inside a task blocks the worker, and on a one-worker runtime the
// task on the other end can then never run.
//
// Semantics follow Go's where they make sense:
//   - NewChan(0) is unbuffered: a Send completes when a receiver takes the
//     value. NewChan(n) buffers up to n values.
//   - Send on a closed Chan panics with "runtime: send on closed Chan", as
//     does a Send that is waiting when the Chan is closed.
//   - Recv on a closed Chan first drains the buffered values, then returns
//     the zero value and false.
//   - Close of a closed Chan panics.
//
// Senders and receivers are each served in FIFO order. A value is handed
// directly to a waiting receiver, which then finds it on its next poll
// without touching the channel again.
//
// Where cancellation makes them differ from Go's (a Go channel operation
// cannot be cancelled half-way):
//   - A receiver cancelled after a value was handed to it, but before it saw
//     it, gives the value to the next waiting receiver or puts it back at the
//     head of the channel: no value is lost. So a Send, even on an unbuffered
//     Chan, may have completed while its value waits in the channel for
//     another receiver (Len is then 1 although Cap is 0).
//   - If the channel was closed meanwhile, the value put back is still
//     received (Recv drains a closed Chan first), but another receiver that
//     found the channel closed and empty just before may have returned
//     false already. A program that cancels receivers of a closing channel
//     and must see every value drains it once more (TryRecv) after those
//     cancellations.
//   - A cancelled SendFuture may have delivered its value (see Delivered).
//
// A Chan must be created with NewChan and must not be copied. Its methods may
// be called from any task or goroutine; the Try forms never suspend.
type Chan[T any] struct {
	mu       sync.Mutex
	capacity int      // fixed by NewChan
	buf      deque[T] // buffered values; guarded by mu
	closed   bool     // guarded by mu
	recvq    list[T]  // waiting receivers; guarded by mu
	sendq    list[T]  // waiting senders, each holding its value; guarded by mu

	// Invariants: recvq is non-empty only while buf and sendq are empty, and
	// sendq is non-empty only while buf is full. (After a cancelled receiver
	// returns a value, buf may briefly hold more than capacity values.)
}

// NewChan returns a channel that buffers up to capacity values; 0 makes an
// unbuffered channel. It panics if capacity is negative.
func NewChan[T any](capacity int) *Chan[T] {
	if capacity < 0 {
		panic("runtime: NewChan with a negative capacity")
	}
	return &Chan[T]{capacity: capacity}
}

// Received is the result of a receive: the value and whether it came from a
// send (OK true) or from a closed, drained channel (OK false, zero Value).
type Received[T any] struct {
	Value T
	OK    bool
}

// Send sends v, suspending t while the channel is full (or, unbuffered, until
// a receiver takes v). It panics if the channel is closed, or is closed while
// t waits.
//
// Cancel safety: if t is cancelled while it waits, v was either received
// exactly once (the send completed just before the cancellation) or not sent
// at all; it is never duplicated.
func (c *Chan[T]) Send(t *Task, v T) {
	coop(t, "Chan.Send")
	c.mu.Lock()
	sent, w := c.sendLocked(v)
	if sent {
		c.mu.Unlock()
		w.wakeFrom(&t.cx)
		return
	}
	// Queue a waiter in the same critical section (the first poll of its
	// future, done by hand), so that the channel is locked once per Send.
	f := spare[SendFuture[T]](&t.waitSpares().send)
	f.c = c
	f.w.val = v
	f.w.waker = t.cx.waker
	f.w.state = nodeQueued
	c.sendq.pushBack(&f.w)
	c.mu.Unlock()
	// A cancelled await drops f, which takes it out of the queue; no defer
	// is needed, since a send that completed stays completed.
	t.suspend(f)
	for !f.Poll(&t.cx).ready {
		t.suspend(f)
	}
	t.spend()
	*f = SendFuture[T]{}
}

// sendLocked hands v to the first waiting receiver, or buffers it if there
// is room. It reports whether v was sent, and returns the receiver's waker
// for the caller to wake once c.mu is released (the zero Waker if none). It
// panics, releasing c.mu, if the channel is closed.
func (c *Chan[T]) sendLocked(v T) (sent bool, w Waker) {
	if c.closed {
		c.mu.Unlock()
		panic("runtime: send on closed Chan")
	}
	if r := c.recvq.popFront(); r != nil {
		r.val = v
		return true, grantValueLocked(r)
	}
	if c.buf.len() < c.capacity {
		c.buf.pushBack(v)
		return true, Waker{}
	}
	return false, Waker{}
}

// SendFuture returns a future that sends v when polled to completion: the
// poll-level form of Send. Nothing is sent until the first poll. The runtime
// cancels the futures it abandons (Race losers, expired Timeouts, aborted
// tasks); code that drops a pending SendFuture itself calls Cancel.
func (c *Chan[T]) SendFuture(v T) *SendFuture[T] {
	f := &SendFuture[T]{c: c}
	f.w.val = v
	return f
}

// Recv receives a value, suspending t while the channel is empty. The boolean
// is false when the channel is closed and drained.
//
// Cancel safety: if t is cancelled while it waits, no value is lost: one that
// a sender already handed to t goes to the next waiting receiver, or back to
// the head of the channel.
func (c *Chan[T]) Recv(t *Task) (v T, ok bool) {
	coop(t, "Chan.Recv")
	c.mu.Lock()
	v, ok, closed, w := c.tryRecvLocked()
	if ok || closed {
		c.mu.Unlock()
		w.wakeFrom(&t.cx)
		return v, ok
	}
	// Queue a waiter in the same critical section, as Send does.
	f := spare[RecvFuture[T]](&t.waitSpares().recv)
	f.c = c
	f.w.waker = t.cx.waker
	f.w.state = nodeQueued
	c.recvq.pushBack(&f.w)
	c.mu.Unlock()
	f.await(t)
	v, ok = f.got.Value, f.got.OK
	*f = RecvFuture[T]{}
	return v, ok
}

// waitSpares holds the wait futures of the last Chan.Recv and Chan.Send of
// a body that had to wait, for reuse (see spare). Only bodies that wait on
// a Chan allocate it, so that the others stay small.
type waitSpares struct {
	recv, send any
}

func (t *Task) waitSpares() *waitSpares {
	if t.spares == nil {
		t.spares = new(waitSpares)
	}
	return t.spares
}

// spare returns the wait future that the task keeps in *slot for reuse,
// replacing it with a new one if it has another type. Recv and Send reuse
// their futures this way, so that a task waiting on channels over and over
// (a ping-pong) does not allocate. Reuse is safe: a future is zeroed after
// its wait returned, when nothing refers to it any more (it is out of every
// queue, and wakers are copied by value), and no other wait of the same
// body can start before that. A cancelled wait unwinds past that point, but
// then the body never waits again. Only the task's body touches its slots.
func spare[F any](slot *any) *F {
	if f, ok := (*slot).(*F); ok {
		return f
	}
	f := new(F)
	*slot = f
	return f
}

// grantValueLocked marks a waiter that a value was handed to or taken from
// as granted, and returns its waker. The owner may then finish without the
// lock (see Poll) and reuse the node at once, so the grant is published
// last: the caller must not touch the node afterwards.
func grantValueLocked[T any](n *node[T]) Waker {
	w := n.waker
	n.state = nodeGranted
	n.granted.Store(true)
	return w
}

// await is the suspending part of Recv, for a future already queued (its
// first poll was done by hand); the value is left in f.got. It is Await
// without the checks that Recv made already, and without marking t as
// awaiting (Poll runs no user code). It holds no T in its frame while t is
// suspended: the frames under a suspension are the body's stack, and a copy
// of a value of a few words in each generic frame is what makes a body
// outgrow the 2 KB stack it starts on (see the package doc's Costs).
func (f *RecvFuture[T]) await(t *Task) {
	defer f.abandon()
	t.suspend(f)
	for !f.pollReady(&t.cx) {
		t.suspend(f)
	}
	t.spend()
	f.kept = true
}

// RecvFuture returns a future that receives a value when polled to
// completion: the poll-level form of Recv. The runtime cancels the futures it
// abandons (Race losers, expired Timeouts, aborted tasks); code that drops a
// pending RecvFuture itself calls Cancel, so that a value handed to it is not
// lost.
func (c *Chan[T]) RecvFuture() *RecvFuture[T] {
	return &RecvFuture[T]{c: c}
}

// TrySend sends v if it can do so without waiting: a receiver is waiting or
// the buffer has room. It reports whether it sent v, and panics if the channel
// is closed.
func (c *Chan[T]) TrySend(v T) bool {
	c.mu.Lock()
	sent, w := c.sendLocked(v)
	c.mu.Unlock()
	w.Wake()
	return sent
}

// TryRecv receives a value if one is available without waiting. It returns
// the value with ok true; or ok false and closed true when the channel is
// closed and drained; or both false when a receive would have to wait.
func (c *Chan[T]) TryRecv() (v T, ok bool, closed bool) {
	c.mu.Lock()
	v, ok, closed, w := c.tryRecvLocked()
	c.mu.Unlock()
	w.Wake()
	return v, ok, closed
}

// tryRecvLocked takes a buffered value, refilling the buffer from the first
// waiting sender, or takes a waiting sender's value directly. It returns the
// waker of the sender it completed, for the caller to wake once c.mu is
// released (the zero Waker if none).
func (c *Chan[T]) tryRecvLocked() (v T, ok bool, closed bool, w Waker) {
	if c.buf.len() > 0 {
		v = c.buf.popFront()
		if c.buf.len() < c.capacity {
			if s := c.sendq.popFront(); s != nil {
				c.buf.pushBack(s.val)
				w = grantSenderLocked(s)
			}
		}
		return v, true, false, w
	}
	if s := c.sendq.popFront(); s != nil {
		v = s.val
		return v, true, false, grantSenderLocked(s)
	}
	return v, false, c.closed, w
}

// grantSenderLocked completes a sender whose value was taken, and returns
// its waker.
func grantSenderLocked[T any](s *node[T]) Waker {
	var zero T
	s.val = zero
	return grantValueLocked(s)
}

// Close closes the channel: waiting receivers get false once the buffer is
// drained, and waiting senders panic. It panics if the channel is already
// closed.
func (c *Chan[T]) Close() {
	var wl wakeList
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		panic("runtime: close of closed Chan")
	}
	c.closed = true
	for _, q := range [...]*list[T]{&c.recvq, &c.sendq} {
		for w := q.popFront(); w != nil; w = q.popFront() {
			w.state = nodeClosed
			wl.add(w.waker)
		}
	}
	c.mu.Unlock()
	wl.wake()
}

// Len returns the number of buffered values.
func (c *Chan[T]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.len()
}

// Cap returns the channel's capacity.
func (c *Chan[T]) Cap() int { return c.capacity }

// SendFuture is a pending Chan.Send. It is a Future[struct{}].
//
// A receiver may take the value of a queued SendFuture at any time, also
// just before the future is cancelled: a Race it loses, or a Timeout that
// expires, does not mean that nothing was sent (a Go select decides both at
// once; a runtime of futures cannot). Delivered tells which it was.
type SendFuture[T any] struct {
	c         *Chan[T]
	w         node[T] // holds the value until a receiver takes it; guarded by c.mu
	delivered bool    // a receiver took the value before Cancel
}

// Delivered reports whether a receiver took the value: true once Poll
// returned Ready, and after a cancellation (Cancel, or a Race, Timeout or
// Abort that dropped f) if a receiver had taken it before. Call it after
// either; while f is pending, the answer may change at any moment.
func (f *SendFuture[T]) Delivered() bool {
	return f.w.state == nodeDone || f.delivered
}

// Poll implements Future. It panics if the channel is closed before the value
// was taken.
func (f *SendFuture[T]) Poll(cx *Cx) Poll[struct{}] {
	if f.w.granted.Load() && f.w.state == nodeGranted {
		// A receiver took the value: the node left the queue, and only this
		// future touches it now.
		f.w.state = nodeDone
		return Ready(struct{}{})
	}
	c := f.c
	c.mu.Lock()
	switch f.w.state {
	case nodeIdle:
		if sent, w := c.sendLocked(f.w.val); sent {
			var zero T
			f.w.val = zero
			f.w.state = nodeDone
			c.mu.Unlock()
			w.wakeFrom(cx)
			return Ready(struct{}{})
		}
		f.w.waker = cx.Waker()
		f.w.state = nodeQueued
		c.sendq.pushBack(&f.w)
	case nodeQueued:
		f.w.waker = cx.Waker()
	case nodeGranted:
		f.w.state = nodeDone
		c.mu.Unlock()
		return Ready(struct{}{})
	case nodeClosed:
		f.w.state = nodeDone
		c.mu.Unlock()
		panic("runtime: send on closed Chan")
	default:
		c.mu.Unlock()
		panic("runtime: Chan send future polled after it completed or was cancelled")
	}
	c.mu.Unlock()
	return Pending[struct{}]()
}

func (f *SendFuture[T]) drop(*Cx) { f.Cancel() }

// Reset makes f a new send of v on the same channel, so that a poll-level
// loop (a Future implemented by hand) sends value after value without
// allocating a future for each. f must not be pending: Reset panics if f
// was polled but neither returned Ready nor was cancelled, since its value
// may be in the channel's hands.
func (f *SendFuture[T]) Reset(v T) {
	f.w.checkReusable("runtime: Chan send future reset while pending")
	*f = SendFuture[T]{c: f.c} // delivered too starts over
	f.w.val = v
}

// Cancel abandons a pending send. Unless a receiver already took the value, it
// is not sent. Cancel does nothing after Poll returned Ready, and nothing when
// called again.
func (f *SendFuture[T]) Cancel() {
	c := f.c
	c.mu.Lock()
	switch f.w.state {
	case nodeQueued:
		c.sendq.remove(&f.w)
		f.w.state = nodeCancelled
	case nodeGranted:
		f.delivered = true
		f.w.state = nodeCancelled
	case nodeIdle, nodeClosed:
		f.w.state = nodeCancelled
	}
	c.mu.Unlock()
}

// RecvFuture is a pending Chan.Recv. It is a Future[Received[T]].
type RecvFuture[T any] struct {
	c    *Chan[T]
	w    node[T] // receives a handed-over value; guarded by c.mu
	got  Received[T]
	kept bool // the suspending caller received got
}

// Poll implements Future.
func (f *RecvFuture[T]) Poll(cx *Cx) Poll[Received[T]] {
	if f.pollReady(cx) {
		return Ready(f.got)
	}
	return Pending[Received[T]]()
}

// pollReady is Poll leaving the result in f.got (see await). Its
// common case, a value handed over, is small enough to be inlined.
func (f *RecvFuture[T]) pollReady(cx *Cx) bool {
	if f.w.granted.Load() && f.w.state == nodeGranted {
		// A sender handed a value over: the node left the queue, and only
		// this future touches it now.
		f.takeGranted()
		return true
	}
	return f.pollLocked(cx)
}

// takeGranted moves the value handed to f into f.got.
func (f *RecvFuture[T]) takeGranted() {
	f.got.Value, f.got.OK = f.w.val, true
	f.w.val = *new(T)
	f.w.state = nodeDone
}

// pollLocked is the rest of pollReady, under the channel's lock.
func (f *RecvFuture[T]) pollLocked(cx *Cx) bool {
	c := f.c
	c.mu.Lock()
	switch f.w.state {
	case nodeIdle:
		v, ok, closed, w := c.tryRecvLocked()
		if ok || closed {
			f.w.state = nodeDone
			f.got = Received[T]{v, ok}
			c.mu.Unlock()
			w.wakeFrom(cx)
			return true
		}
		f.w.waker = cx.Waker()
		f.w.state = nodeQueued
		c.recvq.pushBack(&f.w)
	case nodeQueued:
		f.w.waker = cx.Waker()
	case nodeGranted:
		f.takeGranted()
		c.mu.Unlock()
		return true
	case nodeClosed:
		f.w.state = nodeDone
		c.mu.Unlock()
		return true
	default:
		c.mu.Unlock()
		panic("runtime: Chan receive future polled after it completed or was cancelled")
	}
	c.mu.Unlock()
	return false
}

// Cancel abandons a pending receive. A value a sender already handed to this
// future goes to the next waiting receiver, or back to the head of the
// channel. Cancel does nothing after Poll returned Ready, and nothing when
// called again.
func (f *RecvFuture[T]) Cancel() { f.cancel(false) }

func (f *RecvFuture[T]) drop(*Cx) { f.cancel(false) }

// Reset makes f a new receive from the same channel, so that a poll-level
// loop (a Future implemented by hand) receives value after value without
// allocating a future for each. f must not be pending: Reset panics if f
// was polled but neither returned Ready nor was cancelled, since a value
// handed to it would be lost.
func (f *RecvFuture[T]) Reset() {
	f.w.checkReusable("runtime: Chan receive future reset while pending")
	*f = RecvFuture[T]{c: f.c}
}

func (f *RecvFuture[T]) abandon() {
	if !f.kept {
		f.cancel(true)
	}
}

func (f *RecvFuture[T]) cancel(returnDone bool) {
	c := f.c
	c.mu.Lock()
	switch f.w.state {
	case nodeQueued:
		c.recvq.remove(&f.w)
	case nodeGranted:
		v := f.w.val
		var zero T
		f.w.val = zero
		c.returnLocked(v)
	case nodeDone:
		if returnDone && f.got.OK {
			c.returnLocked(f.got.Value)
		}
	}
	f.w.state = nodeCancelled
	c.mu.Unlock()
}

// returnLocked puts back a value that a cancelled receiver was handed but
// never observed: to the next waiting receiver, else to the head of the
// buffer, so that it is still received before values sent after it.
func (c *Chan[T]) returnLocked(v T) {
	if r := c.recvq.popFront(); r != nil {
		r.val = v
		grantValueLocked(r).Wake()
		return
	}
	c.buf.pushFront(v)
}

// deque is a growable ring buffer of values.
type deque[T any] struct {
	buf  []T
	head int
	n    int
}

func (d *deque[T]) len() int { return d.n }

func (d *deque[T]) grow() {
	nb := make([]T, max(4, 2*len(d.buf)))
	for i := 0; i < d.n; i++ {
		nb[i] = d.buf[(d.head+i)%len(d.buf)]
	}
	d.buf, d.head = nb, 0
}

func (d *deque[T]) pushBack(v T) {
	if d.n == len(d.buf) {
		d.grow()
	}
	d.buf[(d.head+d.n)%len(d.buf)] = v
	d.n++
}

func (d *deque[T]) pushFront(v T) {
	if d.n == len(d.buf) {
		d.grow()
	}
	d.head = (d.head - 1 + len(d.buf)) % len(d.buf)
	d.buf[d.head] = v
	d.n++
}

func (d *deque[T]) popFront() T {
	var zero T
	v := d.buf[d.head]
	d.buf[d.head] = zero
	d.head = (d.head + 1) % len(d.buf)
	d.n--
	return v
}
