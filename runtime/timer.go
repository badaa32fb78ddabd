package runtime

import (
	"math"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"
)

// The timer wheel: 6 levels of 64 slots with a 1 ms tick, as in tokio.
// Level l slot s holds the timers whose deadline lies in the s-th 64^l-tick
// range of the current 64^(l+1)-tick window. A timer lives in the lowest
// level whose window contains both now and its deadline, so inserting and
// removing it is O(1), and it moves down one level at a time (cascades) as
// its deadline approaches.
//
// The top level is a ring, as in tokio: a timer whose deadline lies in the
// next rotation of the top level (the current tick and the deadline differ
// in the bits above the wheel's 36) sits in a slot at or behind the
// cursor, and expires one rotation later than the slot's position in the
// current one. A timer further away than one rotation (about 795 days)
// is placed one rotation ahead; its deadline is kept, and it moves on again
// when that slot expires, so that it never fires early.
const (
	wheelBits   = 6
	wheelSlots  = 1 << wheelBits
	wheelLevels = 6
	maxTicks    = 1<<(wheelBits*wheelLevels) - 1
	tick        = time.Millisecond
	// maxDeadline is the furthest deadline a timer gets (about 292 years
	// from the runtime's start): its time in nanoseconds still fits a
	// time.Duration, which the virtual clock jumps to.
	maxDeadline = uint64(math.MaxInt64 / tick)
)

// timerEntry is one registered timer, linked into its slot. It is embedded in
// the future that owns it, so a timer costs no allocation of its own.
type timerEntry struct {
	deadline   uint64      // in ticks since the driver started; guarded by the driver's mu
	prev, next *timerEntry // slot links; guarded by the driver's mu
	waker      Waker       // guarded by the driver's mu
	inWheel    bool        // guarded by the driver's mu
	level      uint8       // where it is linked while inWheel; guarded by the driver's mu
	slot       uint8
	owner      uint8       // free for the owning future (sleepFuture's state), in the padding
	fired      atomic.Bool // set once the deadline passed
}

type wheelLevel struct {
	occupied uint64 // bit s set when slots[s] is not empty
	slots    [wheelSlots]*timerEntry
}

// wheel is the hierarchical timing wheel proper (not safe for concurrent use).
type wheel struct {
	elapsed uint64 // the current tick: every timer before it fired
	levels  [wheelLevels]wheelLevel
	// carry holds the timers of the slot that expired at elapsed and that
	// advance has not handled yet (it stops after a batch of wakes). The
	// slot is emptied as a whole when it expires, so that the timers
	// linked in it afterwards, which belong to a later rotation, are not
	// taken for its own.
	carry *timerEntry
}

func (w *wheel) levelFor(deadline uint64) int {
	masked := (w.elapsed ^ deadline) | (wheelSlots - 1)
	if masked > maxTicks {
		masked = maxTicks
	}
	return (bits.Len64(masked) - 1) / wheelBits
}

// insert links e; it reports false when e's deadline already passed. A
// deadline more than one top-level rotation away is linked where the
// rotation ends (see the wheel's doc).
func (w *wheel) insert(e *timerEntry) bool {
	if e.deadline <= w.elapsed {
		return false
	}
	at := e.deadline
	if at-w.elapsed > maxTicks {
		at = w.elapsed + maxTicks
	}
	l := w.levelFor(at)
	s := (at >> (l * wheelBits)) % wheelSlots
	lv := &w.levels[l]
	e.level, e.slot = uint8(l), uint8(s)
	e.prev = nil
	e.next = lv.slots[s]
	if e.next != nil {
		e.next.prev = e
	}
	lv.slots[s] = e
	lv.occupied |= 1 << s
	e.inWheel = true
	return true
}

func (w *wheel) remove(e *timerEntry) {
	if !e.inWheel {
		return
	}
	s := e.slot
	lv := &w.levels[e.level]
	switch {
	case e.prev != nil:
		e.prev.next = e.next
	case w.carry == e:
		w.carry = e.next
	default:
		lv.slots[s] = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	}
	if lv.slots[s] == nil {
		lv.occupied &^= 1 << s
	}
	e.prev, e.next, e.inWheel = nil, nil, false
}

