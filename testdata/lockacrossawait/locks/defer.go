package locks

import "github.com/asynclint/asynclint/runtime"

// InvalidDeferUnlock keeps the lock until return: the await is inside.
func InvalidDeferUnlock(t *runtime.Task, s *store) int { // want InvalidDeferUnlock:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	defer s.mu.Unlock()
	return runtime.Await(t, fetch())
}

// ValidDeferAfterAwait takes the lock after the await, with a deferred
// unlock.
func ValidDeferAfterAwait(t *runtime.Task, s *store) { // want ValidDeferAfterAwait:"maySuspend"
	v := runtime.Await(t, fetch())
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data = v
}

// InvalidDeferredClosureUnlock unlocks in a deferred closure: still held
// until return.
func InvalidDeferredClosureUnlock(t *runtime.Task, s *store) { // want InvalidDeferredClosureUnlock:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	defer func() {
		s.mu.Unlock()
	}()
	s.data = runtime.Await(t, fetch())
}

// ValidScopedDefer releases through the defer of a closure called on the
// spot, before the await (the Go spelling of a guard dropped by its scope).
func ValidScopedDefer(t *runtime.Task, s *store) { // want ValidScopedDefer:"maySuspend"
	func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.data++
	}()
	runtime.Await(t, fetch())
}

// InvalidScopedDeferAwaitInside awaits inside the scoped closure.
func InvalidScopedDeferAwaitInside(t *runtime.Task, s *store) { // want InvalidScopedDeferAwaitInside:"maySuspend"
	func() {
		s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
		defer s.mu.Unlock()
		s.data = runtime.Await(t, fetch())
	}()
}

// InvalidDeferredAwait awaits in a deferred closure that runs before the
// deferred unlock (defers run last in, first out).
func InvalidDeferredAwait(t *runtime.Task, s *store) { // want InvalidDeferredAwait:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	defer s.mu.Unlock()
	defer func() { runtime.Await(t, fetch()) }()
	s.data++
}

// ValidDeferredAwaitAfterUnlock defers the await first, so it runs after
// the deferred unlock.
func ValidDeferredAwaitAfterUnlock(t *runtime.Task, s *store) { // want ValidDeferredAwaitAfterUnlock:"maySuspend"
	defer func() { runtime.Await(t, fetch()) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data++
}
