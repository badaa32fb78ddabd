package runtime

// budgetPerPoll is the coop budget of one task poll, as in tokio.
const budgetPerPoll = 128

// globalCheckInterval makes a busy worker look at the injection queue and its
// pinned inbox every so many polls, so that they are not starved by a local
// queue that never empties.
const globalCheckInterval = 61

// worker is one executor thread: a goroutine that polls tasks from its local
// queue, its pinned inbox, the injection queue, or other workers' queues.
type worker struct {
	rt    *Runtime
	index int
	local localQueue
	inbox taskList      // SpawnLocal tasks pinned here; never stolen
	parkC chan struct{} // receives a token when the worker is unparked

	// Guarded by rt.idleMu.
	inIdle bool // registered in rt.idle
	parked bool // blocked (or about to block) on parkC

	// Owned by the worker goroutine.
	cx       Cx          // reused for every poll: a *Cx does not outlive its Poll call
	current  *taskHeader // the task being run
	again    *taskHeader // a task to run next without queueing it (see run)
	coros    coroPool
	tick     uint32 // tasks run so far: idle trips through next do not count
	rng      uint64
	scratch  []*taskHeader
	overflow []*taskHeader

	diag pollDiag // the current poll, for diagnostics
	// Statistics, written by the worker goroutine only: read them after Close.
	polls  uint64 // tasks polled
	steals uint64 // successful steals
}

func newWorker(rt *Runtime, i int) *worker {
	return &worker{rt: rt, index: i, parkC: make(chan struct{}, 1), rng: uint64(i)*0x9E3779B97F4A7C15 + 1}
}

// loop is the worker goroutine. Its name is checked by insideTask.
//
//go:noinline
func (w *worker) loop() {
	exited := false
	defer func() {
		if !exited {
			w.replaceAfterGoexit()
			return
		}
		w.rt.wg.Done()
	}()
	rt := w.rt
	if rt.cfg.track {
		w.diag.gid = curGoroutineID()
	}
	for {
		h := w.again
		if h != nil {
			w.again = nil
		} else {
			h = w.next()
		}
		if h == nil {
			w.registerIdle()
			if h = w.next(); h == nil {
				if rt.shutdown.Load() {
					w.unregisterIdle()
					exited = true
					return
				}
				w.park()
				continue
			}
			w.unregisterIdle()
		}
		w.tick++
		w.current = h
		w.run(h)
		w.current = nil
	}
}

// replaceAfterGoexit runs when task code called runtime.Goexit on the worker
// goroutine itself (in a Poll method: async bodies have their own guard).
// The task fails with a *PanicError and a new goroutine takes over the worker.
func (w *worker) replaceAfterGoexit() {
	if h := w.current; h != nil {
		w.current = nil
		h.pe = &PanicError{Value: "runtime: runtime.Goexit (t.FailNow, t.Fatal?) called inside a Poll method"}
		h.complete(false)
	}
	go w.loop()
}

// next finds a runnable task: local queue, pinned inbox, injection queue,
// then stealing. It returns nil when there is none.
//
// Which queue comes first depends on the number of tasks run, not of calls:
// an idle worker calls next a number of times that depends on when its
// unparker's token arrives, and counting those calls would make the order
// of a one-worker run on virtual time vary from run to run.
func (w *worker) next() *taskHeader {
	if (w.tick+1)%globalCheckInterval == 0 {
		if h := w.inbox.pop(); h != nil {
			return h
		}
		if h := w.rt.global.pop(); h != nil {
			return h
		}
	}
	if h := w.local.pop(); h != nil {
		return h
	}
	if h := w.inbox.pop(); h != nil {
		return h
	}
	if h := w.fromGlobal(); h != nil {
		return h
	}
	return w.steal()
}

// fromGlobal takes a fair share of the injection queue into the local queue.
func (w *worker) fromGlobal() *taskHeader {
	share := localQueueCap / 2
	w.scratch = w.rt.global.popUpTo(w.scratch[:0], share)
	return w.adopt(w.scratch)
}

// adopt returns the first of hs and queues the rest locally.
func (w *worker) adopt(hs []*taskHeader) *taskHeader {
	if len(hs) == 0 {
		return nil
	}
	for _, h := range hs[1:] {
		w.pushLocal(h)
	}
	h := hs[0]
	clear(hs)
	return h
}

// steal takes half of a random victim's local queue.
func (w *worker) steal() *taskHeader {
	ws := w.rt.workers
	if len(ws) == 1 {
		return nil
	}
	w.rng ^= w.rng << 13
	w.rng ^= w.rng >> 7
	w.rng ^= w.rng << 17
	start := int(w.rng % uint64(len(ws)))
	for i := range ws {
		v := ws[(start+i)%len(ws)]
		if v == w {
			continue
		}
		w.scratch = v.local.stealHalf(w.scratch[:0])
		if len(w.scratch) > 0 {
			w.steals++
			return w.adopt(w.scratch)
		}
	}
	return nil
}

