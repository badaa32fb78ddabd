package direct

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

func waitGroup(t *runtime.Task, wg *sync.WaitGroup) { // want waitGroup:"mayBlock\\(waitGroup -> \\(\\*sync\\.WaitGroup\\)\\.Wait\\)"
	wg.Wait() // want `wg.Wait blocks the worker thread; use runtime.WaitGroup`
}

func cond(t *runtime.Task, c *sync.Cond) { // want cond:"mayBlock\\(cond -> \\(\\*sync\\.Cond\\)\\.Wait\\)"
	c.L.Lock()
	c.Wait() // want `c.Wait blocks the worker thread; use runtime.Notify`
	c.L.Unlock()
}

func mutexDefault(t *runtime.Task, mu *sync.Mutex) int { // want mutexDefault:"mayBlock\\(tier2: mutexDefault -> \\(\\*sync\\.Mutex\\)\\.Lock\\)"
	mu.Lock() // tier 2: a short critical section is fine in a task
	defer mu.Unlock()
	return 1
}

func runtimeWaitGroup(t *runtime.Task, wg *runtime.WaitGroup) {
	wg.Wait(t) // suspends the task
}
