// Package runtime is a cooperative async runtime for Go, modeled on Rust
// futures and tokio.
//
// Futures are lazy state machines: nothing happens until a runtime polls them.
// A future that cannot make progress returns Pending after registering the
// waker from its Cx; the runtime polls it again only after that waker fires.
// Async bodies (see Async) are stackful coroutines that suspend at Await.
// Tasks share a handful of worker threads and yield only at await points, so
// a blocking call inside a task freezes its worker: that is the pitfall the
// asynclint analyzers exist to catch.
//
// When every task waits for something that can never come (a Mutex locked
// twice by one task, a Recv nobody sends to) and no timer is armed, the
// runtime's goroutines all wait on channels, and Go stops the program with
// its "all goroutines are asleep - deadlock!" error and every stack, as for
// goroutines. As with goroutines, Go cannot tell while anything else may
// still wake up: a timer elsewhere in the program, a test's -timeout, the
// monitor of WithStallReport or WithSlowPollReport; nor in a -race build.
// A worker stuck in one poll (a blocking call, a sync.Mutex held across an
// Await) is what WithStallReport reports.
//
// # Costs
//
// An Async body runs on a coroutine (a goroutine stack, 2 KB to start), and
// each suspension at Await costs a switch there and back, about 80 ns on
// two cores: the price of iter.Pull, which nothing in the runtime can lower.
// A future written as a Poll method has no coroutine. For loops that suspend
// millions of times, that is the faster form: a value's round trip between
// two tasks through unbuffered Chans on one worker (BenchmarkChanPingPong)
// takes about 230 ns between Async bodies and 140 ns between poll-level
// tasks that reuse their futures (see RecvFuture.Reset), against about
// 280 ns between two goroutines through unbuffered Go channels.
//
// A body's stack is the frames of its functions that are live at its
// awaits, plus the runtime's, about 700 bytes under an Await of a Sleep.
// The first 1,120 bytes fit in the 2 KB a goroutine starts with (the rest
// is the guard that makes a call grow the stack). A body that goes deeper
// has its stack copied to a new one of 4 KB, once: CPU time and fresh
// memory that dominate the start of many tasks at once. Large temporaries
// (string concatenation buffers, arrays, values of many words passed
// through generic code) in the functions that await are what usually cross
// the line; moving them into functions called before or after the await
// keeps the body small. TestSuspendedBodyStack checks the room the
// runtime's suspending operations leave.
package runtime

// This file is the API contract shared with the analyzers in passes/. Every
// exported name below is recognized by internal/asyncapi; change a signature
// only together with that package.

// Future is a lazy computation that produces a T. Poll advances it: it returns
// Ready with the value, or Pending after arranging for cx.Waker() to be woken
// when progress is possible. A future must not be polled after it returned
// Ready.
type Future[T any] interface {
	Poll(cx *Cx) Poll[T]
}

// Poll is the result of polling a future: either ready with a value, or
// pending. The zero value is pending.
type Poll[T any] struct {
	ready bool
	value T
}

// Ready returns a ready Poll holding v.
func Ready[T any](v T) Poll[T] { return Poll[T]{ready: true, value: v} }

// Pending returns a pending Poll.
func Pending[T any]() Poll[T] { return Poll[T]{} }

// IsReady reports whether p holds a value.
func (p Poll[T]) IsReady() bool { return p.ready }

// Value returns the value and whether p is ready.
func (p Poll[T]) Value() (T, bool) { return p.value, p.ready }

// PollFunc adapts a poll function to a Future: a stackless future whose state
// lives in the closure.
type PollFunc[T any] func(cx *Cx) Poll[T]

// Poll calls f(cx).
func (f PollFunc[T]) Poll(cx *Cx) Poll[T] { return f(cx) }

// Timed is the result of Timeout: the future's value, or TimedOut set when the
// deadline passed first (then Value is the zero value).
type Timed[T any] struct {
	Value    T
	TimedOut bool
}

// NoSend marks a type as bound to the worker that created it: the Go spelling
// of Rust's !Send. Embed it (by value) in a struct whose values must not move to
// another worker, for example because they hold thread-local state or are not
// safe for concurrent use. NoSend has no runtime effect; the sendcheck analyzer
// reports values containing it that are captured by a task spawned with Spawn
// or SpawnOn, which may run on any worker. SpawnLocal is the way to run such
// values in another task.
type NoSend struct{}
