// Package methods covers futures returned by methods, interface methods and
// method values, user future types, and direct Poll calls.
package methods

import (
	"github.com/asynclint/asynclint/runtime"
)

type service struct{ n int }

func (s *service) fetch() runtime.Future[int] {
	n := s.n
	return runtime.Async(func(t *runtime.Task) int { return n })
}

func (s *service) run(t *runtime.Task, f runtime.Future[int]) int { return runtime.Await(t, f) }

func (s *service) forget(f runtime.Future[int]) {}

type client interface {
	Get(key string) runtime.Future[string]
}

// ready is a user future type: it has the Poll method of runtime.Future.
type ready struct{ v int }

func (r ready) Poll(cx *runtime.Cx) runtime.Poll[int] { return runtime.Ready(r.v) }

func makeReady() ready { return ready{v: 1} }

func method(t *runtime.Task, s *service) {
	s.fetch() // want `future returned by s.fetch is never awaited`
}

func interfaceMethod(t *runtime.Task, c client) {
	c.Get("k") // want `future returned by c.Get is never awaited`
}

func methodValue(t *runtime.Task, s *service) {
	g := s.fetch
	g() // want `future returned by g is never awaited`
}

func userType(t *runtime.Task) {
	makeReady() // want `future returned by makeReady is never awaited`
}

func forgotten(t *runtime.Task, s *service) {
	s.forget(s.fetch()) // want `future passed to s.forget is never awaited \(s.forget ignores its parameter\)`
}

func lockFuture(t *runtime.Task, mu *runtime.Mutex) {
	mu.LockFuture() // want `future returned by mu.LockFuture is never awaited`
}

// Negative cases.

func methodAwaited(t *runtime.Task, s *service) int {
	return runtime.Await(t, s.fetch())
}

func methodConsumes(t *runtime.Task, s *service) int {
	return s.run(t, s.fetch())
}

func directPoll(cx *runtime.Cx) bool {
	r := makeReady()
	return r.Poll(cx).IsReady()
}

func interfacePoll(cx *runtime.Cx, c client) bool {
	return c.Get("k").Poll(cx).IsReady()
}

func userTypeAwaited(t *runtime.Task) int {
	return runtime.Await[int](t, makeReady())
}

func joinHandleMethods(t *runtime.Task, s *service) bool {
	h := runtime.Spawn(t, s.fetch())
	h.Abort()
	return h.IsFinished()
}

// A future held in a receiver that the method ignores: the message names
// the method as a method expression and says it ignores its receiver.

type named struct{ runtime.Future[int] }

func (named) Name() string { return "n" }

func receiverIgnored(s *service) {
	named{s.fetch()}.Name() // want `future passed to named.Name is never awaited \(named.Name ignores its receiver\)`
}