// pushLocal queues an unpinned task on this worker; when the ring is full,
// half of it moves to the injection queue. Idle workers are told there is
// work to steal.
func (w *worker) pushLocal(h *taskHeader) {
	w.overflow = w.local.push(h, w.overflow[:0])
	if len(w.overflow) > 0 {
		w.rt.global.pushBatch(w.overflow)
		clear(w.overflow)
	}
	w.rt.notifyWork()
}

// pushPinned queues a task pinned to w, from any goroutine.
func (w *worker) pushPinned(h *taskHeader) {
	w.inbox.push(h)
	w.rt.unparkWorker(w)
}

// run polls one task (or cancels it) and files it according to the outcome.
func (w *worker) run(h *taskHeader) {
	w.polls++
	if w.rt.cfg.track {
		start := w.beginPoll(h)
		defer w.endPoll(h, start)
	}
	// Once Close has begun, every task is to be cancelled, including those
	// it has not reached yet: polling one could let it see another task's
	// abort (a joiner panicking with ErrAborted) instead of being cancelled.
	cancel := h.transitionToRunning() || w.rt.closing.Load()
	cx := &w.cx
	*cx = Cx{waker: Waker{target: h}, rt: w.rt, w: w, budget: budgetPerPoll}
	if cancel {
		h.cell.dropFut(cx)
		h.complete(true)
		return
	}
	if h.cell.poll(cx) {
		h.complete(false)
		return
	}
	if h.transitionToIdle() {
		// Woken during its own poll (or aborted): run it again later.
		switch {
		case h.home != nil:
			w.inbox.push(h)
		case w.local.len() == 0 && (w.tick+1)%globalCheckInterval != 0:
			// next would pop it right back from the empty local queue:
			// skip the queue (the common yield and wake-round-trip case).
			w.again = h
		default:
			w.pushLocal(h)
		}
	}
}

func (w *worker) registerIdle() {
	rt := w.rt
	rt.idleMu.Lock()
	if !w.inIdle {
		w.inIdle = true
		rt.idle = append(rt.idle, w)
		rt.nIdle.Add(1)
	}
	rt.idleMu.Unlock()
}

func (w *worker) unregisterIdle() {
	rt := w.rt
	rt.idleMu.Lock()
	if w.inIdle {
		rt.removeIdleLocked(w)
	}
	rt.idleMu.Unlock()
}

// park blocks until the worker is unparked. Under virtual time, the last
// worker to go idle jumps the clock instead, when a timer is armed: it fires
// the timers due at the next deadline on its own goroutine and returns to
// look for the tasks they woke. Deciding this under idleMu, in the same
// critical section where a parking worker counts itself, means that exactly
// one worker (the last) sees the others all parked: the clock moves only
// when no worker has a task. (Work from outside, a SpawnOn or a blocking
// job's completion, may still arrive during the jump; it is timed by the
// wall clock anyway.)
//
// A parked worker wakes only when an unparker took it off the idle list
// (and so off nParked): stale tokens are drained first. Otherwise a worker
// could run while another one believes every worker parked and jumps the
// clock.
func (w *worker) park() {
	rt := w.rt
	rt.idleMu.Lock()
	if !w.inIdle {
		// Unparked since registerIdle: the unparker's token is on its way.
		rt.idleMu.Unlock()
		<-w.parkC
		return
	}
	select {
	case <-w.parkC: // stale: sent before this worker registered as idle
	default:
	}
	if rt.shutdown.Load() {
		// Close may have sent the token just drained.
		rt.idleMu.Unlock()
		return
	}
	if rt.cfg.virtualTime && rt.quiescentLocked() && rt.timers.pending() {
		// The wakes of the batch queue their tasks without unparking
		// anyone: this worker finds them in firing order once it is done.
		rt.holdUnpark.Store(true)
		rt.idleMu.Unlock()
		rt.timers.jump()
		rt.holdUnpark.Store(false)
		w.unregisterIdle()
		rt.unparkAll() // the other workers share the batch
		return
	}
	w.parked = true
	rt.nParked++
	rt.idleMu.Unlock()
	<-w.parkC
	w.unregisterIdle()
}

// unpark wakes w if it is parked; a token left over is harmless (the worker
// looks for work once more and parks again).
func (w *worker) unpark() {
	select {
	case w.parkC <- struct{}{}:
	default:
	}
}
