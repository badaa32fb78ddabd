package runtime

import (
	"cmp"
	"fmt"
	"reflect"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Option configures a Runtime (see New).
type Option func(*config)

type config struct {
	workers         int
	blockingThreads int
	virtualTime     bool
	panicHandler    func(*PanicError)

	// Diagnostics (diag.go).
	track          bool // record spawn sites and poll times
	slowThreshold  time.Duration
	slowHandler    func(SlowPoll)
	stallThreshold time.Duration
	stallHandler   func(Stall)
}

// WithWorkers sets the number of worker threads. 1 is the current-thread
// flavor: every task runs on one goroutine, in a deterministic order. The
// default is GOMAXPROCS. It panics if n < 1.
func WithWorkers(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("runtime: WithWorkers(%d): a runtime needs at least one worker", n))
	}
	return func(c *config) { c.workers = n }
}

// WithBlockingThreads bounds the pool of goroutines that run SpawnBlocking
// closures (default 512). Jobs beyond the bound wait in a queue. It panics
// if n < 1.
func WithBlockingThreads(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("runtime: WithBlockingThreads(%d): the blocking pool needs at least one thread", n))
	}
	return func(c *config) { c.blockingThreads = n }
}

// WithVirtualTime pauses the runtime's clock. Time advances only when every
// worker is idle and no SpawnBlocking job is in flight: the clock then jumps
// to the next timer deadline. Sleep(time.Hour) completes at once, and with
// WithWorkers(1) the order of events is the same on every run, as long as
// no SpawnBlocking job or goroutine takes part (their timing is the
// machine's).
//
// The clock does not wait for goroutines outside the runtime that are about
// to wake a task: the helper of FromGoChan, or a goroutine that sends on a
// Chan or Oneshot, or calls a Waker. While such a goroutine works, the
// workers may all be idle, and the clock jumps: a Timeout around the wait
// can expire at once, in virtual time. Run such work with SpawnBlocking
// (or AwaitBlocking), which the clock does wait for.
func WithVirtualTime() Option {
	return func(c *config) { c.virtualTime = true }
}

// WithPanicHandler sets the policy for the panic of a detached task: one
// whose JoinHandle was detached (JoinHandle.Detach) or became garbage
// without being awaited (noticed by the garbage collector, so after a
// delay; a handle whose awaiter was cancelled, or that lost a Race or a
// Timeout, can still be awaited while it is reachable), or that was still
// not awaited when the runtime closed. By default such a panic crashes the process like an
// unrecovered goroutine panic, printing the task's stack. With a handler,
// the runtime calls it (from whichever goroutine noticed: a worker, the
// cleanup goroutine, or Close) and continues.
func WithPanicHandler(h func(*PanicError)) Option {
	return func(c *config) { c.panicHandler = h }
}

// How the scheduler works (worker.go, queue.go, task.go):
//
//   - Each worker has a bounded lock-free run queue (queue.go) that only it
//     pushes to and pops from; tasks it spawns go there. When it overflows,
//     half moves to the injection queue (a mutex-guarded list) that also
//     receives tasks spawned from outside and tasks woken from any goroutine
//     (a Waker cannot tell which worker it runs on).
//   - A worker looks for work in its local queue, its inbox of pinned
//     (SpawnLocal) tasks, the injection queue, then steals half of a random
//     victim's local queue. Every 61 polls it checks the inbox and the
//     injection queue first, so they are never starved.
//   - A task woken by a task running on a worker, through a Chan, goes to
//     that worker's LIFO slot rather than a queue: the worker runs it next
//     (at most three in a row, and never instead of the check above). When
//     the waking task is an async body about to suspend, its coroutine polls
//     the slot's task itself, and goes on at once if that poll woke it: a
//     Chan round trip between two tasks costs two coroutine switches instead
//     of four (worker.handOff lists the conditions).
//   - A worker with nothing to do registers as idle, looks once more, then
//     parks on a channel. Whoever queues work unparks an idle worker after
//     queueing it; together with the second look this loses no wakeup.
//   - Under virtual time, the last worker to go idle, finding nothing queued
//     and no blocking job in flight, does not park: it moves the clock to
//     the next deadline and fires the timers due itself, then looks for work
//     again. No other goroutine fires timers, so with one worker every
//     event happens on the worker goroutine in an order fixed by the program.
//
// Runtime is an executor: worker goroutines that poll tasks, a timer wheel
// and a pool of blocking threads. Create one with New (or use Run), and
// Close it when done. A Runtime must not be copied. Its methods are safe
// for concurrent use.
type Runtime struct {
	cfg     config
	epoch   time.Time // origin of the diagnostic clock
	workers []*worker
	global  taskList // the injection queue

	// holdUnpark is set while an idle worker fires a batch of virtual-time
	// timers: the wakes queue their tasks without unparking anyone, and the
	// worker unparks the others once every task of the batch is queued.
	holdUnpark atomic.Bool

	idleMu  sync.Mutex
	idle    []*worker      // workers registered as idle; guarded by idleMu
	nIdle   atomic.Int32   // len(idle), readable without the lock
	nParked int            // idle workers blocked on their park channel; guarded by idleMu
	wg      sync.WaitGroup // the worker goroutines

	registry registry
	timers   *timerDriver
	blocking *blockingPool

	closeMu  sync.Mutex  // serializes Close
	closing  atomic.Bool // Close started: new tasks are born cancelled
	shutdown atomic.Bool // every task is done: idle workers exit
	closed   atomic.Bool // Close finished: spawning panics
	drained  chan struct{}

	panicMu sync.Mutex
	held    []*heldPanic // panics that a joiner may still take; guarded by panicMu

	monitorStop chan struct{} // nil when no diagnostic report is configured
	monitorDone chan struct{}
}

