package runtime

import "time"

// TEMPORARY: placeholders that fix the exported signatures. Each is replaced
// by its real implementation in its own file (task.go, scheduler.go, ...).

func unimplemented() { panic("runtime: not implemented yet") }

// Cx is the context a future's Poll receives: the waker of the task being
// polled, the runtime handle and the cooperative budget.
type Cx struct{}

// Waker returns the waker of the task being polled.
func (cx *Cx) Waker() Waker { unimplemented(); return Waker{} }

// Waker wakes a pending task so that it is polled again. The zero Waker does
// nothing. Wake is safe to call from any goroutine, any number of times.
type Waker struct{}

// Wake schedules the task for another poll.
func (w Waker) Wake() { unimplemented() }

// Task is the handle of a running async body, passed to it by Async.
type Task struct{}

// Async returns a lazy future that runs body as a stackful coroutine.
func Async[T any](body func(t *Task) T) Future[T] { unimplemented(); return nil }

// Await polls f from inside t's body, suspending t until f is ready.
func Await[T any](t *Task, f Future[T]) T { unimplemented(); var z T; return z }

// Option configures a Runtime.
type Option func(*config)

type config struct{}

// WithWorkers sets the number of worker threads; 1 is the current-thread flavor.
func WithWorkers(n int) Option { return nil }

// WithBlockingThreads bounds the pool that runs SpawnBlocking closures.
func WithBlockingThreads(n int) Option { return nil }

// WithVirtualTime makes the clock paused, jumping to the next timer when idle.
func WithVirtualTime() Option { return nil }

// Runtime is an executor with worker threads, a timer wheel and a blocking pool.
type Runtime struct{}

// New starts a runtime.
func New(opts ...Option) *Runtime { unimplemented(); return nil }

// Close shuts the runtime down.
func (rt *Runtime) Close() { unimplemented() }

// BlockOn runs f on rt and blocks the calling goroutine until it completes.
func BlockOn[T any](rt *Runtime, f Future[T]) T { unimplemented(); var z T; return z }

// Run is New, BlockOn and Close.
func Run[T any](f Future[T], opts ...Option) T { unimplemented(); var z T; return z }

// JoinHandle is the handle of a spawned task; it is a Future of its result.
type JoinHandle[T any] struct{}

// Poll implements Future.
func (h *JoinHandle[T]) Poll(cx *Cx) Poll[T] { unimplemented(); return Poll[T]{} }

// Abort cancels the task.
func (h *JoinHandle[T]) Abort() { unimplemented() }

// IsFinished reports whether the task has completed.
func (h *JoinHandle[T]) IsFinished() bool { unimplemented(); return false }

// Spawn starts f as a new task that may run on any worker.
func Spawn[T any](t *Task, f Future[T]) *JoinHandle[T] { unimplemented(); return nil }

// SpawnOn starts f as a new task on rt from outside a task.
func SpawnOn[T any](rt *Runtime, f Future[T]) *JoinHandle[T] { unimplemented(); return nil }

// SpawnLocal starts f as a new task pinned to the current worker.
func SpawnLocal[T any](t *Task, f Future[T]) *JoinHandle[T] { unimplemented(); return nil }

// SpawnBlocking runs fn on the blocking pool.
func SpawnBlocking[T any](t *Task, fn func() T) *JoinHandle[T] { unimplemented(); return nil }

// Join2 polls a and b concurrently within t.
func Join2[A, B any](t *Task, a Future[A], b Future[B]) (A, B) {
	unimplemented()
	var za A
	var zb B
	return za, zb
}

// Join3 polls a, b and c concurrently within t.
func Join3[A, B, C any](t *Task, a Future[A], b Future[B], c Future[C]) (A, B, C) {
	unimplemented()
	var za A
	var zb B
	var zc C
	return za, zb, zc
}

// JoinAll returns a future of all the results, in order.
func JoinAll[T any](fs ...Future[T]) Future[[]T] { unimplemented(); return nil }

// Race returns a future of the first result; the others are cancelled.
func Race[T any](fs ...Future[T]) Future[T] { unimplemented(); return nil }

