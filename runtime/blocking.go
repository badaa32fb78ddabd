package runtime

import (
	"sync"
	"sync/atomic"
)

// blockingPool runs SpawnBlocking closures on real goroutines, at most max
// at once; further jobs wait in a FIFO queue. Goroutines start on demand and
// stay until the runtime closes.
//
// A job goes, in this order of preference, to an idle goroutine (through
// the queue, with a Signal that claims that goroutine), to a new goroutine
// (directly, as its first job: a burst of jobs, such as thousands of tasks
// each starting an HTTP call, costs one goroutine start each and no queue
// round trip), or to the queue, when max goroutines are busy.
type blockingPool struct {
	rt       *Runtime
	max      int
	inFlight atomic.Int64 // jobs queued or running: virtual time waits for them

	mu      sync.Mutex
	cond    sync.Cond     // signalled when a job is queued for an idle goroutine, or the pool closes; uses mu
	queue   []blockingJob // jobs no goroutine has taken yet; guarded by mu
	threads int           // running goroutines; guarded by mu
	// idle counts the goroutines waiting on cond that no Signal has claimed
	// yet; guarded by mu. A submit that signals decrements it, so that a
	// second job submitted before the woken goroutine runs does not count on
	// that same goroutine and wait behind the first job.
	idle   int
	closed bool           // guarded by mu
	wg     sync.WaitGroup // the goroutines
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
	switch {
	case p.idle > 0:
		p.idle--
		p.queue = append(p.queue, j)
		p.cond.Signal()
	case p.threads < p.max:
		p.threads++
		p.wg.Add(1)
		p.mu.Unlock()
		go p.thread(j)
		return
	default:
		p.queue = append(p.queue, j)
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

// thread is a pool goroutine: it runs j, then the queued jobs, waiting for
// more while the pool is open. Its name is checked by insideBlockingJob.
//
//go:noinline
func (p *blockingPool) thread(j blockingJob) {
	defer p.wg.Done()
	for {
		j.run()
		p.done()
		p.mu.Lock()
		for len(p.queue) == 0 && !p.closed {
			// The submit that wakes this goroutine decrements idle (or close
			// wakes them all); when a busy goroutine took the job first, the
			// loop registers as idle again.
			p.idle++
			p.cond.Wait()
		}
		if len(p.queue) == 0 {
			p.threads--
			p.mu.Unlock()
			return
		}
		j = p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		p.mu.Unlock()
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