// nextExpiration returns the start tick of the earliest occupied slot (the
// current tick while timers are carried over).
func (w *wheel) nextExpiration() (deadline uint64, level, slot int, ok bool) {
	if w.carry != nil {
		return w.elapsed, -1, -1, true
	}
	for l := range wheelLevels {
		lv := &w.levels[l]
		if lv.occupied == 0 {
			continue
		}
		shift := uint(l * wheelBits)
		cur := (w.elapsed >> shift) % wheelSlots
		levelRange := uint64(1) << (shift + wheelBits)
		base := w.elapsed &^ (levelRange - 1)
		if l == wheelLevels-1 {
			// The ring: the slots after the cursor expire in this rotation;
			// those at or behind it were filled for the next one (the
			// cursor's own slot was emptied when the wheel reached it).
			if after := lv.occupied >> cur >> 1; after != 0 {
				s := int(cur) + 1 + bits.TrailingZeros64(after)
				return base + uint64(s)<<shift, l, s, true
			}
			s := bits.TrailingZeros64(lv.occupied)
			return base + levelRange + uint64(s)<<shift, l, s, true
		}
		ahead := lv.occupied >> cur
		if ahead == 0 {
			// Only slots behind the cursor are occupied: cannot happen below
			// the top level, whose window holds both the current tick and
			// every deadline linked there; treat them as due now.
			s := bits.TrailingZeros64(lv.occupied)
			return w.elapsed, l, s, true
		}
		s := int(cur) + bits.TrailingZeros64(ahead)
		d := base + uint64(s)<<shift
		if d < w.elapsed {
			d = w.elapsed
		}
		// A lower level always expires first: its whole window lies before
		// the next slot of any higher level.
		return d, l, s, true
	}
	return 0, 0, 0, false
}

// advance moves the wheel towards now, appending the wakers of the timers
// that fired to fired. It stops early, reporting more, once limit wakers are
// collected, so that the caller can wake them without holding its lock for
// a million timers; calling it again continues where it stopped.
func (w *wheel) advance(now uint64, fired []Waker, limit int) (_ []Waker, more bool) {
	for {
		if w.carry == nil {
			d, l, s, ok := w.nextExpiration()
			if !ok || d > now {
				break
			}
			w.elapsed = d
			lv := &w.levels[l]
			w.carry = lv.slots[s]
			lv.slots[s] = nil
			lv.occupied &^= 1 << s
		}
		for e := w.carry; e != nil; e = w.carry {
			if len(fired) >= limit {
				return fired, true
			}
			w.carry = e.next
			if e.next != nil {
				e.next.prev = nil
			}
			e.prev, e.next, e.inWheel = nil, nil, false
			// Re-inserting moves e to a lower level, fires it, or (a
			// deadline in the next rotation, or further) links it in the
			// top level for a later rotation.
			if !w.insert(e) {
				e.fired.Store(true)
				fired = append(fired, e.waker)
				e.waker = Waker{}
			}
		}
	}
	if now > w.elapsed {
		w.elapsed = now
	}
	return fired, false
}

// fireBatch bounds how many timers fire per hold of the driver's lock.
const fireBatch = 1024

// timerDriver owns a runtime's wheel and its clock. In real time one
// goroutine sleeps until the next deadline and fires the timers due. Under
// virtual time there is no such goroutine: the last worker to go idle jumps
// the clock and fires the due timers itself (see worker.park), so that no
// other goroutine races the workers to queue the wakes, and a one-worker run
// is a function of its program alone.
type timerDriver struct {
	virtual bool
	start   time.Time
	vnow    atomic.Int64 // virtual time since start, in ns

	mu         sync.Mutex
	wheel      wheel  // guarded by mu
	sleepUntil uint64 // the tick the driver goroutine sleeps until; guarded by mu

	kickC chan struct{}
	stopC chan struct{}
	done  chan struct{}
}

func newTimerDriver(virtual bool) *timerDriver {
	d := &timerDriver{
		virtual: virtual, start: time.Now(), sleepUntil: math.MaxUint64,
		kickC: make(chan struct{}, 1), stopC: make(chan struct{}), done: make(chan struct{}),
	}
	if virtual {
		close(d.done) // no goroutine to stop
	} else {
		go d.loop()
	}
	return d
}

func (d *timerDriver) since() time.Duration {
	if d.virtual {
		return time.Duration(d.vnow.Load())
	}
	// Not time.Since, whose frame is larger: this clock read is the deepest
	// call of a Sleep's first poll (see the package doc's Costs on stacks).
	return time.Now().Sub(d.start)
}

func (d *timerDriver) now() time.Time { return d.start.Add(d.since()) }

// kick makes the real-time driver goroutine re-examine the wheel.
func (d *timerDriver) kick() {
	select {
	case d.kickC <- struct{}{}:
	default:
	}
}

