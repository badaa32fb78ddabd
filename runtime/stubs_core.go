package runtime

import "time"

// TEMPORARY: placeholders that fix the exported signatures. Each is replaced
// by its real implementation in its own file (task.go, scheduler.go, ...). Owned by the core runtime work.

func unimplemented() { panic("runtime: not implemented yet") }

// Task is the handle of a running async body, passed to it by Async.
type Task struct{}

// Async returns a lazy future that runs body as a stackful coroutine.
func Async[T any](body func(t *Task) T) Future[T] { unimplemented(); return nil }

// Await polls f from inside t's body, suspending t until f is ready.
func Await[T any](t *Task, f Future[T]) T { unimplemented(); var z T; return z }

// Option configures a Runtime.
type Option func(*config)

type config struct{}

// worker is a placeholder for the scheduler's worker thread.
type worker struct{}

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
