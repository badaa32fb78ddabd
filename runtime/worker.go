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

	// Owned by the worker goroutine, and by the coroutines it resumes (which
	// run on its behalf, one at a time: the switch orders their accesses).
	cx       Cx            // reused for every poll: a *Cx does not outlive its Poll call
	nestCx   Cx            // the Cx of a poll run from inside another (see handOff)
	current  *taskHeader   // the task being run by the worker loop
	again    *taskHeader   // a task to run next without queueing it (see requeue)
	lifo     *taskHeader   // the task last woken by a task of this worker (see pushLIFO)
	lifoRuns int           // tasks run in a row from lifo by the worker loop
	nesting  int           // polls in progress inside another poll: 0 or 1 (see handOff)
	wokeCur  bool          // the poll run by handOff woke current (see Waker.wakeFrom)
	reports  []*PanicError // detached panics from polls run by handOff, for the worker loop to report
	coros    coroPool
	tick     uint32 // tasks run so far: idle trips through next do not count
	rng      uint64
	scratch  []*taskHeader
	overflow []*taskHeader

	diag pollDiag // the current poll, for diagnostics
	// Statistics, written by the worker goroutine only: read them after Close.
	polls    uint64 // tasks polled
	steals   uint64 // successful steals
	handOffs uint64 // polls run by handOff
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
		var h *taskHeader
		if w.lifo != nil {
			h = w.takeLIFO()
		}
		if h == nil {
			w.lifoRuns = 0
			if h = w.again; h != nil {
				w.again = nil
			} else {
				h = w.next()
			}
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
		w.run(h, &w.cx)
		w.current = nil
		if w.reports != nil {
			w.flushReports()
		}
	}
}

// maxLIFORuns bounds how many tasks in a row the worker loop takes from the
// LIFO slot: two tasks that keep waking each other would otherwise starve
// the local queue (tokio uses the same bound).
const maxLIFORuns = 3

// globalCheckDue reports whether the next task to run is due to come from
// the fairness check of next (inbox and injection queue first).
func (w *worker) globalCheckDue() bool { return (w.tick+1)%globalCheckInterval == 0 }

// pushLIFO makes h, which a task running on w just woke, the next task w
// runs: the task it woke is likely to be the one the waker waits for (the
// other end of a Chan), and its data is warm. A task already in the slot
// moves to the back of the queue. The slot is not stolen, so it only holds
// a task for as long as the current poll lasts.
func (w *worker) pushLIFO(h *taskHeader) {
	if prev := w.lifo; prev != nil {
		w.pushFIFO(prev)
	}
	w.lifo = h
}

// takeLIFO returns the task in the LIFO slot, unless the worker took too
// many in a row or the fairness check is due; the slot's task then moves to
// the back of the queue, and takeLIFO returns nil.
func (w *worker) takeLIFO() *taskHeader {
	h := w.lifo
	if h == nil {
		return nil
	}
	w.lifo = nil
	if w.lifoRuns < maxLIFORuns && !w.globalCheckDue() {
		w.lifoRuns++
		return h
	}
	w.pushFIFO(h)
	return nil
}