// Sleep returns a future that completes after d.
func Sleep(d time.Duration) Future[struct{}] { unimplemented(); return nil }

// Timeout bounds f by d.
func Timeout[T any](d time.Duration, f Future[T]) Future[Timed[T]] { unimplemented(); return nil }

// YieldNow returns a future that is pending once, letting other tasks run.
func YieldNow() Future[struct{}] { unimplemented(); return nil }

// Mutex is an async-aware mutual exclusion lock that may be held across Await.
type Mutex struct{}

// Lock acquires m, suspending t while another task holds it.
func (m *Mutex) Lock(t *Task) { unimplemented() }

// LockFuture returns a future that acquires m when polled to completion.
func (m *Mutex) LockFuture() Future[struct{}] { unimplemented(); return nil }

// TryLock acquires m if it is free and reports whether it did.
func (m *Mutex) TryLock() bool { unimplemented(); return false }

// Unlock releases m.
func (m *Mutex) Unlock() { unimplemented() }

// RWMutex is an async-aware reader/writer lock.
type RWMutex struct{}

// Lock acquires the write lock, suspending t.
func (rw *RWMutex) Lock(t *Task) { unimplemented() }

// Unlock releases the write lock.
func (rw *RWMutex) Unlock() { unimplemented() }

// RLock acquires a read lock, suspending t.
func (rw *RWMutex) RLock(t *Task) { unimplemented() }

// RUnlock releases a read lock.
func (rw *RWMutex) RUnlock() { unimplemented() }

// TryLock acquires the write lock if free.
func (rw *RWMutex) TryLock() bool { unimplemented(); return false }

// TryRLock acquires a read lock if possible.
func (rw *RWMutex) TryRLock() bool { unimplemented(); return false }

// Semaphore is an async-aware counting semaphore.
type Semaphore struct{}

// NewSemaphore returns a semaphore with n permits.
func NewSemaphore(n int) *Semaphore { unimplemented(); return nil }

// Acquire takes n permits, suspending t until they are available.
func (s *Semaphore) Acquire(t *Task, n int) { unimplemented() }

// TryAcquire takes n permits if available.
func (s *Semaphore) TryAcquire(n int) bool { unimplemented(); return false }

// Release returns n permits.
func (s *Semaphore) Release(n int) { unimplemented() }

// Notify wakes tasks waiting for an event.
type Notify struct{}

// Wait suspends t until notified.
func (n *Notify) Wait(t *Task) { unimplemented() }

// NotifyOne wakes one waiter, or stores a permit if none is waiting.
func (n *Notify) NotifyOne() { unimplemented() }

// NotifyAll wakes every current waiter.
func (n *Notify) NotifyAll() { unimplemented() }

// WaitGroup waits for a collection of tasks to finish.
type WaitGroup struct{}

// Add adds delta to the counter.
func (wg *WaitGroup) Add(delta int) { unimplemented() }

// Done decrements the counter.
func (wg *WaitGroup) Done() { unimplemented() }

// Wait suspends t until the counter is zero.
func (wg *WaitGroup) Wait(t *Task) { unimplemented() }

// Chan is an async-aware channel.
type Chan[T any] struct{}

// NewChan returns a channel with the given capacity (0 is unbuffered).
func NewChan[T any](capacity int) *Chan[T] { unimplemented(); return nil }

// Send sends v, suspending t while the channel is full.
func (c *Chan[T]) Send(t *Task, v T) { unimplemented() }

// Recv receives a value, suspending t while the channel is empty.
func (c *Chan[T]) Recv(t *Task) (T, bool) { unimplemented(); var z T; return z, false }

// TrySend sends v if it can do so without suspending.
func (c *Chan[T]) TrySend(v T) bool { unimplemented(); return false }

// TryRecv receives a value if one is available without suspending.
func (c *Chan[T]) TryRecv() (v T, ok bool, closed bool) { unimplemented(); return }

// Close closes the channel.
func (c *Chan[T]) Close() { unimplemented() }
