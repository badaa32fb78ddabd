package transitive

import (
	"time"

	"github.com/asynclint/asynclint/runtime"
)

// A closure called synchronously is part of its parent.
func callsClosure() { // want callsClosure:"mayBlock\\(callsClosure -> time\\.Sleep\\)"
	nap := func() { time.Sleep(time.Millisecond) }
	nap()
}

func deferred() { // want deferred:"mayBlock\\(deferred -> later -> time\\.Sleep\\)"
	defer later()
}

func immediate(t *runtime.Task) { // want immediate:"mayBlock\\(immediate -> time\\.Sleep\\)"
	func() {
		time.Sleep(time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
	}()
}

func deferClosure(t *runtime.Task) { // want deferClosure:"mayBlock\\(deferClosure -> channel receive\\)"
	defer func() {
		<-time.After(time.Millisecond) // want `receive from time.After\(time.Millisecond\) blocks the worker thread; use runtime.Sleep`
	}()
}

// A closure that escapes is not task context, and its blocking is not the
// parent's: it may run anywhere.
func escapes(t *runtime.Task) func() {
	return func() { time.Sleep(time.Millisecond) }
}

// callsEscaped calls a closure that also escapes: nobody else reports it,
// so the call is reported here.
func callsEscaped(t *runtime.Task) func() { // want callsEscaped:"mayBlock\\(callsEscaped -> time\\.Sleep\\)"
	f := func() { time.Sleep(time.Millisecond) }
	f() // want `call to func literal blocks the worker \(time.Sleep\)`
	return f
}

func nested() { // want nested:"mayBlock\\(nested -> fetchJoke -> httpGet -> net/http\\.Get\\)"
	func() {
		func() { fetchJoke() }()
	}()
}

func taskNested(t *runtime.Task) { // want taskNested:"mayBlock\\(taskNested -> nested -> fetchJoke -> httpGet -> net/http\\.Get\\)"
	nested() // want `call to nested blocks the worker \(nested -> fetchJoke -> httpGet -> net/http.Get\)`
}
