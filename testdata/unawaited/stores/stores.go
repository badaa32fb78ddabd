// Package stores covers futures handed to the heap: fields, maps, globals
// and channels. Someone else may await them, so none is reported.
package stores

import (
	"github.com/asynclint/asynclint/runtime"
)

func doWork(n int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return n })
}

type pool struct {
	next    runtime.Future[int]
	pending []runtime.Future[int]
	byName  map[string]runtime.Future[int]
}

var global runtime.Future[int]

func field(p *pool) {
	p.next = doWork(1)
}

func fieldSlice(p *pool) {
	p.pending = append(p.pending, doWork(2))
}

func mapValue(p *pool) {
	p.byName["a"] = doWork(3)
}

func globalVar() {
	global = doWork(4)
}

func channel(ch chan runtime.Future[int]) {
	ch <- doWork(5)
}

func structLiteral() *pool {
	return &pool{next: doWork(6)}
}

func pointerParam(dst *runtime.Future[int]) {
	*dst = doWork(7)
}

// Positive case: a local struct that never leaves the function.

func localStruct(t *runtime.Task) bool {
	var p pool
	p.next = doWork(8) // want `future returned by doWork is never awaited`
	return p.next == nil
}

type request struct{ f runtime.Future[int] }

func submit(r request) {}

func structValue() {
	submit(request{f: doWork(9)})
}

func selectSend(ch chan runtime.Future[int], done chan bool) {
	select {
	case ch <- doWork(10):
	case <-done:
	}
}
