// Package offload is checked with configured functions: an offload
// function, an allowlist and an extra blocking function.
package offload

import (
	"time"

	"github.com/asynclint/asynclint/runtime"
)

// Submit runs fn on a pool and waits for it: configured as offload.
func Submit(fn func()) { // want Submit:"mayBlock\\(Submit -> channel receive\\)"
	done := make(chan struct{})
	go func() { fn(); close(done) }()
	<-done
}

// Quick sleeps for a microsecond: configured as allowed.
func Quick() { // want Quick:"mayBlock\\(Quick -> time\\.Sleep\\)"
	time.Sleep(time.Microsecond)
}

// Fetch is configured as blocking: it calls out through a function value
// the analysis cannot follow.
func Fetch(do func() string) string { return do() }

func viaQuick() { Quick() } // Quick is allowed: not followed

func task(t *runtime.Task) { // want task:"mayBlock\\(task -> Fetch\\)"
	Submit(func() { time.Sleep(time.Second) })
	Quick()
	viaQuick()
	Fetch(func() string { return "" }) // want `Fetch blocks the worker thread; use FetchAsync`
}