// New starts a runtime: its workers, its timer driver and its blocking pool
// (whose goroutines start on demand).
func New(opts ...Option) *Runtime {
	cfg := config{workers: goruntime.GOMAXPROCS(0), blockingThreads: 512}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	rt := &Runtime{cfg: cfg, epoch: time.Now(), drained: make(chan struct{}, 1)}
	rt.workers = make([]*worker, cfg.workers)
	for i := range rt.workers {
		rt.workers[i] = newWorker(rt, i)
	}
	rt.blocking = newBlockingPool(rt, cfg.blockingThreads)
	rt.timers = newTimerDriver(cfg.virtualTime)
	rt.wg.Add(len(rt.workers))
	for _, w := range rt.workers {
		go w.loop()
	}
	if cfg.slowHandler != nil || cfg.stallHandler != nil {
		rt.monitorStop, rt.monitorDone = make(chan struct{}), make(chan struct{})
		go rt.monitor(rt.monitorStop, rt.monitorDone)
	}
	return rt
}

// Now returns the runtime's current time: the wall clock, or the paused
// clock under WithVirtualTime.
func (rt *Runtime) Now() time.Time { return rt.timers.now() }

// start registers a new task and queues it; w is the spawning worker, if any.
func (rt *Runtime) start(h *taskHeader, w *worker) {
	if rt.closed.Load() {
		panic("runtime: spawn on a closed runtime")
	}
	rt.registry.add(h)
	if rt.closing.Load() {
		// Spawned while Close is cancelling everything: born aborted.
		h.state.Store(stScheduled | cancelBit)
	}
	switch {
	case h.home != nil:
		h.home.pushPinned(h)
	case w != nil:
		w.pushLocal(h)
	default:
		rt.global.push(h)
		rt.notifyWork()
	}
}

// schedule queues a task that a wake or an abort made runnable. It may be
// called from any goroutine, so an unpinned task goes to the injection queue.
func (rt *Runtime) schedule(h *taskHeader) {
	if h.home != nil {
		h.home.pushPinned(h)
		return
	}
	rt.global.push(h)
	rt.notifyWork()
}

// notifyWork unparks one idle worker, if any, after work was queued.
func (rt *Runtime) notifyWork() {
	if rt.nIdle.Load() == 0 || rt.holdUnpark.Load() {
		return
	}
	rt.idleMu.Lock()
	n := len(rt.idle)
	if n == 0 {
		rt.idleMu.Unlock()
		return
	}
	w := rt.idle[n-1]
	rt.idle = rt.idle[:n-1]
	rt.unregisterLocked(w)
	rt.idleMu.Unlock()
	w.unpark()
}

// unparkWorker unparks w if it is idle (its pinned inbox got a task).
func (rt *Runtime) unparkWorker(w *worker) {
	if rt.holdUnpark.Load() {
		return
	}
	rt.idleMu.Lock()
	found := w.inIdle
	if found {
		rt.removeIdleLocked(w)
	}
	rt.idleMu.Unlock()
	if found {
		w.unpark()
	}
}