func (d *timerDriver) stop() {
	close(d.stopC)
	<-d.done
}

// deadline returns the time, in nanoseconds on the runtime's clock, at which
// a timer of dur from now fires; 0 if dur is not positive. A sum past the
// longest Duration wraps, which register turns into the furthest deadline.
// It is small enough to inline into Sleep's Poll, whose frame, with the
// clock read below it, is the deepest point of a Sleep's first poll: one
// more frame there makes a body awaiting a Sleep outgrow its first stack.
func (d *timerDriver) deadline(dur time.Duration) uint64 {
	if dur <= 0 {
		return 0
	}
	return uint64(d.since() + dur)
}

// register arms e to fire at deadline (see d.deadline; in ticks from then
// on), waking w. It reports false (without arming) when the deadline is
// already reached.
//
// It is separate from deadline so that the clock read, the deepest call of
// a Sleep's first poll, does not sit under register's frame: an async body
// awaiting a Sleep then fits in a smaller stack (see the package doc's
// Costs).
func (d *timerDriver) register(e *timerEntry, deadline uint64, w Waker) bool {
	if deadline == 0 {
		return false
	}
	ticks := maxDeadline
	if deadline <= maxDeadline*uint64(tick) {
		ticks = (deadline + uint64(tick) - 1) / uint64(tick)
	}
	d.mu.Lock()
	e.deadline = ticks
	e.waker = w
	if !d.wheel.insert(e) {
		e.waker = Waker{}
		d.mu.Unlock()
		return false
	}
	kick := !d.virtual && e.deadline < d.sleepUntil
	if kick {
		d.sleepUntil = e.deadline
	}
	d.mu.Unlock()
	if kick {
		d.kick()
	}
	return true
}

// update replaces the waker of an armed timer; it reports whether the timer
// has fired meanwhile.
func (d *timerDriver) update(e *timerEntry, w Waker) (fired bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if e.fired.Load() {
		return true
	}
	if !e.waker.WillWake(w) {
		e.waker = w
	}
	return false
}

// cancel disarms e (its future was dropped).
func (d *timerDriver) cancel(e *timerEntry) {
	d.mu.Lock()
	d.wheel.remove(e)
	e.waker = Waker{}
	d.mu.Unlock()
}

// loop fires the timers of a real-time driver. It holds a Go timer only
// while a runtime timer is armed: with none, it waits on channels alone, so
// that a program whose every task waits for something that never comes
// (a Mutex locked twice by one task, a Recv nobody sends to) is stopped by
// Go's own "all goroutines are asleep - deadlock!" with every stack, rather
// than hanging.
func (d *timerDriver) loop() {
	defer close(d.done)
	t := time.NewTimer(time.Hour)
	t.Stop()
	defer t.Stop()
	for {
		d.fireUntil(uint64(time.Since(d.start) / tick))
		d.mu.Lock()
		next, _, _, ok := d.wheel.nextExpiration()
		d.sleepUntil = math.MaxUint64
		if ok {
			d.sleepUntil = next
		}
		d.mu.Unlock()
		if ok {
			t.Reset(time.Duration(next)*tick - time.Since(d.start))
		} else {
			t.Stop()
		}
		select {
		case <-d.kickC:
		case <-t.C:
		case <-d.stopC:
			return
		}
	}
}

// fireUntil advances the wheel to now and wakes the timers that fired, a
// batch at a time, outside the lock.
func (d *timerDriver) fireUntil(now uint64) {
	var fired []Waker
	for more := true; more; {
		d.mu.Lock()
		fired, more = d.wheel.advance(now, fired[:0], fireBatch)
		d.mu.Unlock()
		for i, w := range fired {
			w.Wake()
			fired[i] = Waker{}
		}
	}
}

// pending reports whether a timer is armed.
func (d *timerDriver) pending() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, _, _, ok := d.wheel.nextExpiration()
	return ok
}

// jump moves the virtual clock to the next deadline at which a timer fires
// (cascading higher levels on the way, which fires nothing) and wakes the
// timers due then, on the calling goroutine: the idle worker that found
// the runtime quiescent. It reports whether a timer fired.
func (d *timerDriver) jump() (anyFired bool) {
	var fired []Waker
	for {
		d.mu.Lock()
		next, _, _, ok := d.wheel.nextExpiration()
		if !ok {
			d.mu.Unlock()
			return false
		}
		if cur := time.Duration(next) * tick; cur > d.since() {
			d.vnow.Store(int64(cur))
		}
		var more bool
		fired, more = d.wheel.advance(next, fired[:0], fireBatch)
		d.mu.Unlock()
		for i, w := range fired {
			w.Wake()
			fired[i] = Waker{}
		}
		if more {
			d.fireUntil(next)
			return true
		}
		if len(fired) > 0 {
			return true
		}
	}
}

