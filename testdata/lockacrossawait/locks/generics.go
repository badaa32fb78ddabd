package locks

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// guarded is a generic value behind a mutex.
type guarded[T any] struct {
	mu sync.Mutex // protects v
	v  T
}

// InvalidUpdate awaits while holding the mutex of a generic type.
func (g *guarded[T]) InvalidUpdate(t *runtime.Task, f runtime.Future[T]) { // want InvalidUpdate:"maySuspend"
	g.mu.Lock() // want `g\.mu \(sync\.Mutex\) is held across an await`
	g.v = runtime.Await(t, f)
	g.mu.Unlock()
}

// ValidUpdate awaits first.
func (g *guarded[T]) ValidUpdate(t *runtime.Task, f runtime.Future[T]) { // want ValidUpdate:"maySuspend"
	v := runtime.Await(t, f)
	g.mu.Lock()
	g.v = v
	g.mu.Unlock()
}

// InvalidTypeParamLocker locks a value of a type parameter constrained by
// sync.Locker.
func InvalidTypeParamLocker[L sync.Locker](t *runtime.Task, l L) { // want InvalidTypeParamLocker:"maySuspend"
	l.Lock() // want `l \(sync\.Locker\) is held across an await`
	runtime.Await(t, fetch())
	l.Unlock()
}

// ValidTypeParamLocker unlocks first.
func ValidTypeParamLocker[L sync.Locker](t *runtime.Task, l L) { // want ValidTypeParamLocker:"maySuspend"
	l.Lock()
	l.Unlock()
	runtime.Await(t, fetch())
}

// ValidGenericFuture holds no lock; a generic future type parameter is
// awaited.
func ValidGenericFuture[F runtime.Future[int]](t *runtime.Task, s *store, f F) { // want ValidGenericFuture:"maySuspend"
	s.mu.Lock()
	s.data++
	s.mu.Unlock()
	runtime.Await[int](t, f)
}
