package runtime

import (
	"context"
	"sync"
)

// Bridges between the runtime and plain Go code.

// FromGoChan returns a future that receives one value from the Go channel ch,
// with OK false if ch is closed. It lets a task wait for a goroutine without
// blocking its worker, which a plain <-ch inside a task would do.
//
// Cost: if a value is ready at the first poll, nothing is started. Otherwise
// the future starts one helper goroutine (about 2.7 KB of stack and a few
// hundred nanoseconds) that waits on ch and wakes the task; it exits when it
// receives or when the future is cancelled. Prefer a Chan between tasks.
//
// Under WithVirtualTime the clock does not wait for the goroutine that will
// send on ch (see WithVirtualTime).
//
// Cancel safety: Cancel stops the helper goroutine and waits for it to exit
// (a goroutine switch), so a value sent on ch after Cancel returned stays in
// ch. If the helper had already taken a value that the future did not return
// yet, that value is lost, since a Go channel cannot take it back. A future
// awaited to completion loses nothing.
func FromGoChan[T any](ch <-chan T) *GoChanFuture[T] {
	return &GoChanFuture[T]{ch: ch}
}

// GoChanFuture is the future returned by FromGoChan. It is a
// Future[Received[T]].
type GoChanFuture[T any] struct {
	ch <-chan T

	mu      sync.Mutex
	started bool          // the helper goroutine runs or ran; guarded by mu
	stop    chan struct{} // closed by Cancel to stop the helper
	exited  chan struct{} // closed by the helper when it returns
	arrived bool          // the helper received got; guarded by mu
	got     Received[T]   // guarded by mu
	waker   Waker         // guarded by mu
	over    bool          // completed or cancelled; guarded by mu
}

// Poll implements Future.
func (f *GoChanFuture[T]) Poll(cx *Cx) Poll[Received[T]] {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.over {
		panic("runtime: FromGoChan future polled after it completed or was cancelled")
	}
	if f.arrived {
		f.over = true
		return Ready(f.got)
	}
	f.waker = cx.Waker()
	if f.started {
		return Pending[Received[T]]()
	}
	select {
	case v, ok := <-f.ch:
		f.over = true
		return Ready(Received[T]{v, ok})
	default:
	}
	f.started = true
	f.stop, f.exited = make(chan struct{}), make(chan struct{})
	go f.wait(f.stop, f.exited)
	return Pending[Received[T]]()
}

// wait is the helper goroutine: it receives from ch for the future.
func (f *GoChanFuture[T]) wait(stop <-chan struct{}, exited chan<- struct{}) {
	defer close(exited)
	select {
	case v, ok := <-f.ch:
		f.mu.Lock()
		f.arrived, f.got = true, Received[T]{v, ok}
		w := f.waker
		f.mu.Unlock()
		w.Wake()
	case <-stop:
	}
}

func (f *GoChanFuture[T]) drop(*Cx) { f.Cancel() }

// Cancel stops waiting and returns once the helper goroutine has exited. It
// does nothing once Poll returned Ready, and nothing when called again.
func (f *GoChanFuture[T]) Cancel() {
	f.mu.Lock()
	if f.over {
		f.mu.Unlock()
		return
	}
	f.over = true
	started := f.started
	if started {
		close(f.stop)
	}
	f.mu.Unlock()
	if started {
		// The helper is parked in its select or about to record a value
		// (which takes f.mu, released above); either way it returns at once.
		<-f.exited
	}
}

// AwaitBlocking runs fn on the blocking pool (see SpawnBlocking) and suspends
// t until it returns its result. fn receives a context that is cancelled when
// t is cancelled while it waits (JoinHandle.Abort, a lost Race, an expired
// Timeout), so that blocking code such as an HTTP request made with
// http.NewRequestWithContext stops early instead of running on for nobody.
// The context is also cancelled once fn has returned.
//
// Cost: one context.WithCancel and one SpawnBlocking. The cancellation is
// delivered by the unwinding of t's body, so it takes effect as soon as the
// runtime cancels t; fn must watch ctx to stop, as with any context.
func AwaitBlocking[T any](t *Task, fn func(ctx context.Context) T) T {
	if fn == nil {
		panic("runtime: AwaitBlocking with a nil function")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	return Await(t, SpawnBlocking(t, func() T { return fn(ctx) }))
}
