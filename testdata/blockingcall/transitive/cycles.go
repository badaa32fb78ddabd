package transitive

import (
	"sync"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

// ping and pong call each other; only pong blocks.
func ping(n int) { // want ping:"mayBlock\\(ping -> pong -> time\\.Sleep\\)"
	if n > 0 {
		pong(n - 1)
	}
}

func pong(n int) { // want pong:"mayBlock\\(pong -> time\\.Sleep\\)"
	time.Sleep(time.Millisecond)
	ping(n)
}

// even and odd call each other and never block.
func even(n int) bool {
	if n == 0 {
		return true
	}
	return odd(n - 1)
}

func odd(n int) bool {
	if n == 0 {
		return false
	}
	return even(n - 1)
}

func recursive(n int) { // want recursive:"mayBlock\\(recursive -> time\\.Sleep\\)"
	if n == 0 {
		time.Sleep(time.Millisecond)
		return
	}
	recursive(n - 1)
}

func cycleTask(t *runtime.Task) { // want cycleTask:"mayBlock\\(cycleTask -> recursive -> time\\.Sleep\\)"
	ping(3) // want `call to ping blocks the worker \(ping -> pong -> time.Sleep\)`
	_ = even(4)
	recursive(2) // want `call to recursive blocks the worker \(recursive -> time.Sleep\)`
}

var mu sync.Mutex

func lockOnly() { // want lockOnly:"mayBlock\\(tier2: lockOnly -> \\(\\*sync\\.Mutex\\)\\.Lock\\)"
	mu.Lock()
	mu.Unlock()
}
