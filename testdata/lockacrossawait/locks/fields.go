package locks

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// cache embeds its mutex.
type cache struct {
	sync.Mutex // protects m
	m          map[string]int
}

// outer reaches a mutex through a nested path.
type outer struct {
	in    inner
	ptr   *inner
	cache // embedded struct that embeds a mutex
}

type inner struct {
	mu sync.Mutex
}

var (
	globalMu sync.Mutex
	globalC  *cache
)

// InvalidEmbedded locks the embedded mutex through the promoted method.
func InvalidEmbedded(t *runtime.Task, c *cache) { // want InvalidEmbedded:"maySuspend"
	c.Lock() // want `^c\.Mutex \(sync\.Mutex\) is held across an await`
	c.m["k"] = runtime.Await(t, fetch())
	c.Unlock()
}

// ValidEmbedded unlocks the embedded mutex through its field name: the same
// lock as the promoted c.Lock().
func ValidEmbedded(t *runtime.Task, c *cache) { // want ValidEmbedded:"maySuspend"
	c.Lock()
	c.m["k"]++
	c.Mutex.Unlock()
	runtime.Await(t, fetch())
}

// InvalidNested holds o.in.mu across the await.
func InvalidNested(t *runtime.Task, o *outer) { // want InvalidNested:"maySuspend"
	o.in.mu.Lock() // want `^o\.in\.mu \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	o.in.mu.Unlock()
}

// InvalidOtherField unlocks a different field than it locked.
func InvalidOtherField(t *runtime.Task, o *outer) { // want InvalidOtherField:"maySuspend" InvalidOtherField:`^acquires \$1\.in\.mu; releases \$1\.ptr\.mu$`
	o.in.mu.Lock() // want `o\.in\.mu \(sync\.Mutex\) is held across an await`
	o.ptr.mu.Unlock()
	runtime.Await(t, fetch())
}

// ValidNestedPointer locks and unlocks through a pointer field, loaded
// twice.
func ValidNestedPointer(t *runtime.Task, o *outer) { // want ValidNestedPointer:"maySuspend"
	o.ptr.mu.Lock()
	o.ptr.mu.Unlock()
	runtime.Await(t, fetch())
}

// InvalidDoubleEmbedded locks a mutex promoted through two embeddings.
func InvalidDoubleEmbedded(t *runtime.Task, o *outer) { // want InvalidDoubleEmbedded:"maySuspend"
	o.Lock() // want `^o\.cache\.Mutex \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	o.cache.Unlock()
}

// InvalidGlobal holds a package-level mutex across an await.
func InvalidGlobal(t *runtime.Task) { // want InvalidGlobal:"maySuspend"
	globalMu.Lock() // want `^globalMu \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	globalMu.Unlock()
}

// ValidGlobal releases the package-level mutex first.
func ValidGlobal(t *runtime.Task) { // want ValidGlobal:"maySuspend"
	globalMu.Lock()
	globalMu.Unlock()
	runtime.Await(t, fetch())
}

// ValidGlobalPointer locks through a package-level pointer loaded twice.
func ValidGlobalPointer(t *runtime.Task) { // want ValidGlobalPointer:"maySuspend"
	globalC.Lock()
	globalC.Unlock()
	runtime.Await(t, fetch())
}

// InvalidParam holds a mutex parameter across an await.
func InvalidParam(t *runtime.Task, mu *sync.Mutex) { // want InvalidParam:"maySuspend"
	mu.Lock() // want `^mu \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	mu.Unlock()
}

// ValidMoved locks through a copy of the pointer and unlocks through the
// field: the same lock.
func ValidMoved(t *runtime.Task, s *store) { // want ValidMoved:"maySuspend"
	mu := &s.mu
	mu.Lock()
	s.mu.Unlock()
	runtime.Await(t, fetch())
}

// InvalidLocal holds a local mutex, shared with a goroutine, across an await.
func InvalidLocal(t *runtime.Task) { // want InvalidLocal:"maySuspend"
	var mu sync.Mutex
	go func() {
		mu.Lock()
		mu.Unlock()
	}()
	mu.Lock() // want `^mu \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	mu.Unlock()
}

// mutex is a getter: each call returns the same lock.
func (s *store) mutex() *sync.Mutex { return &s.mu }

// ValidGetter locks and unlocks through two calls of the same getter.
func ValidGetter(t *runtime.Task, s *store) { // want ValidGetter:"maySuspend"
	s.mutex().Lock()
	s.mutex().Unlock()
	runtime.Await(t, fetch())
}

// InvalidGetter holds the getter's lock across the await.
func InvalidGetter(t *runtime.Task, s *store) { // want InvalidGetter:"maySuspend"
	s.mutex().Lock() // want `s\.mutex\(\) \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	s.mutex().Unlock()
}

// InvalidMethodValueLock locks through a method value of the mutex.
func InvalidMethodValueLock(t *runtime.Task, s *store) { // want InvalidMethodValueLock:"maySuspend"
	lock, unlock := s.mu.Lock, s.mu.Unlock
	lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	unlock()
}

// ValidMethodValueUnlock releases through a method value before the await.
func ValidMethodValueUnlock(t *runtime.Task, s *store) { // want ValidMethodValueUnlock:"maySuspend"
	unlock := s.mu.Unlock
	s.mu.Lock()
	unlock()
	runtime.Await(t, fetch())
}
