package use

import (
	"sync"

	"asynclint.test/sendcheck/constructors/ctor"
	"github.com/asynclint/asynclint/runtime"
)

// A spawn helper of another package is checked like runtime.Spawn.
func helperNoSend(t *runtime.Task) {
	l := &ctor.Local{}
	ctor.Go(t, runtime.Async(func(t *runtime.Task) int {
		return l.N // want `l is captured by a task spawned with ctor.Go but its type \*ctor.Local contains runtime.NoSend`
	}))
}

func helperRace(t *runtime.Task) {
	hits := 0
	ctor.GoNamed("hits", t, runtime.Async(func(t *runtime.Task) int {
		hits++ // want `hits is captured by a task spawned with ctor.GoNamed and also written by the spawner`
		return 0
	}))
	hits++
}

// The helper's handle is awaited before the spawner writes.
func helperJoined(t *runtime.Task) {
	hits := 0
	h := ctor.Go(t, runtime.Async(func(t *runtime.Task) int {
		hits++
		return 0
	}))
	runtime.Await(t, h)
	hits++
}

// Helpers that pin or await are not spawns.
func helperPinned(t *runtime.Task) {
	l := &ctor.Local{}
	hits := 0
	ctor.Pinned(t, runtime.Async(func(t *runtime.Task) int {
		hits++
		return l.N
	}))
	ctor.Awaits(t, runtime.Async(func(t *runtime.Task) int {
		hits++
		return l.N
	}))
	hits++
}

// A method of another package writes the captured struct, through its
// paramAccesses fact.
func crossPackageMethod(t *runtime.Task) int {
	c := &ctor.Counter{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		c.Inc() // want `c is captured by a task spawned with runtime.Spawn and also read by the spawner`
		return 0
	}))
	return c.N
}

// A lock helper of another package, through its lockedCalls fact.
func crossPackageLockHelper(t *runtime.Task) {
	g := &ctor.Guarded{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		g.Do(func() { g.N++ })
		return 0
	}))
	g.Do(func() { g.N++ })
	runtime.Await(t, h)
}

// A read-locking helper of another package around a reading closure.
func crossPackageReadHelper(t *runtime.Task) {
	var rw sync.RWMutex
	m := map[string]int{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		n := 0
		ctor.WithRead(&rw, func() { n = m["k"] })
		return n
	}))
	rw.Lock()
	m["k"] = 1
	rw.Unlock()
	runtime.Await(t, h)
}

// The positive twin: the spawner writes without the helper.
func crossPackageLockHelperBypassed(t *runtime.Task) {
	g := &ctor.Guarded{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		g.Do(func() { g.N++ }) // want `g is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	g.N++
	runtime.Await(t, h)
}

// The positive twin: writes under the read-locking helper on both sides.
func crossPackageWriteUnderReadHelper(t *runtime.Task) {
	var rw sync.RWMutex
	m := map[string]int{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		ctor.WithRead(&rw, func() { m["k"] = 2 }) // want `m is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	ctor.WithRead(&rw, func() { m["k"] = 1 })
	runtime.Await(t, h)
}

// A closure in a method of another package counts at the method's call.
func closureInImportedMethod(t *runtime.Task) {
	g := &ctor.Guarded{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		g.Bump() // want `g is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	g.N = 1
	runtime.Await(t, h)
}

type counter struct{ n int }

// inc hands its closure to another package's helper that calls it.
func (c *counter) inc() { ctor.Each(func() { c.n++ }) } // want inc:"paramAccesses\\(0.f0:r 0.f0:w\\)"

func closureToImportedHelper(t *runtime.Task) int {
	c := &counter{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		c.inc() // want `c is captured by a task spawned with runtime.Spawn and also read by the spawner`
		return 0
	}))
	n := c.n
	runtime.Await(t, h)
	return n
}
