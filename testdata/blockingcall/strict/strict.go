// Package strict is checked with -blockingcall.level=strict: tier 2 is
// reported in tasks too.
package strict

import (
	"os"
	"os/user"
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

var (
	mu   sync.Mutex
	rw   sync.RWMutex
	once sync.Once
)

func locks(t *runtime.Task) { // want locks:"mayBlock\\(tier2: locks -> \\(\\*sync\\.Mutex\\)\\.Lock\\)"
	mu.Lock() // want `mu.Lock may block the worker thread; use runtime.Mutex`
	mu.Unlock()
	rw.RLock() // want `rw.RLock may block the worker thread; use runtime.RWMutex`
	rw.RUnlock()
	once.Do(func() {}) // want `once.Do may block the worker thread; run the initialization before the runtime starts or with runtime.SpawnBlocking`
}

func files(t *runtime.Task) { // want files:"mayBlock\\(tier2: files -> os\\.Open\\)"
	f, _ := os.Open("x") // want `os.Open may block the worker thread; use runtime.SpawnBlocking`
	defer f.Close()
	user.Current() // want `user.Current may block the worker thread; use runtime.SpawnBlocking`
}

func helper() { // want helper:"mayBlock\\(tier2: helper -> os\\.Mkdir\\)"
	os.Mkdir("d", 0o755)
}

func transitive(t *runtime.Task) { // want transitive:"mayBlock\\(tier2: transitive -> helper -> os\\.Mkdir\\)"
	helper() // want `call to helper may block the worker \(helper -> os.Mkdir\)`
}

func tryLock(t *runtime.Task) bool {
	if mu.TryLock() { // never waits
		mu.Unlock()
		return true
	}
	return false
}
