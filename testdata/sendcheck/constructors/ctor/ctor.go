// Package ctor defines future constructors; sendcheck exports a
// capturesParams fact for each parameter that flows into the future.
package ctor

import (
	"bufio"
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// Local is bound to the worker that made it.
type Local struct {
	runtime.NoSend
	N int
}

// UseLocal captures l in its Async closure.
func UseLocal(l *Local) runtime.Future[int] { // want UseLocal:"capturesParams\\(0\\)"
	return runtime.Async(func(t *runtime.Task) int { return l.N })
}

type flusher struct {
	n int
	w *bufio.Writer
}

func (f *flusher) Poll(cx *runtime.Cx) runtime.Poll[int] { // want Poll:"paramAccesses\\(0.f0:r 0.f1:r 0.f1\\*:w\\)"
	f.w.Flush()
	return runtime.Ready(f.n)
}

// Flusher stores w (and n) in the returned struct.
func Flusher(n int, w *bufio.Writer) runtime.Future[int] { // want Flusher:"capturesParams\\(0,1\\)"
	return &flusher{n: n, w: w}
}

// Wrap captures l through another constructor's fact.
func Wrap(label string, l *Local) runtime.Future[int] { // want Wrap:"capturesParams\\(1\\)"
	return UseLocal(l)
}

// Ignores reads l before returning a future that does not hold it: no fact.
func Ignores(l *Local) runtime.Future[int] { // want Ignores:"paramAccesses\\(0.f1:r\\)"
	n := l.N
	return runtime.Async(func(t *runtime.Task) int { return n })
}

// Run captures its receiver.
func (l *Local) Run() runtime.Future[int] { // want Run:"capturesParams\\(0\\)"
	return runtime.Async(func(t *runtime.Task) int { return l.N })
}

// Hold is generic: its fact is on the generic function.
func Hold[T any](v T) runtime.Future[T] { // want Hold:"capturesParams\\(0\\)"
	return runtime.Async(func(t *runtime.Task) T { return v })
}

// Ping and Pong call each other: the cycle converges to both capturing l.
func Ping(l *Local, n int) runtime.Future[int] { // want Ping:"capturesParams\\(0\\)"
	if n == 0 {
		return UseLocal(l)
	}
	return Pong(l, n-1)
}

// Pong is Ping's other half.
func Pong(l *Local, n int) runtime.Future[int] { // want Pong:"capturesParams\\(0\\)"
	return Ping(l, n)
}

// Poller captures w in a PollFunc closure.
func Poller(w *bufio.Writer) runtime.Future[int] { // want Poller:"capturesParams\\(0\\)"
	return runtime.PollFunc[int](func(cx *runtime.Cx) runtime.Poll[int] {
		return runtime.Ready(w.Buffered())
	})
}

// Reassigned captures a parameter that it also reassigns: the closure holds
// a heap cell initialized from the parameter.
func Reassigned(l *Local) runtime.Future[int] { // want Reassigned:"capturesParams\\(0\\)"
	f := runtime.Async(func(t *runtime.Task) int { return l.N })
	l = nil
	return f
}

// Go is a spawn helper: it spawns its future parameter on any worker.
func Go[T any](t *runtime.Task, f runtime.Future[T]) *runtime.JoinHandle[T] { // want Go:"spawnsParams\\(1\\)"
	return runtime.Spawn(t, f)
}

// GoNamed spawns through Go, after an interface conversion.
func GoNamed(name string, t *runtime.Task, f runtime.Future[int]) { // want GoNamed:"spawnsParams\\(2\\)"
	Go[int](t, f)
}

// Pinned spawns its parameter with SpawnLocal: not a spawn helper.
func Pinned(t *runtime.Task, f runtime.Future[int]) *runtime.JoinHandle[int] {
	return runtime.SpawnLocal(t, f)
}

// Awaits awaits its parameter: not a spawn helper.
func Awaits(t *runtime.Task, f runtime.Future[int]) int { // want Awaits:"awaitsParams\\(1\\)"
	return runtime.Await(t, f)
}

// Both joins futures built from both arguments.
func Both(a, b *Local) runtime.Future[[]int] { // want Both:"capturesParams\\(0,1\\)"
	return runtime.JoinAll(UseLocal(a), UseLocal(b))
}

// Counter is a plain struct with a method that writes it.
type Counter struct{ N int }

// Inc writes c.N without a lock.
func (c *Counter) Inc() { c.N++ } // want Inc:"paramAccesses\\(0.f0:r 0.f0:w\\)"

// Step writes c.N as a task body (a method value of another package).
func (c *Counter) Step(t *runtime.Task) int { // want Step:"paramAccesses\\(0.f0:r 0.f0:w\\)"
	c.N++
	return c.N
}

// Ticker is a user future of this package: polling it writes its field.
type Ticker struct{ Ticks int }

func (k *Ticker) Poll(cx *runtime.Cx) runtime.Poll[int] { // want Poll:"paramAccesses\\(0.f0:r 0.f0:w\\)"
	k.Ticks++
	return runtime.Ready(k.Ticks)
}

// Guarded is a counter guarded by a mutex that Do holds around a closure.
type Guarded struct {
	mu sync.Mutex
	N  int
}

// Do runs f with g's mutex held.
func (g *Guarded) Do(f func()) { // want Do:"lockedCalls\\(1:0.f0\\)" Do:"callsParams\\(1\\)"
	g.mu.Lock()
	defer g.mu.Unlock()
	f()
}

// WithRead runs f with rw read-locked.
func WithRead(rw *sync.RWMutex, f func()) { // want WithRead:"lockedCalls\\(1:0#r\\)" WithRead:"callsParams\\(1\\)"
	rw.RLock()
	f()
	rw.RUnlock()
}

// Each calls f once, before it returns.
func Each(f func()) { f() } // want Each:"callsParams\\(0\\)"

// Bump writes g.N through a closure that Each calls: its fact carries the
// write to importers.
func (g *Guarded) Bump() { Each(func() { g.N++ }) } // want Bump:"paramAccesses\\(0.f1:r 0.f1:w\\)"
