package runtime

import (
	"sync"
	"sync/atomic"
)

// blockingPool runs SpawnBlocking closures on real goroutines, at most max
// at once; further jobs wait in a FIFO queue. Goroutines start on demand and
// stay until the runtime closes.
type blockingPool struct {
	rt       *Runtime
	max      int
	inFlight atomic.Int64 // jobs queued or running: virtual time waits for them

	mu      sync.Mutex
	cond    sync.Cond      // signalled when a job is queued or the pool closes; uses mu
	queue   []blockingJob  // guarded by mu
	threads int            // running goroutines; guarded by mu
	idle    int            // goroutines waiting for a job; guarded by mu
	closed  bool           // guarded by mu
	wg      sync.WaitGroup // the goroutines
}

// blockingJob is a queued SpawnBlocking closure with its handle.
type blockingJob interface {
	run()
	cancel()
}

func newBlockingPool(rt *Runtime, max int) *blockingPool {
	p := &blockingPool{rt: rt, max: max}
	p.cond.L = &p.mu
	return p
}

func (p *blockingPool) submit(j blockingJob) {
	p.inFlight.Add(1)
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		j.cancel()
		p.done()
		return
	}
	p.queue = append(p.queue, j)
	switch {
	case p.idle > 0:
		p.cond.Signal()
	case p.threads < p.max:
		p.threads++
		p.wg.Add(1)
		go p.thread()
	}
	p.mu.Unlock()
}

// done ends a job. Under virtual time the clock may now be free to jump, even
// if the job's completion woke no task, so an idle worker is unparked to
// look again (the last one to go idle jumps the clock).
func (p *blockingPool) done() {
	if p.inFlight.Add(-1) == 0 && p.rt.cfg.virtualTime {
		p.rt.notifyWork()
	}
}

func (p *blockingPool) thread() {
	defer p.wg.Done()
	for {
		p.mu.Lock()
		for len(p.queue) == 0 && !p.closed {
			p.idle++
			p.cond.Wait()
			p.idle--
		}
		if len(p.queue) == 0 {
			p.threads--
			p.mu.Unlock()
			return
		}
		j := p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		p.mu.Unlock()
		j.run()
		p.done()
	}
}

// close cancels the queued jobs, then waits for the running ones to return.
func (p *blockingPool) close() {
	p.mu.Lock()
	p.closed = true
	queued := p.queue
	p.queue = nil
	p.cond.Broadcast()
	p.mu.Unlock()
	for _, j := range queued {
		j.cancel()
		p.done()
	}
	p.wg.Wait()
}

// blockingTask is a SpawnBlocking job: fn and the handle it completes.
type blockingTask[T any] struct {
	h  *JoinHandle[T]
	fn func() T
}

func (b *blockingTask[T]) run() {
	hd := &b.h.hdr
	if hd.transitionToRunning() {
		hd.complete(true)
		return
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				hd.pe = asPanicError(r)
			}
		}()
		b.h.out = b.fn()
	}()
	hd.complete(false)
}

func (b *blockingTask[T]) cancel() {
	b.h.hdr.transitionToRunning()
	b.h.hdr.complete(true)
}

// SpawnBlocking runs fn on the runtime's blocking pool, a bounded set of real
// goroutines (see WithBlockingThreads), and returns a handle to await its
// result. Use it for code that blocks: file and network I/O, cgo, heavy
// computation. fn is not task context: it may block freely, and must not
// call Await. Abort cancels fn only if it has not started; a running fn
// cannot be interrupted. A panic in fn reaches the joiner as a *PanicError.
func SpawnBlocking[T any](t *Task, fn func() T) *JoinHandle[T] {
	t.check("SpawnBlocking")
	rt := t.cx.rt
	if rt == nil {
		panic("runtime: SpawnBlocking called outside a runtime")
	}
	if fn == nil {
		panic("runtime: SpawnBlocking called with a nil function")
	}
	if rt.closed.Load() {
		panic("runtime: spawn on a closed runtime")
	}
	h := &JoinHandle[T]{}
	h.hdr.id = taskIDs.Add(1)
	h.hdr.rt = rt
	h.hdr.cell = h
	h.hdr.blocking = true
	h.hdr.state.Store(stScheduled)
	rt.captureSite(&h.hdr, 2)
	rt.blocking.submit(&blockingTask[T]{h: h, fn: fn})
	return h
}
