package use

import (
	"asynclint.test/sendcheck/constructors/ctor"
	"github.com/asynclint/asynclint/runtime"
)

// A method value of another package's type as the body: its body is not
// here, so its fact stands for it and the finding is at the spawn.
func foreignMethodValue(t *runtime.Task) {
	c := &ctor.Counter{}
	h := runtime.Spawn(t, runtime.Async(c.Step)) // want `c is captured by a task spawned with runtime.Spawn and also written by the spawner`
	c.N = 0
	runtime.Await(t, h)
}

// A value of another package's future type, spawned as it is.
func foreignFuture(t *runtime.Task) int {
	k := &ctor.Ticker{}
	h := runtime.Spawn[int](t, k) // want `k is captured by a task spawned with runtime.Spawn and also read by the spawner`
	n := k.Ticks
	runtime.Await(t, h)
	return n
}

// Negative: joined before the spawner reads.
func foreignFutureJoined(t *runtime.Task) int {
	k := &ctor.Ticker{}
	h := runtime.Spawn[int](t, k)
	runtime.Await(t, h)
	return k.Ticks
}
