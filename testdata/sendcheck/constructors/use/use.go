// Package use spawns futures made by constructors of package ctor and of
// its own, whose capturesParams facts say what the task captures.
package use

import (
	"bufio"
	"os"

	"asynclint.test/sendcheck/constructors/ctor"
	"github.com/asynclint/asynclint/runtime"
)

func crossPackage(t *runtime.Task) {
	l := &ctor.Local{}
	runtime.Spawn(t, ctor.UseLocal(l)) // want `l is captured by a task spawned with runtime.Spawn but its type \*ctor.Local contains runtime.NoSend \(bound to one worker; use SpawnLocal\)`
}

func throughWrapper(t *runtime.Task) {
	l := &ctor.Local{}
	runtime.Spawn(t, ctor.Wrap("x", l)) // want `l is captured by a task spawned with runtime.Spawn but its type \*ctor.Local contains runtime.NoSend`
}

func receiver(t *runtime.Task) {
	l := &ctor.Local{}
	runtime.Spawn(t, l.Run()) // want `l is captured by a task spawned with runtime.Spawn but its type \*ctor.Local contains runtime.NoSend`
}

func generic(t *runtime.Task) {
	l := &ctor.Local{}
	runtime.Spawn(t, ctor.Hold(l)) // want `l is captured by a task spawned with runtime.Spawn but its type \*ctor.Local contains runtime.NoSend`
}

func cycle(rt *runtime.Runtime) {
	runtime.SpawnOn(rt, ctor.Ping(&ctor.Local{}, 3)) // want `&ctor.Local{} is captured by a task spawned with runtime.SpawnOn but its type \*ctor.Local contains runtime.NoSend`
}

func storedInStruct(t *runtime.Task) {
	w := bufio.NewWriter(os.Stdout)
	runtime.Spawn(t, ctor.Flusher(1, w)) // want `w is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: \*bufio.Writer is not safe`
	w.WriteString("more")
}

func pollFunc(t *runtime.Task) {
	w := bufio.NewWriter(os.Stdout)
	h := runtime.Spawn(t, ctor.Poller(w)) // want `w is captured by a task spawned with runtime.Spawn and also used by the spawner`
	w.Flush()
	runtime.Await(t, h)
}

func reassigned(t *runtime.Task) {
	runtime.Spawn(t, ctor.Reassigned(new(ctor.Local))) // want `new\(ctor.Local\) is captured by a task spawned with runtime.Spawn`
}

// Through a local variable holding the constructed future.
func throughLocal(t *runtime.Task) {
	l := &ctor.Local{}
	f := ctor.UseLocal(l) // want `l is captured by a task spawned with runtime.Spawn`
	runtime.Spawn(t, f)
}

// A constructor of this package.
type localCache struct {
	runtime.NoSend
	m map[string]int
}

func useLocal(l *localCache) runtime.Future[int] { // want useLocal:"capturesParams\\(0\\)"
	return runtime.Async(func(t *runtime.Task) int { return len(l.m) })
}

func samePackage(t *runtime.Task) {
	l := &localCache{}
	runtime.Spawn(t, useLocal(l)) // want `l is captured by a task spawned with runtime.Spawn but its type \*localCache contains runtime.NoSend`
}

// Negative: the constructor does not keep its argument.
func notCaptured(t *runtime.Task) {
	l := &ctor.Local{}
	runtime.Spawn(t, ctor.Ignores(l))
}

// Negative: the argument that is captured is an int.
func plainArgument(t *runtime.Task) {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	runtime.Spawn(t, ctor.Flusher(3, nil))
}

// Negative: SpawnLocal keeps the task here.
func pinned(t *runtime.Task) {
	l := &ctor.Local{}
	runtime.SpawnLocal(t, ctor.UseLocal(l))
}

// Negative: awaited, not spawned.
func awaited(t *runtime.Task) int {
	l := &ctor.Local{}
	return runtime.Await(t, ctor.UseLocal(l))
}

// Negative: the writer is used only after the task was joined.
func joined(t *runtime.Task) {
	w := bufio.NewWriter(os.Stdout)
	h := runtime.Spawn(t, ctor.Flusher(1, w))
	runtime.Await(t, h)
	w.WriteString("after")
}