// sleepFuture is the future returned by Sleep: a timer entry armed on its
// first poll.
// It is kept small (56 bytes, with the timer inline and its state in the
// entry's padding) because a million of them may be pending at once.
type sleepFuture struct {
	dur   time.Duration
	entry timerEntry // entry.owner is the state: sleepNew, sleepArmed or sleepDone
}

const (
	sleepNew uint8 = iota
	sleepArmed
	sleepDone
)

// Sleep returns a future that completes d after its first poll, measured on
// the clock of the runtime that polls it (virtual under WithVirtualTime).
// The resolution is 1 ms; a sleep never ends early. The furthest deadline
// is about 292 years after the runtime started (the longest Duration):
// longer sleeps end then. Dropping the future
// (cancellation) disarms its timer. A Sleep must be polled by a runtime.
func Sleep(d time.Duration) Future[struct{}] { return &sleepFuture{dur: d} }

func (s *sleepFuture) Poll(cx *Cx) Poll[struct{}] {
	if !cx.coopTake() {
		return Pending[struct{}]()
	}
	switch s.entry.owner {
	case sleepNew:
		if cx.rt == nil {
			panic("runtime: Sleep polled outside a runtime")
		}
		if !cx.rt.timers.register(&s.entry, cx.rt.timers.deadline(s.dur), cx.waker) {
			s.entry.owner = sleepDone
			return Ready(struct{}{})
		}
		s.entry.owner = sleepArmed
		return Pending[struct{}]()
	case sleepArmed:
		if s.entry.fired.Load() || cx.rt.timers.update(&s.entry, cx.waker) {
			s.entry.owner = sleepDone
			return Ready(struct{}{})
		}
		return Pending[struct{}]()
	}
	panic("runtime: Sleep future polled after it completed")
}

func (s *sleepFuture) drop(cx *Cx) {
	if s.entry.owner == sleepArmed {
		cx.rt.timers.cancel(&s.entry)
	}
	s.entry.owner = sleepDone
}

// timeoutFuture is the future returned by Timeout.
type timeoutFuture[T any] struct {
	inner Future[T]
	sleep sleepFuture
	done  bool
}

// Timeout returns a future that polls f until it is ready or d passed,
// whichever comes first. On expiry it drops f (a suspended async body
// unwinds, a pending lock or receive is withdrawn) and returns TimedOut set;
// it never panics for a timeout. d is measured from the first poll.
func Timeout[T any](d time.Duration, f Future[T]) Future[Timed[T]] {
	if f == nil {
		panic("runtime: Timeout of a nil Future")
	}
	return &timeoutFuture[T]{inner: f, sleep: sleepFuture{dur: d}}
}

func (t *timeoutFuture[T]) Poll(cx *Cx) Poll[Timed[T]] {
	if t.done {
		panic("runtime: Timeout future polled after it completed")
	}
	if v, ok := t.inner.Poll(cx).Value(); ok {
		t.done = true
		t.sleep.drop(cx)
		return Ready(Timed[T]{Value: v})
	}
	if t.sleep.Poll(cx).IsReady() {
		t.done = true
		inner := t.inner
		t.inner = nil
		dropFuture(inner, cx)
		return Ready(Timed[T]{TimedOut: true})
	}
	return Pending[Timed[T]]()
}

func (t *timeoutFuture[T]) drop(cx *Cx) {
	if t.done {
		return
	}
	t.done = true
	t.sleep.drop(cx)
	dropFuture(t.inner, cx)
	t.inner = nil
}

// yieldFuture is the future returned by YieldNow.
type yieldFuture struct{ yielded, done bool }

// YieldNow returns a future that is pending on its first poll (after waking
// its task, which goes to the back of the run queue) and ready on the next:
// Await(t, YieldNow()) lets the other tasks run.
func YieldNow() Future[struct{}] { return &yieldFuture{} }

func (y *yieldFuture) Poll(cx *Cx) Poll[struct{}] {
	if y.yielded {
		if y.done {
			panic("runtime: YieldNow future polled after it completed")
		}
		y.done = true
		return Ready(struct{}{})
	}
	y.yielded = true
	cx.waker.Wake()
	return Pending[struct{}]()
}