// unparkAll unparks every idle worker (they look for work, and park again
// if there is none).
func (rt *Runtime) unparkAll() {
	rt.idleMu.Lock()
	idle := rt.idle
	rt.idle = nil
	for _, w := range idle {
		rt.unregisterLocked(w)
	}
	rt.idleMu.Unlock()
	for _, w := range idle {
		w.unpark()
	}
}

func (rt *Runtime) removeIdleLocked(w *worker) {
	for i, x := range rt.idle {
		if x == w {
			rt.idle = append(rt.idle[:i], rt.idle[i+1:]...)
			break
		}
	}
	rt.unregisterLocked(w)
}

func (rt *Runtime) unregisterLocked(w *worker) {
	w.inIdle = false
	rt.nIdle.Add(-1)
	if w.parked {
		w.parked = false
		rt.nParked--
	}
}

// quiescentLocked reports whether every worker but the caller is parked,
// nothing is queued anywhere and no blocking job is in flight: the moment
// virtual time may jump. The caller holds idleMu and is an idle worker.
func (rt *Runtime) quiescentLocked() bool {
	if rt.nParked != len(rt.workers)-1 || rt.blocking.inFlight.Load() != 0 || !rt.global.empty() {
		return false
	}
	for _, w := range rt.workers {
		if !w.inbox.empty() || w.local.len() != 0 {
			return false
		}
	}
	return true
}

// reportPanic applies the panic policy to the panic of a detached task.
func (rt *Runtime) reportPanic(pe *PanicError) {
	if h := rt.cfg.panicHandler; h != nil {
		h(pe)
		return
	}
	defaultPanicHandler(pe)
}

// holdPanic keeps the panic of a task whose handle was neither awaited nor
// detached yet. It goes to the policy when the handle becomes garbage
// (nobody can await it any more), or at Close, unless a joiner takes it.
func (rt *Runtime) holdPanic(h *taskHeader, p *heldPanic) {
	rt.panicMu.Lock()
	if len(rt.held) >= 64 && len(rt.held)%64 == 0 {
		// Forget the panics already taken, so the list stays small.
		rt.held = slices.DeleteFunc(rt.held, func(p *heldPanic) bool { return p.taken.Load() })
	}
	rt.held = append(rt.held, p)
	rt.panicMu.Unlock()
	goruntime.AddCleanup(h, func(p *heldPanic) {
		if p.take() {
			// Off the shared cleanup goroutine: the handler may take a while.
			go rt.reportPanic(p.pe)
		}
	}, p)
}

// BlockOn runs f as a task on rt and blocks the calling goroutine until it
// completes, returning its value. If f panics, BlockOn panics with a
// *PanicError carrying the original value and stack.
//
// BlockOn must not be called from inside a task: that would block a worker
// on a nested runtime, and it panics instead. Inside a task, Await the
// future. BlockOn on a closed runtime panics.
func BlockOn[T any](rt *Runtime, f Future[T]) T { return blockOn(rt, f) }

// blockOn is BlockOn, called by BlockOn or Run: the task's spawn site is
// their caller.
func blockOn[T any](rt *Runtime, f Future[T]) T {
	if rt == nil {
		panic("runtime: BlockOn with a nil *Runtime (create one with New)")
	}
	if insideTask() {
		panic("runtime: BlockOn or Run called from inside a task (a nested runtime would block the worker): Await the future instead")
	}
	if rt.closed.Load() || rt.closing.Load() {
		panic("runtime: BlockOn on a closed runtime")
	}
	h := newHandle(rt, f, nil)
	rt.captureSite(&h.hdr, 3)
	rt.start(&h.hdr, nil)
	ch := make(chan struct{}, 1)
	cx := Cx{rt: rt, budget: budgetUnlimited, waker: Waker{target: &funcWaker{fn: func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	}}}}
	defer func() {
		if r := recover(); r != nil {
			if r == ErrAborted && (rt.closing.Load() || rt.closed.Load()) {
				r = "runtime: BlockOn: the runtime was closed (Close called from another goroutine) before the future completed"
			}
			panic(r)
		}
	}()
	for {
		if v, ok := h.Poll(&cx).Value(); ok {
			return v
		}
		<-ch
	}
}

