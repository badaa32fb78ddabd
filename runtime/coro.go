package runtime

import (
	"iter"
	"sync/atomic"
)

// A coro is a stackful coroutine built on iter.Pull. It loops: run the
// current job until it returns, report completion, wait for the next job.
// Keeping finished coroutines in a pool makes spawning an async body cost
// two coroutine switches instead of a goroutine start.
//
// A coro is driven by one goroutine at a time (whoever polls the async body
// it runs); the switch itself orders memory between them.
type coro struct {
	resume func() (struct{}, bool)
	stop   func()
	yield  func(struct{}) bool // valid inside the coroutine only
	job    coroJob             // the body being run; nil when idle
	gid    atomic.Int64        // the coroutine's goroutine id, when tracking (diag.go)
	wantID bool
	dead   bool // frozen in a Goexit: never resume, stop or pool it
}

// coroJob is an async body that a coroutine runs to completion.
type coroJob interface {
	// run executes the body; it never panics (panics are recorded).
	run()
}

func newCoro(track bool) *coro {
	c := &coro{wantID: track}
	c.resume, c.stop = iter.Pull(c.loop)
	return c
}

// loop is the coroutine's entry point. Its name is checked by insideTask.
//
//go:noinline
func (c *coro) loop(yield func(struct{}) bool) {
	c.yield = yield
	if c.wantID {
		c.gid.Store(curGoroutineID())
	}
	for {
		c.job.run()
		c.job = nil
		if !yield(struct{}{}) {
			return
		}
	}
}

// start runs job on c until the body first suspends or completes.
func (c *coro) start(job coroJob) {
	c.job = job
	c.resume()
}

// suspend switches from inside the coroutine back to its poller. It reports
// false when the coroutine is being stopped, which the runtime only does to
// idle coroutines, so callers treat it as cancellation.
func (c *coro) suspend() bool { return c.yield(struct{}{}) }

// coroPoolCap bounds the idle coroutines a worker keeps; the rest are
// stopped, so a burst of suspended bodies does not pin its stacks forever.
const coroPoolCap = 256

// coroPool is a worker's stack of idle coroutines. It is only touched by
// code running on behalf of that worker (its goroutine or a coroutine it
// resumed), so it needs no lock.
type coroPool struct {
	free []*coro
}

func (p *coroPool) get(track bool) *coro {
	if n := len(p.free); n > 0 {
		c := p.free[n-1]
		p.free[n-1] = nil
		p.free = p.free[:n-1]
		return c
	}
	return newCoro(track)
}

func (p *coroPool) put(c *coro) {
	if len(p.free) >= coroPoolCap {
		c.stop()
		return
	}
	p.free = append(p.free, c)
}

// drain stops every pooled coroutine (their goroutines exit).
func (p *coroPool) drain() {
	for _, c := range p.free {
		c.stop()
	}
	p.free = nil
}

// acquireCoro takes a coroutine from the polling worker's pool, or a fresh
// one when the poll does not come from a worker.
func acquireCoro(cx *Cx) *coro {
	if cx.w != nil {
		return cx.w.coros.get(cx.w.rt.cfg.track)
	}
	return newCoro(false)
}

// releaseCoro returns an idle coroutine to the polling worker's pool.
func releaseCoro(cx *Cx, c *coro) {
	if c.dead {
		return
	}
	if cx.w != nil {
		cx.w.coros.put(c)
		return
	}
	c.stop()
}
