// Package config declares types that the test configuration marks as bound
// to one worker (span) and as unsafe for concurrent use (tally).
package config

import (
	"io"

	"github.com/asynclint/asynclint/runtime"
)

// span is worker-bound by configuration, without embedding runtime.NoSend.
type span struct{ id int }

type request struct {
	name string
	sp   *span
}

func configuredNoSend(t *runtime.Task) {
	sp := &span{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return sp.id // want `sp is captured by a task spawned with runtime.Spawn but its type \*span contains span`
	}))
}

func configuredNoSendNested(t *runtime.Task) {
	req := request{sp: &span{}}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) string {
		return req.name // want `req is captured by a task spawned with runtime.Spawn but its type request contains span`
	}))
}

// tally is unsafe for concurrent use by configuration: it writes through an
// interface, which the analyzer cannot see into.
type tally struct{ w io.Writer }

func (t *tally) Add() { t.w.Write([]byte{1}) } // want Add:"paramAccesses\\(0.f0:r\\)"

func configuredUnsafe(t *runtime.Task) {
	tl := &tally{w: io.Discard}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		tl.Add() // want `tl is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: \*tally is not safe for concurrent use`
		return 0
	}))
	tl.Add()
}
