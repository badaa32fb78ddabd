// Package callbacks holds blocking calls inside closures that the standard
// library calls back synchronously: they run on the task's worker, so they
// are reported where they are written.
package callbacks

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

var once sync.Once

func slowLess(a, b int) bool { // want slowLess:"mayBlock\\(slowLess -> time\\.Sleep\\)"
	time.Sleep(time.Millisecond)
	return a < b
}

// handle's summary follows the closures once.Do runs, so its chain names
// the Sleep; the closures' own calls are reported in their bodies.
func handle(t *runtime.Task, xs []int) { // want handle:"mayBlock\\(handle -> time\\.Sleep\\)"
	once.Do(func() {
		time.Sleep(time.Second) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
	})
	sort.Slice(xs, func(i, j int) bool {
		return slowLess(xs[i], xs[j]) // want `call to slowLess blocks the worker \(slowLess -> time.Sleep\)`
	})
	slices.SortFunc(xs, func(a, b int) int {
		<-time.After(time.Millisecond) // want `receive from time.After\(time.Millisecond\) blocks the worker thread; use runtime.Sleep`
		return a - b
	})
}

// walk's callback reads files on the worker, as does Walk itself.
func walk(t *runtime.Task) { // want walk:"mayBlock\\(walk -> path/filepath\\.WalkDir\\)"
	_ = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error { // want `filepath.WalkDir`
		_, err = os.ReadFile(path) // want `os.ReadFile`
		return err
	})
}

// A closure captured by the task may take the Sleep fix.
func captured(t *runtime.Task) { // want captured:"mayBlock\\(captured -> time\\.Sleep\\)"
	once.Do(func() {
		_ = t
		time.Sleep(time.Second) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
	})
}

func apply(f func()) { f() }

// unknown: a closure passed to a user function or a function value may run
// anywhere, so it is not the task's; the call of apply itself is reported
// through apply's own summary only if apply blocks, and it does not.
func unknown(t *runtime.Task, g func(func())) {
	apply(func() { time.Sleep(time.Second) })
	g(func() { time.Sleep(time.Second) })
}

// elsewhere: goroutines and the blocking pool are not the worker.
func elsewhere(t *runtime.Task) int {
	go once.Do(func() { time.Sleep(time.Second) })
	h := runtime.SpawnBlocking(t, func() int {
		once.Do(func() { time.Sleep(time.Second) })
		return 1
	})
	return runtime.Await(t, h)
}

// plain code owns its goroutine.
func plain(xs []int) { // want plain:"mayBlock\\(plain -> slowLess -> time\\.Sleep\\)"
	sort.Slice(xs, func(i, j int) bool { return slowLess(xs[i], xs[j]) })
}

// initOnce blocks through the closure it hands to once.Do: the chain goes
// through the callback, so a task calling initOnce is reported by default.
func initOnce() { // want initOnce:"mayBlock\\(initOnce -> time\\.Sleep\\)"
	once.Do(func() { time.Sleep(1) })
}

func callsInitOnce(t *runtime.Task) { // want callsInitOnce:"mayBlock\\(callsInitOnce -> initOnce -> time\\.Sleep\\)"
	initOnce() // want `call to initOnce blocks the worker \(initOnce -> time.Sleep\)`
}
