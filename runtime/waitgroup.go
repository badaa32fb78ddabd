package runtime

import "sync"

// WaitGroup waits for a collection of tasks (or goroutines) to finish, like
// sync.WaitGroup, except that Wait suspends the calling task instead of
// blocking its worker. sync.WaitGroup.Wait inside a task freezes the worker,
// and on a one-worker runtime the tasks it waits for can then never run.
//
// The zero value is ready to use. A WaitGroup must not be copied after first
// use. Add and Done may be called from any task or goroutine.
type WaitGroup struct {
	mu      sync.Mutex
	count   int            // guarded by mu
	waiters list[struct{}] // guarded by mu
}

// Add adds delta, which may be negative, to the counter. When the counter
// reaches zero every waiting task is woken. It panics if the counter goes
// negative.
func (wg *WaitGroup) Add(delta int) {
	var wl wakeList
	wg.mu.Lock()
	wg.count += delta
	if wg.count < 0 {
		wg.count -= delta
		wg.mu.Unlock()
		panic("runtime: negative WaitGroup counter")
	}
	if wg.count == 0 {
		for w := wg.waiters.popFront(); w != nil; w = wg.waiters.popFront() {
			w.state = nodeGranted
			wl.add(w.waker)
		}
	}
	wg.mu.Unlock()
	wl.wake()
}

// Done decrements the counter by one.
func (wg *WaitGroup) Done() { wg.Add(-1) }

// Wait suspends t until the counter is zero. It returns at once if it is zero
// already.
//
// Cancel safety: a cancelled Wait leaves the queue and affects nobody else.
func (wg *WaitGroup) Wait(t *Task) {
	coop(t, "WaitGroup.Wait")
	f := wg.WaitFuture()
	defer f.Cancel()
	t.awaitUnit(f)
}

// WaitFuture returns a future that completes when the counter is zero: the
// poll-level form of Wait. Code that drops a pending WaitFuture itself
// (rather than through Race, Timeout or Abort, which cancel it) calls Cancel so
// that it leaves the queue.
func (wg *WaitGroup) WaitFuture() *WaitGroupFuture {
	return &WaitGroupFuture{wg: wg}
}

// WaitGroupFuture is a pending WaitGroup.Wait. It is a Future[struct{}].
type WaitGroupFuture struct {
	wg *WaitGroup
	w  node[struct{}] // guarded by wg.mu
}

// Poll implements Future.
func (f *WaitGroupFuture) Poll(cx *Cx) Poll[struct{}] {
	wg := f.wg
	wg.mu.Lock()
	defer wg.mu.Unlock()
	switch f.w.state {
	case nodeIdle:
		if wg.count == 0 {
			f.w.state = nodeDone
			return Ready(struct{}{})
		}
		f.w.waker = cx.Waker()
		f.w.state = nodeQueued
		wg.waiters.pushBack(&f.w)
	case nodeQueued:
		f.w.waker = cx.Waker()
	case nodeGranted:
		f.w.state = nodeDone
		return Ready(struct{}{})
	default:
		panic("runtime: WaitGroup future polled after it completed or was cancelled")
	}
	return Pending[struct{}]()
}

func (f *WaitGroupFuture) drop(*Cx) { f.Cancel() }

// Cancel abandons a pending wait. It does nothing after Poll returned Ready,
// and nothing when called again.
func (f *WaitGroupFuture) Cancel() {
	wg := f.wg
	wg.mu.Lock()
	switch f.w.state {
	case nodeQueued:
		wg.waiters.remove(&f.w)
		f.w.state = nodeCancelled
	case nodeIdle, nodeGranted:
		f.w.state = nodeCancelled
	}
	wg.mu.Unlock()
}
