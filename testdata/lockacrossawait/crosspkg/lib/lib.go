// Package lib is a library whose functions take the task; its maySuspend
// facts tell importers which calls are await points.
package lib

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// Fetch awaits.
func Fetch(t *runtime.Task) int { // want Fetch:"maySuspend"
	return runtime.Await(t, runtime.Future[int](nil))
}

// Client wraps a fetch in a method.
type Client struct{}

// Get awaits through Fetch.
func (c *Client) Get(t *runtime.Task) int { // want Get:"maySuspend"
	return Fetch(t)
}

// Start only spawns: not an await point.
func Start(t *runtime.Task, f runtime.Future[int]) *runtime.JoinHandle[int] {
	return runtime.Spawn(t, f)
}

// Generic awaits a future of any type.
func Generic[T any](t *runtime.Task, f runtime.Future[T]) T { // want Generic:"maySuspend"
	return runtime.Await(t, f)
}

// Dynamic calls a function value with the task: it may suspend.
func Dynamic(t *runtime.Task, step func(*runtime.Task)) { // want Dynamic:"maySuspend"
	step(t)
}

// Guard is a lock with helper methods.
type Guard struct {
	mu sync.Mutex
}

// Acquire returns with g.mu held.
func (g *Guard) Acquire() { g.mu.Lock() } // want Acquire:`^acquires \$0\.mu$`

// Release releases g.mu.
func (g *Guard) Release() { g.mu.Unlock() } // want Release:`^releases \$0\.mu$`

// Shards is a sharded lock with helpers that take the shard's index.
type Shards struct {
	mus [8]sync.Mutex
}

// Lock returns with shard i held.
func (s *Shards) Lock(i int) { s.mus[i%8].Lock() } // want Lock:`^acquires \$0\.mus\[\(\$1 % 8\)\]$`

// Unlock releases shard i.
func (s *Shards) Unlock(i int) { s.mus[i%8].Unlock() } // want Unlock:`^releases \$0\.mus\[\(\$1 % 8\)\]$`