// pushFIFO queues a task that may run on w at the back of its queue: the
// pinned inbox for a task pinned here, the local queue otherwise.
func (w *worker) pushFIFO(h *taskHeader) {
	if h.home != nil {
		w.inbox.push(h)
		return
	}
	w.pushLocal(h)
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
// cx is w.cx for the worker loop, w.nestCx inside handOff. It is cleared
// after the poll: a Cx does not outlive its poll, and a stale one would keep
// a finished task (and its dropped handle) reachable.
func (w *worker) run(h *taskHeader, cx *Cx) {
	w.polls++
	track := w.rt.cfg.track
	if track {
		start := w.beginPoll(h)
		defer w.endPoll(h, start)
	}
	// Once Close has begun, every task is to be cancelled, including those
	// it has not reached yet: polling one could let it see another task's
	// abort (a joiner panicking with ErrAborted) instead of being cancelled.
	if h.transitionToRunning() || w.rt.closing.Load() {
		*cx = w.pollCx(h)
		h.cell.dropFut(cx)
		*cx = Cx{}
		w.completeTask(h, true)
		return
	}
	var done bool
	if b := h.body; b != nil && b.co != nil && !track {
		done = w.resumeBody(h)
	} else {
		*cx = w.pollCx(h)
		done = h.cell.poll(cx)
		*cx = Cx{}
		if b := h.body; track && b != nil {
			// For stall reports. Read while the task is still running
			// here: once it is idle, another worker may poll it.
			h.co.Store(b.co)
		}
	}
	if done {
		w.completeTask(h, false)
		return
	}
	if h.transitionToIdle() {
		// Woken during its own poll (or aborted): run it again later.
		w.requeue(h)
	}
}

// pollCx is the context of one poll of h on w: h's waker and a full budget.
func (w *worker) pollCx(h *taskHeader) Cx {
	return Cx{waker: Waker{target: h}, rt: w.rt, w: w, budget: budgetPerPoll}
}

// resumeBody polls a task whose future is an async body suspended in Await
// (the common case), and reports whether the body ended. Such a poll comes
// down to resuming the body's coroutine with a fresh Cx: it skips the typed
// poll, which is only needed to turn the body's end into the task's result.
// (With diagnostics on, the typed poll also records which coroutine runs,
// so run does not take this path then.)
func (w *worker) resumeBody(h *taskHeader) (done bool) {
	b := h.body
	b.cx = w.pollCx(h)
	b.running = true
	b.co.resume()
	if b.co.job != nil {
		return false
	}
	h.cell.finishBody(&b.cx)
	return true
}

// completeTask completes a task that w polled. The panic policy of a
// detached task that panicked is applied at once by the worker loop. Inside
// handOff it waits until the worker loop is back: the policy's handler is
// user code, which may itself panic (to crash, say), and doing so on the
// handing-off body's coroutine would unwind that body, as if the panic
// were its own.
func (w *worker) completeTask(h *taskHeader, aborted bool) {
	report := h.finish(aborted)
	switch {
	case report == nil:
	case w.nesting != 0:
		w.reports = append(w.reports, report)
	default:
		w.rt.reportPanic(report)
	}
}

// flushReports applies the panic policy to the panics that handOff polls
// left, on the worker goroutine.
func (w *worker) flushReports() {
	reports := w.reports
	w.reports = nil
	for _, pe := range reports {
		w.rt.reportPanic(pe)
	}
}

// requeue files a task that was woken during its own poll.
func (w *worker) requeue(h *taskHeader) {
	switch {
	case h.home != nil:
		w.inbox.push(h)
	case w.again == nil && w.lifo == nil && w.local.len() == 0 && !w.globalCheckDue():
		// next would pop it right back from the empty local queue:
		// skip the queue (the common yield and wake-round-trip case).
		// A task in the LIFO slot was woken by this one: it goes first.
		w.again = h
	default:
		w.pushLocal(h)
	}
}

// handOff is the direct hand-off between two async bodies on one worker:
// the body t is about to suspend, and the task it just woke waits in the
// LIFO slot. Instead of switching back to the worker, which would switch to
// the woken body right away (four coroutine switches for a Chan round trip),
// t's coroutine polls that task itself (two switches). When the poll woke
// t's own task, t continues at once, as if the worker had polled it again.
// It reports whether t may continue without suspending.
//
// The nested poll is an ordinary run: the woken task is claimed through its
// state (scheduled -> running) so that no other worker polls it, it gets
// its own Cx and coop budget, its end (value, panic or Goexit) is recorded
// in its JoinHandle, and its cancellation is honoured. What limits it to
// the cases where that is enough:
//   - t is the whole future of the task the worker loop is polling (not an
//     Async nested in another body or a combinator), and the woken task's
//     future is a suspended async body: its code runs on its own coroutine,
//     where runtime.Goexit is contained, never on t's;
//   - nesting stays at depth one: a body polled by handOff suspends back to
//     t (its own handOff is refused), so stacks do not pile up;
//   - the fairness check of the worker loop is not skipped: a hand-off that
//     would be the tick's task is refused, and the worker loop moves the
//     slot's task behind the queued ones;
//   - not when t is yielding because its budget ran out: it must go back to
//     the worker, so that other tasks run;
//   - not with diagnostics on: a slow-poll report, a stall report and
//     Tasks() attribute the time of a poll to one task, and here t's poll
//     would contain the woken task's.
//
// Meanwhile t's task stays in state running (a poll is in progress); a wake
// turns it to notified, which t consumes to continue (a wake through
// Waker.wakeFrom by the task handOff runs just sets wokeCur). An abort (the
// cancel bit) is never consumed here: t then suspends, and the worker loop
// cancels it.
func (w *worker) handOff(t *Task) bool {
	h := w.lifo
	if h == nil || w.nesting != 0 || t.cx.budget == 0 || w.rt.cfg.track || w.globalCheckDue() {
		return false
	}
	// h.body.co is set while the body is suspended (nil before its first
	// poll and once it is done); h is not running, so it is not resumed.
	cur := w.current
	if cur == nil || cur.body != t || h.body == nil || h.body.co == nil {
		return false
	}
	w.lifo = nil
	w.nesting++
	w.tick++
	w.handOffs++
	w.run(h, &w.nestCx)
	w.nesting--
	if w.wokeCur {
		w.wokeCur = false
		// Woken without a state change (see Waker.wakeFrom); an abort, though,
		// made it notified, and the worker loop must see that.
		return cur.state.Load()&cancelBit == 0
	}
	return cur.transitionConsumeWake()
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
