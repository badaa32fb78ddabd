// Package noruntime cannot reach the runtime: lockacrossawait must skip it
// without building SSA, even though it holds a lock across a call.
package noruntime

import "sync"

var mu sync.Mutex

func Locked(f func()) {
	mu.Lock()
	f()
	mu.Unlock()
}
