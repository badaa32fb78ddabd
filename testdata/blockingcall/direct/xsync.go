package direct

import (
	"context"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/asynclint/asynclint/runtime"
)

func errgroupWait(t *runtime.Task, g *errgroup.Group) error { // want errgroupWait:"mayBlock\\(errgroupWait -> \\(\\*errgroup\\.Group\\)\\.Wait\\)"
	return g.Wait() // want `g.Wait blocks the worker thread; use runtime.JoinAll`
}

func semaphoreAcquire(t *runtime.Task, s *semaphore.Weighted) error { // want semaphoreAcquire:"mayBlock\\(semaphoreAcquire -> \\(\\*semaphore\\.Weighted\\)\\.Acquire\\)"
	return s.Acquire(context.Background(), 1) // want `s.Acquire blocks the worker thread; use runtime.Semaphore`
}
