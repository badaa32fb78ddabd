package runtime

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
)

// PanicError is the value a joiner panics with when the task it awaits
// panicked: it carries the original panic value and the stack of the
// goroutine that panicked, taken at the panic site.
//
// Awaiting the JoinHandle of a panicked task, or BlockOn of a panicking
// future, panics with a *PanicError. A panic that crosses several nested
// async bodies is wrapped once: the innermost stack is kept.
type PanicError struct {
	Value  any    // the value passed to panic
	Stack  []byte // the stack at the panic site, as debug.Stack prints it
	TaskID uint64 // the id of the task that panicked (0 if not known)
}

// Error returns the panic value followed by the original stack.
func (e *PanicError) Error() string {
	return fmt.Sprintf("runtime: task %d panicked: %v\n\n[original stack]\n%s", e.TaskID, e.Value, e.Stack)
}

// Unwrap returns Value when it is an error, so that errors.Is and errors.As
// see through a task panic.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// asPanicError wraps a recovered value, unless it already is a *PanicError
// coming from a nested body (whose stack is the more precise one). It must
// be called from the deferred function that recovered r, so that the stack
// still shows the panic site.
func asPanicError(r any) *PanicError {
	if pe, ok := r.(*PanicError); ok {
		return pe
	}
	return &PanicError{Value: r, Stack: debug.Stack()}
}

// ErrAborted is the value a joiner panics with when it awaits the JoinHandle
// of a task that was aborted before it completed (the counterpart of tokio's
// JoinError::Cancelled). Awaiting the handle of a task that completed before
// Abort took effect returns its value normally.
var ErrAborted = errors.New("runtime: awaited task was aborted")

// cancelSignal is the unexported sentinel with which Await unwinds a
// cancelled async body. See IsCancelled.
type cancelSignal struct{}

func (*cancelSignal) String() string { return "runtime: async body cancelled" }

var errCancelled = &cancelSignal{}

// IsCancelled reports whether v, a value returned by recover() inside an
// async body, is the signal that unwinds a cancelled body. Cancellation
// (JoinHandle.Abort, a lost Race, an expired Timeout, Runtime.Close) makes
// the body's pending Await panic with this signal so that its defers run.
// Code that recovers panics inside an async body must re-panic such a value:
//
//	defer func() {
//		if r := recover(); r != nil {
//			if runtime.IsCancelled(r) {
//				panic(r)
//			}
//			...
//		}
//	}()
//
// A body that swallows the signal anyway still counts as cancelled: its
// next Await panics again, and its result is discarded. For the same reason
// a cancelled body cannot await anything in its defers: cleanup there must
// not suspend (unlocking an async Mutex, for instance, does not).
func IsCancelled(v any) bool { return v == any(errCancelled) }

// defaultPanicHandler is the policy for the panic of a detached task when no
// WithPanicHandler option is given: crash the process the way an
// unrecovered goroutine panic does (message and stack on stderr, exit code 2).
func defaultPanicHandler(pe *PanicError) {
	fmt.Fprintf(os.Stderr, "panic: %v [in detached task %d]\n\n%s\n", pe.Value, pe.TaskID, pe.Stack)
	os.Exit(2)
}
