// Package annotations marks functions blocking or nonblocking by hand.
package annotations

import (
	"time"

	"github.com/asynclint/asynclint/runtime"
)

// cgoSleep calls into C, which the analysis cannot see.
//
//asynclint:blocking calls C.usleep
func cgoSleep() {} // want cgoSleep:"mayBlock\\(cgoSleep\\)"

func viaCgo() { // want viaCgo:"mayBlock\\(viaCgo -> cgoSleep\\)"
	cgoSleep()
}

// ready receives from a channel that is always closed before it runs.
//
//asynclint:nonblocking the channel is closed at init
func ready(done chan struct{}) {
	<-done
}

func task(t *runtime.Task, done chan struct{}) { // want task:"mayBlock\\(task -> cgoSleep\\)"
	cgoSleep() // want `call to cgoSleep blocks the worker \(cgoSleep, marked blocking: calls C.usleep\)`
	viaCgo()   // want `call to viaCgo blocks the worker \(viaCgo -> cgoSleep, marked blocking: calls C.usleep\)`
	ready(done)
}

// A directive without a reason is malformed and ignored (the directives
// check reports it).
//
//asynclint:nonblocking
func unexplained() { // want unexplained:"mayBlock\\(unexplained -> time\\.Sleep\\)"
	time.Sleep(time.Millisecond)
}

func taskUnexplained(t *runtime.Task) { // want taskUnexplained:"mayBlock\\(taskUnexplained -> unexplained -> time\\.Sleep\\)"
	unexplained() // want `call to unexplained blocks the worker \(unexplained -> time.Sleep\)`
}
