package runtime

import (
	"fmt"
	"sync"
)

// fanIn routes the wakes of a combinator's children. Each child has its own
// Waker (a fanChild); its wake queues the child's index and wakes the task
// polling the combinator, which then polls only the children that were
// woken. Siblings of a woken child are not polled again.
type fanIn struct {
	mu     sync.Mutex
	parent Waker   // the combinator's poller; guarded by mu
	ready  []int32 // children woken since the last poll; guarded by mu

	// Owned by the poller: children still to poll, from head on. It carries
	// over between polls when the coop budget runs out, so a huge combinator
	// costs O(woken children) per poll, not O(children).
	work []int32
	head int
}

// fanChild is the wake target of one child of a combinator.
type fanChild struct {
	fan    *fanIn
	idx    int32
	queued bool // in fan.ready; guarded by fan.mu
}

func (c *fanChild) wake() {
	f := c.fan
	f.mu.Lock()
	if !c.queued {
		c.queued = true
		f.ready = append(f.ready, c.idx)
	}
	w := f.parent
	f.mu.Unlock()
	w.Wake()
}

func (f *fanIn) init(kids []fanChild) {
	for i := range kids {
		kids[i] = fanChild{fan: f, idx: int32(i)}
	}
}

// take records the parent waker and moves the woken children (all of them
// on the first poll) to the work list.
func (f *fanIn) take(parent Waker, kids []fanChild, first bool) {
	f.mu.Lock()
	if !f.parent.WillWake(parent) {
		f.parent = parent
	}
	if first {
		for i := range kids {
			f.work = append(f.work, int32(i))
		}
	}
	for _, i := range f.ready {
		kids[i].queued = false
	}
	f.work = append(f.work, f.ready...)
	f.ready = f.ready[:0]
	f.mu.Unlock()
}

// pollWoken polls each woken child with its own waker, sharing cx's coop
// budget. poll(i, ccx) polls child i and reports whether the combinator is
// finished (then the remaining children are left alone). When the budget
// runs out first, the rest wait for the next poll and the task is woken.
// The combinator's children must not outlive a panic: if a child's poll
// panics, drop cancels every child (their async bodies unwind and run their
// defers) before the panic goes on.
func (f *fanIn) pollWoken(cx *Cx, kids []fanChild, first bool, poll func(i int, ccx *Cx) bool, drop func(*Cx)) {
	defer func() {
		if r := recover(); r != nil {
			drop(cx)
			panic(r)
		}
	}()
	f.take(cx.waker, kids, first)
	for f.head < len(f.work) {
		if cx.budget == 0 {
			cx.waker.Wake()
			return
		}
		i := f.work[f.head]
		f.head++
		ccx := cx.withWaker(Waker{target: &kids[i]})
		stop := poll(int(i), &ccx)
		cx.budget = ccx.budget
		if stop {
			break
		}
	}
	f.work, f.head = f.work[:0], 0
}

// joinAll is the future returned by JoinAll.
type joinAll[T any] struct {
	fan     fanIn
	kids    []fanChild
	futs    []Future[T] // nil once a child is done
	out     []T
	left    int
	started bool
}

// JoinAll returns a future that polls every future of fs concurrently (in
// the task that awaits it) and is ready with all their values, in the order
// of fs, once every one is ready. Each child is polled only when its own
// waker fired. A panic in a child drops the others and propagates.
// Dropping the JoinAll drops the children still pending.
func JoinAll[T any](fs ...Future[T]) Future[[]T] {
	checkFutures("JoinAll", fs)
	j := &joinAll[T]{
		kids: make([]fanChild, len(fs)),
		futs: append(make([]Future[T], 0, len(fs)), fs...), // not nil, even when empty: nil marks the end
		out:  make([]T, len(fs)),
		left: len(fs),
	}
	j.fan.init(j.kids)
	return j
}

func (j *joinAll[T]) Poll(cx *Cx) Poll[[]T] {
	if j.futs == nil {
		panic("runtime: JoinAll future polled after it completed")
	}
	first := !j.started
	j.started = true
	j.fan.pollWoken(cx, j.kids, first, j.pollChild, j.drop)
	if j.left > 0 {
		return Pending[[]T]()
	}
	out := j.out
	j.out, j.futs = nil, nil
	return Ready(out)
}

