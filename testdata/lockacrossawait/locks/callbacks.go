package locks

import (
	"sort"
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

var once sync.Once

// InvalidAwaitInOnceDo awaits inside the function once.Do runs right here,
// while the lock is held.
func InvalidAwaitInOnceDo(t *runtime.Task, s *store) { // want InvalidAwaitInOnceDo:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	once.Do(func() {
		s.data = runtime.Await(t, fetch())
	})
	s.mu.Unlock()
}

// ValidOnceDoWithoutAwait runs a callback that does not suspend; the await
// comes after the unlock.
func ValidOnceDoWithoutAwait(t *runtime.Task, s *store, xs []int) { // want ValidOnceDoWithoutAwait:"maySuspend"
	s.mu.Lock()
	once.Do(func() { s.data++ })
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
	s.mu.Unlock()
	runtime.Await(t, fetch())
}

// InvalidOnceUnlocks releases the lock in once.Do's function, which runs
// only on the first call: on every later call the lock is still held at the
// await.
func InvalidOnceUnlocks(t *runtime.Task, s *store) { // want InvalidOnceUnlocks:"maySuspend" InvalidOnceUnlocks:"acquires \\$1\\.mu"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	once.Do(func() { s.mu.Unlock() })
	runtime.Await(t, fetch())
}

// initAsync suspends inside a callback: it is an await point for callers.
func initAsync(t *runtime.Task) { // want initAsync:"maySuspend"
	once.Do(func() { runtime.Await(t, fetch()) })
}

// InvalidHelperAwaitsInCallback holds the lock across a helper whose
// callback suspends.
func InvalidHelperAwaitsInCallback(t *runtime.Task, s *store) { // want InvalidHelperAwaitsInCallback:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	initAsync(t)
	s.mu.Unlock()
}

// ValidUnknownCallee passes the closure to a function that may keep it for
// later: its await is not this task's await here.
func ValidUnknownCallee(t *runtime.Task, s *store, register func(func())) {
	s.mu.Lock()
	register(func() { runtime.Await(t, fetch()) })
	s.mu.Unlock()
}