// Run is the `#[tokio::main]` of Go: it starts a runtime with opts, runs f
// on it with BlockOn, closes the runtime (cancelling the tasks still
// running) and returns f's value.
func Run[T any](f Future[T], opts ...Option) T {
	if insideTask() {
		panic("runtime: BlockOn or Run called from inside a task (a nested runtime would block the worker): Await the future instead")
	}
	rt := New(opts...)
	defer rt.Close()
	return blockOn(rt, f)
}

// Close shuts the runtime down: it aborts every task still alive (their
// async bodies unwind and their defers run), waits for them to finish and
// for the running SpawnBlocking jobs to return (queued ones are cancelled),
// then stops the workers, the timer driver and the pooled coroutines. It
// then applies the panic policy to panics no joiner took. Close is
// idempotent; calling it from inside a task panics. Close waits for code
// that does not return (a blocking job stuck forever, a defer that blocks).
func (rt *Runtime) Close() {
	if insideTask() {
		panic("runtime: Close called from inside a task")
	}
	if insideBlockingJob() {
		panic("runtime: Close called from a SpawnBlocking job (Close waits for the running jobs, this one included)")
	}
	rt.closeMu.Lock()
	locked := true
	defer func() {
		if locked {
			rt.closeMu.Unlock()
		}
	}()
	if rt.closed.Load() {
		return
	}
	rt.closing.Store(true)
	for rt.registry.count() > 0 {
		live := rt.registry.snapshot()
		// In spawn order, so that a one-worker run on virtual time cancels
		// the same way every time.
		slices.SortFunc(live, func(a, b *taskHeader) int { return cmp.Compare(a.id, b.id) })
		for _, h := range live {
			if h.transitionAbort() {
				rt.schedule(h)
			}
		}
		select {
		case <-rt.drained:
		case <-time.After(10 * time.Millisecond):
		}
	}
	rt.blocking.close()
	rt.shutdown.Store(true)
	for _, w := range rt.workers {
		w.unpark()
	}
	rt.wg.Wait()
	rt.timers.stop()
	if rt.monitorStop != nil {
		close(rt.monitorStop)
		<-rt.monitorDone
	}
	for _, w := range rt.workers {
		w.coros.drain()
	}
	rt.closed.Store(true)
	rt.panicMu.Lock()
	held := rt.held
	rt.held = nil
	rt.panicMu.Unlock()
	// The policy runs after closeMu is released: a handler may call Close,
	// which then returns at once.
	locked = false
	rt.closeMu.Unlock()
	for _, p := range held {
		if p.take() {
			rt.reportPanic(p.pe)
		}
	}
}

// unregister removes a completed task from the registry.
func (rt *Runtime) unregister(h *taskHeader) {
	if rt.registry.remove(h) == 0 && rt.closing.Load() {
		select {
		case rt.drained <- struct{}{}:
		default:
		}
	}
}

// Entry points of the goroutines that run task code, for insideTask, and
// of the blocking pool's goroutines, for insideBlockingJob.
var (
	taskEntryPrefixes = func() []string {
		pkg := reflect.TypeFor[worker]().PkgPath()
		return []string{pkg + ".(*coro).loop", pkg + ".(*worker).loop"}
	}()
	blockingEntryPrefixes = []string{reflect.TypeFor[worker]().PkgPath() + ".(*blockingPool).thread"}
)

// insideTask reports whether the caller runs on a worker goroutine or inside
// a coroutine of an async body, by looking for their entry functions on the
// stack. It costs a stack walk, so only BlockOn, Run and Close pay for it.
func insideTask() bool { return onStack(taskEntryPrefixes) }

// insideBlockingJob reports whether the caller runs in a SpawnBlocking job
// (of any runtime), for Close.
func insideBlockingJob() bool { return onStack(blockingEntryPrefixes) }

// onStack reports whether a function whose name starts with one of prefixes
// is on the caller's stack.
func onStack(prefixes []string) bool {
	pcs := make([]uintptr, 64)
	for {
		n := goruntime.Callers(2, pcs)
		if n < len(pcs) {
			pcs = pcs[:n]
			break
		}
		pcs = make([]uintptr, 2*len(pcs))
	}
	frames := goruntime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		for _, p := range prefixes {
			if strings.HasPrefix(f.Function, p) {
				return true
			}
		}
		if !more {
			return false
		}
	}
}
