// Package app calls package lib while holding locks.
package app

import (
	"sync"

	"asynclint.test/lockacrossawait/crosspkg/lib"

	"github.com/asynclint/asynclint/runtime"
)

var mu sync.Mutex

// InvalidLibFetch holds mu across a call to a library function that awaits.
func InvalidLibFetch(t *runtime.Task) int { // want InvalidLibFetch:"maySuspend"
	mu.Lock() // want `mu \(sync\.Mutex\) is held across an await`
	defer mu.Unlock()
	return lib.Fetch(t)
}

// InvalidLibMethod holds mu across a library method that awaits.
func InvalidLibMethod(t *runtime.Task, c *lib.Client) { // want InvalidLibMethod:"maySuspend"
	mu.Lock() // want `mu \(sync\.Mutex\) is held across an await`
	c.Get(t)
	mu.Unlock()
}

// InvalidLibGeneric holds mu across an instantiation of a generic library
// function that awaits.
func InvalidLibGeneric(t *runtime.Task, f runtime.Future[string]) { // want InvalidLibGeneric:"maySuspend"
	mu.Lock() // want `mu \(sync\.Mutex\) is held across an await`
	lib.Generic(t, f)
	mu.Unlock()
}

// ValidLibStart holds mu across a library call that only spawns.
func ValidLibStart(t *runtime.Task, f runtime.Future[int]) {
	mu.Lock()
	lib.Start(t, f)
	mu.Unlock()
}

// ValidLibAfterUnlock unlocks before the library await.
func ValidLibAfterUnlock(t *runtime.Task) { // want ValidLibAfterUnlock:"maySuspend"
	mu.Lock()
	mu.Unlock()
	lib.Fetch(t)
}

// helper reaches a library await: the fact composes across packages.
func helper(t *runtime.Task) { // want helper:"maySuspend"
	lib.Dynamic(t, nil)
}

// InvalidThroughHelper holds mu across a local helper that reaches the
// library's await.
func InvalidThroughHelper(t *runtime.Task) { // want InvalidThroughHelper:"maySuspend"
	mu.Lock() // want `mu \(sync\.Mutex\) is held across an await`
	helper(t)
	mu.Unlock()
}

// InvalidLibAcquire holds the lock a library helper took.
func InvalidLibAcquire(t *runtime.Task, g *lib.Guard) { // want InvalidLibAcquire:"maySuspend"
	g.Acquire() // want `^g\.mu \(sync\.Mutex\) is held across an await`
	lib.Fetch(t)
	g.Release()
}

// ValidLibRelease releases through the library helper before awaiting.
func ValidLibRelease(t *runtime.Task, g *lib.Guard) { // want ValidLibRelease:"maySuspend"
	g.Acquire()
	g.Release()
	lib.Fetch(t)
}

// ValidLibShards locks and unlocks one shard through the library's helpers.
func ValidLibShards(t *runtime.Task, s *lib.Shards, k int) { // want ValidLibShards:"maySuspend"
	s.Lock(k + 1)
	s.Unlock(k + 1)
	runtime.Await(t, runtime.YieldNow())
}

// InvalidLibShards unlocks another shard than it locked.
func InvalidLibShards(t *runtime.Task, s *lib.Shards, k int) { // want InvalidLibShards:"maySuspend" InvalidLibShards:`^acquires \$1\.mus\[\(\(\$2 \+ 1\) % 8\)\]; releases \$1\.mus\[\(\$2 % 8\)\]$`
	s.Lock(k + 1) // want `^s\.mus\[\(k \+ 1\) % 8\] \(sync\.Mutex\) is held across an await`
	s.Unlock(k)
	runtime.Await(t, runtime.YieldNow())
}