func (j *joinAll[T]) pollChild(i int, cx *Cx) bool {
	f := j.futs[i]
	if f == nil {
		return false
	}
	if v, ok := f.Poll(cx).Value(); ok {
		j.out[i] = v
		j.futs[i] = nil
		j.left--
	}
	return false
}

func (j *joinAll[T]) drop(cx *Cx) {
	for i, f := range j.futs {
		if f != nil {
			j.futs[i] = nil
			dropFuture(f, cx)
		}
	}
	j.futs = nil
}

// joinSlot is one child of Join2 or Join3, with its result.
type joinSlot[T any] struct {
	f    Future[T]
	out  T
	done bool
}

func (s *joinSlot[T]) pollSlot(cx *Cx) {
	if s.done {
		return
	}
	if v, ok := s.f.Poll(cx).Value(); ok {
		s.out, s.done, s.f = v, true, nil
	}
}

func (s *joinSlot[T]) dropSlot(cx *Cx) {
	if !s.done && s.f != nil {
		f := s.f
		s.f = nil
		dropFuture(f, cx)
	}
}

func (s *joinSlot[T]) isDone() bool { return s.done }

type slotPoller interface {
	pollSlot(cx *Cx)
	dropSlot(cx *Cx)
	isDone() bool
}

// joinN drives the two or three children of Join2 and Join3.
type joinN struct {
	fan     fanIn
	kids    [3]fanChild
	slots   [3]slotPoller
	n       int
	started bool
}

func newJoinN(slots ...slotPoller) *joinN {
	j := &joinN{n: len(slots)}
	copy(j.slots[:], slots)
	j.fan.init(j.kids[:j.n])
	return j
}

func (j *joinN) Poll(cx *Cx) Poll[struct{}] {
	first := !j.started
	j.started = true
	j.fan.pollWoken(cx, j.kids[:j.n], first, func(i int, ccx *Cx) bool {
		j.slots[i].pollSlot(ccx)
		return false
	}, j.drop)
	for _, s := range j.slots[:j.n] {
		if !s.isDone() {
			return Pending[struct{}]()
		}
	}
	return Ready(struct{}{})
}

func (j *joinN) drop(cx *Cx) {
	for _, s := range j.slots[:j.n] {
		s.dropSlot(cx)
	}
}

// Join2 runs a and b concurrently inside t (the Go form of tokio::join!) and
// returns both values once both are ready. It suspends t like Await; each
// future is polled only when its own waker fired. If either panics, the
// other is dropped and the panic propagates. If t is cancelled, both are
// dropped.
func Join2[A, B any](t *Task, a Future[A], b Future[B]) (A, B) {
	t.check("Join2")
	if a == nil || b == nil {
		panic("runtime: Join2 of a nil Future")
	}
	sa, sb := &joinSlot[A]{f: a}, &joinSlot[B]{f: b}
	j := newJoinN(sa, sb)
	Await(t, Future[struct{}](j))
	return sa.out, sb.out
}

// Join3 is Join2 for three futures.
func Join3[A, B, C any](t *Task, a Future[A], b Future[B], c Future[C]) (A, B, C) {
	t.check("Join3")
	if a == nil || b == nil || c == nil {
		panic("runtime: Join3 of a nil Future")
	}
	sa, sb, sc := &joinSlot[A]{f: a}, &joinSlot[B]{f: b}, &joinSlot[C]{f: c}
	j := newJoinN(sa, sb, sc)
	Await(t, Future[struct{}](j))
	return sa.out, sb.out, sc.out
}

// checkFutures panics when one of the futures given to the combinator what
// is nil: polled, it would never be ready, and the combinator would wait
// forever.
func checkFutures[T any](what string, fs []Future[T]) {
	for i, f := range fs {
		if f == nil {
			panic(fmt.Sprintf("runtime: %s: future %d of %d is nil", what, i, len(fs)))
		}
	}
}
