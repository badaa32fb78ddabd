// Package lockacrossawait holds a sync.Mutex across an await.
package lockacrossawait

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// Store caches a value.
type Store struct {
	mu   sync.Mutex
	data int
}

func fetch() runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return 1 })
}

// Refresh awaits while holding s.mu.
func (s *Store) Refresh(t *runtime.Task) {
	s.mu.Lock()
	s.data = runtime.Await(t, fetch())
	s.mu.Unlock()
}
