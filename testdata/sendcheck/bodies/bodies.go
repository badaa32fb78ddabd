// Package bodies spawns tasks whose body is not a func literal: a method
// value, a named function, a PollFunc of a method value, or a value of a
// user future type polled as it is. The task's accesses are reported where
// the body makes them.
package bodies

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

type shared struct {
	n, m int
}

func (s *shared) run(t *runtime.Task) int { // want run:"paramAccesses\\(0.f0:r 0.f0:w\\)"
	s.n++ // want `s is captured by a task spawned with runtime.Spawn and also written by the spawner \(data race: the task may run on another worker; use SpawnLocal, a runtime.Mutex, or an atomic\)`
	return s.n
}

func (s *shared) other(t *runtime.Task) int { // want other:"paramAccesses\\(0.f1:r 0.f1:w\\)"
	s.m++
	return 0
}

// A method value as the body: the method runs as the task, on s.
func methodValue(t *runtime.Task) {
	s := &shared{}
	h := runtime.Spawn(t, runtime.Async(s.run))
	s.n++
	runtime.Await(t, h)
}

// Negative: the spawner writes another field.
func methodValueDisjoint(t *runtime.Task) {
	s := &shared{}
	h := runtime.Spawn(t, runtime.Async(s.other))
	s.n++
	runtime.Await(t, h)
}

// Negative: joined before the spawner writes.
func methodValueJoined(t *runtime.Task) {
	s := &shared{}
	h := runtime.Spawn(t, runtime.Async(s.run))
	runtime.Await(t, h)
	s.n++
}

type gen[T any] struct {
	n int
	v T
}

func (g *gen[T]) run(t *runtime.Task) int { // want run:"paramAccesses\\(0.f0:r 0.f0:w\\)"
	g.n++ // want `g is captured by a task spawned with runtime.Spawn and also read by the spawner`
	return 0
}

// A method value of a generic type: the generic method's body is walked.
func genericMethodValue(t *runtime.Task) int {
	g := &gen[string]{}
	h := runtime.Spawn(t, runtime.Async(g.run))
	n := g.n
	runtime.Await(t, h)
	return n
}

type poller struct {
	ticks int
}

func (p *poller) Poll(cx *runtime.Cx) runtime.Poll[int] { // want Poll:"paramAccesses\\(0.f0:r 0.f0:w\\)"
	p.ticks++ // want `p is captured by a task spawned with runtime.Spawn and also written by the spawner` `pf is captured by a task spawned with runtime.Spawn and also written by the spawner`
	return runtime.Ready(p.ticks)
}

// A PollFunc made of a method value.
func pollFuncMethod(t *runtime.Task) {
	p := &poller{}
	h := runtime.Spawn(t, runtime.PollFunc[int](p.Poll))
	p.ticks = 0
	runtime.Await(t, h)
}

// A value of a user future type, spawned as it is: its Poll runs as the
// task, on the value.
func userFuture(t *runtime.Task) {
	pf := &poller{}
	h := runtime.Spawn[int](t, pf)
	pf.ticks = 0
	runtime.Await(t, h)
}

// Negative: the future is awaited before the spawner touches it.
func userFutureJoined(t *runtime.Task) int {
	pf := &poller{}
	h := runtime.Spawn[int](t, pf)
	runtime.Await(t, h)
	return pf.ticks
}

// Negative: a user future pinned to the spawner's worker.
func userFutureLocal(t *runtime.Task) {
	pf := &poller{}
	runtime.SpawnLocal[int](t, pf)
	pf.ticks = 0
}

var hits int

func count(t *runtime.Task) int {
	hits++ // want `hits is shared with a task spawned with runtime.Spawn and also written by the spawner`
	return 0
}

// A named function as the body: its globals are shared with the spawner.
func namedBody(t *runtime.Task) {
	h := runtime.Spawn(t, runtime.Async(count))
	hits++
	runtime.Await(t, h)
}

var total int

func countTotal(t *runtime.Task) int {
	total++
	return 0
}

// Negative: the spawner writes the global only after the join.
func namedBodyJoined(t *runtime.Task) {
	h := runtime.Spawn(t, runtime.Async(countTotal))
	runtime.Await(t, h)
	total++
}

type guarded struct {
	mu sync.Mutex
	n  int
}

func (g *guarded) run(t *runtime.Task) int {
	g.mu.Lock()
	g.n++
	g.mu.Unlock()
	return 0
}

// Negative: the method locks the mutex the spawner holds too.
func methodValueLocked(t *runtime.Task) {
	g := &guarded{}
	h := runtime.Spawn(t, runtime.Async(g.run))
	g.mu.Lock()
	g.n++
	g.mu.Unlock()
	runtime.Await(t, h)
}

type genericPoller[T any] struct {
	polls int
	last  T
}

func (g *genericPoller[T]) Poll(cx *runtime.Cx) runtime.Poll[T] { // want Poll:"paramAccesses\\(0.f0:r 0.f0:w 0.f1:r\\)"
	g.polls++ // want `gp is captured by a task spawned with runtime.Spawn and also read by the spawner`
	return runtime.Ready(g.last)
}

// A value of a generic user future type: the generic Poll is walked.
func genericUserFuture(t *runtime.Task) int {
	gp := &genericPoller[string]{}
	h := runtime.Spawn[string](t, gp)
	n := gp.polls
	runtime.Await(t, h)
	return n
}

type pinnedPoller struct {
	runtime.NoSend
	polls int
}

func (p *pinnedPoller) Poll(cx *runtime.Cx) runtime.Poll[int] { // want Poll:"paramAccesses\\(0.f1:r\\)"
	return runtime.Ready(p.polls)
}

// A user future bound to one worker, spawned on any worker.
func noSendUserFuture(t *runtime.Task) {
	pp := &pinnedPoller{}
	runtime.Spawn[int](t, pp) // want `pp is captured by a task spawned with runtime.Spawn but its type \*pinnedPoller contains runtime.NoSend`
	runtime.SpawnLocal[int](t, &pinnedPoller{})
}

var flushed int

func flush() int {
	flushed++ // want `flushed is shared with a task spawned with runtime.SpawnBlocking and also read by the spawner \(data race: the closure runs on another thread; use a sync.Mutex or an atomic\)`
	return 0
}

func (s *shared) flush() int { // want flush:"paramAccesses\\(0.f1:r 0.f1:w\\)"
	s.m++ // want `s is captured by a task spawned with runtime.SpawnBlocking and also written by the spawner \(data race: the closure runs on another thread`
	return 0
}

// A named function and a method value handed to the blocking pool.
func blockingBodies(t *runtime.Task) int {
	h := runtime.SpawnBlocking(t, flush)
	n := flushed
	s := &shared{}
	h2 := runtime.SpawnBlocking(t, s.flush)
	s.m = 1
	runtime.Await(t, h)
	runtime.Await(t, h2)
	return n
}
