// Package poll checks Poll methods and PollFunc literals, where nothing may
// block, not even tier 2.
package poll

import (
	"os"
	"sync"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) Poll(cx *runtime.Cx) runtime.Poll[int] { // want Poll:"mayBlock\\(tier2: \\(\\*counter\\)\\.Poll -> \\(\\*sync\\.Mutex\\)\\.Lock\\)"
	c.mu.Lock() // want `c.mu.Lock may block the worker thread; use runtime.Mutex`
	defer c.mu.Unlock()
	c.n++
	return runtime.Ready(c.n)
}

type sleeper struct{}

func (sleeper) Poll(cx *runtime.Cx) runtime.Poll[struct{}] { // want Poll:"mayBlock\\(\\(sleeper\\)\\.Poll -> time\\.Sleep\\)"
	time.Sleep(time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
	return runtime.Ready(struct{}{})
}

func statFile() bool { // want statFile:"mayBlock\\(tier2: statFile -> os\\.Stat\\)"
	_, err := os.Stat("flag")
	return err == nil
}

func pollFunc() runtime.Future[bool] {
	return runtime.PollFunc[bool](func(cx *runtime.Cx) runtime.Poll[bool] {
		if statFile() { // want `call to statFile may block the worker \(statFile -> os.Stat\)`
			return runtime.Ready(true)
		}
		cx.Waker().Wake()
		return runtime.Pending[bool]()
	})
}

type good struct{ done bool }

func (g *good) Poll(cx *runtime.Cx) runtime.Poll[bool] {
	if g.done {
		return runtime.Ready(true)
	}
	cx.Waker().Wake()
	return runtime.Pending[bool]()
}

// In a task, tier 2 is fine by default.
func task(t *runtime.Task, c *counter) { // want task:"mayBlock\\(tier2: task -> \\(\\*sync\\.Mutex\\)\\.Lock\\)"
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	statFile()
}

type nested struct {
	rt *runtime.Runtime
	f  runtime.Future[int]
}

func (n *nested) Poll(cx *runtime.Cx) runtime.Poll[int] { // want Poll:"mayBlock\\(\\(\\*nested\\)\\.Poll -> runtime\\.BlockOn\\)"
	return runtime.Ready(runtime.BlockOn(n.rt, n.f)) // want `runtime.BlockOn inside Poll runs a nested runtime on the worker \(likely deadlock\); use runtime.Await`
}
