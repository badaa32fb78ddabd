package runtime

import (
	"bytes"
	"cmp"
	goruntime "runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Diagnostics: the runtime twin of the analyzers. A poll that blocks its
// worker (time.Sleep, a sync.Mutex held across Await, a blocking call) shows
// up as a slow poll, and when every worker is stuck at once, as a stall.

// SlowPoll reports one task poll that took longer than the threshold given
// to WithSlowPollReport.
type SlowPoll struct {
	TaskID    uint64
	SpawnSite string        // file:line of the Spawn (or BlockOn) that started the task
	Duration  time.Duration // how long the poll took
	// Stack is the stack of the code the poll was running, taken while it
	// ran, when the poll exceeded ten times the threshold; nil otherwise.
	Stack []byte
}

// Stall reports that every worker has been inside one poll for longer than
// the threshold given to WithStallReport: nothing else can run.
type Stall struct {
	Tasks []StalledTask // one per worker

	// Waiting lists the other live tasks, those that wait to be polled, the
	// longest-waiting first: often one of them holds what the stalled polls
	// wait for (a sync.Mutex held across an Await, say), and its stack shows
	// where it is suspended. At most 64 are listed; MoreWaiting counts the
	// rest.
	Waiting     []WaitingTask
	MoreWaiting int
}

// WaitingTask is a live task that is not being polled during a Stall.
type WaitingTask struct {
	TaskInfo
	// Stack is where an async body (a task spawned as Async) is suspended;
	// nil for other futures, and for a body not polled yet.
	Stack []byte
}

// maxStallWaiting bounds Stall.Waiting.
const maxStallWaiting = 64

// StalledTask is the poll one worker is stuck in during a Stall.
type StalledTask struct {
	Worker    int
	TaskID    uint64
	SpawnSite string
	Running   time.Duration // time spent in the current poll so far
	Stack     []byte        // the stack of the code the poll is running
}

// TaskInfo is a snapshot of one live task (see Runtime.Tasks).
type TaskInfo struct {
	ID    uint64
	State string // idle, scheduled, running, notified; "+cancelling" when aborted
	// Polls, SpawnSite and SinceLastPoll are recorded only when diagnostics
	// are on (WithTaskTracking, WithSlowPollReport or WithStallReport).
	Polls         uint64
	SpawnSite     string
	SinceLastPoll time.Duration // 0 if never polled; real time, also under WithVirtualTime
}

// WithSlowPollReport calls h (on the worker, after the poll) for every task
// poll that takes at least threshold. Off by default. It turns on task
// tracking, which costs a clock read per poll and a stack walk per spawn.
// A poll still running at ten times the threshold has its stack taken from
// a dump of every goroutine (one stop of the world, and memory in
// proportion to the number of goroutines, suspended async bodies included),
// once per such poll.
func WithSlowPollReport(threshold time.Duration, h func(SlowPoll)) Option {
	return func(c *config) {
		c.slowThreshold, c.slowHandler, c.track = threshold, h, true
	}
}

// WithStallReport calls h (from a monitor goroutine) once each time every
// worker has been stuck in one poll for at least threshold, with the tasks
// and their stacks: the stuck polls, and the tasks waiting meanwhile with
// where each async body is suspended. A sync.Mutex held across Await on a
// one-worker runtime turns from a silent hang into this report, which shows
// the task blocked in Lock and the holder suspended in its Await. Off by
// default; it turns on task tracking. Building a report stops the world
// once to dump the goroutines' stacks, and walks the live tasks.
func WithStallReport(threshold time.Duration, h func(Stall)) Option {
	return func(c *config) {
		c.stallThreshold, c.stallHandler, c.track = threshold, h, true
	}
}

// WithTaskTracking records each task's spawn site and last poll time, for
// Runtime.Tasks.
func WithTaskTracking() Option {
	return func(c *config) { c.track = true }
}

// Tasks returns a snapshot of the live tasks (spawned and not completed;
// SpawnBlocking jobs are not included), in no particular order.
func (rt *Runtime) Tasks() []TaskInfo {
	now := rt.nanos()
	var out []TaskInfo
	for _, h := range rt.registry.snapshot() {
		out = append(out, h.info(now))
	}
	return out
}

// info is the snapshot of h at time now (rt.nanos).
func (h *taskHeader) info(now int64) TaskInfo {
	ti := TaskInfo{ID: h.id, State: stateName(h.state.Load()), Polls: h.polls.Load(), SpawnSite: h.spawnSite()}
	if lp := h.lastPoll.Load(); lp > 0 {
		ti.SinceLastPoll = time.Duration(now - lp)
	}
	return ti
}

func stateName(s uint32) string {
	name := [...]string{"idle", "scheduled", "running", "notified", "complete"}[s&stateMask]
	if s&cancelBit != 0 {
		name += "+cancelling"
	}
	return name
}

// nanos is the runtime's monotonic diagnostic clock (always real time).
func (rt *Runtime) nanos() int64 { return int64(time.Since(rt.epoch)) + 1 }

// captureSite records the caller of the spawning function, skip frames up.
func (rt *Runtime) captureSite(h *taskHeader, skip int) {
	if !rt.cfg.track {
		return
	}
	var pc [1]uintptr
	if goruntime.Callers(skip+1, pc[:]) == 1 {
		h.spawnPC = pc[0]
	}
}

func (h *taskHeader) spawnSite() string {
	if h.spawnPC == 0 {
		return ""
	}
	f, _ := goruntime.CallersFrames([]uintptr{h.spawnPC}).Next()
	return f.File + ":" + strconv.Itoa(f.Line)
}

// curGoroutineID parses the id of the calling goroutine from its stack
// header. It costs a microsecond: only tracked runtimes call it, once per
// worker and per new coroutine.
func curGoroutineID() int64 {
	var buf [64]byte
	b := buf[:goruntime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		id, _ := strconv.ParseInt(string(b[:i]), 10, 64)
		return id
	}
	return 0
}

// goroutineStack returns the stack of goroutine id, from a dump of all.
func goroutineStack(id int64) []byte { return goroutineStacks()[id] }

// goroutineStacks dumps the stacks of all goroutines (one stop of the
// world), by goroutine id.
func goroutineStacks() map[int64][]byte {
	buf := make([]byte, 1<<16)
	for {
		n := goruntime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := make(map[int64][]byte)
	for _, block := range bytes.Split(buf, []byte("\n\n")) {
		rest, ok := bytes.CutPrefix(block, []byte("goroutine "))
		if !ok {
			continue
		}
		num, _, ok := bytes.Cut(rest, []byte(" "))
		if id, err := strconv.ParseInt(string(num), 10, 64); ok && err == nil {
			out[id] = block
		}
	}
	return out
}

// pollDiag is a worker's record of the poll it is in, for the monitor.
type pollDiag struct {
	start atomic.Int64               // nanos when the current poll began; 0 between polls
	task  atomic.Pointer[taskHeader] // the task being polled
	gid   int64                      // the worker goroutine's id
	curCo atomic.Pointer[coro]       // the coroutine running task code now; nil: the worker itself

	mu      sync.Mutex
	stackOf int64  // the poll start the captured stack belongs to; guarded by mu
	stack   []byte // guarded by mu
}

// beginPoll and endPoll bracket a tracked poll.
func (w *worker) beginPoll(h *taskHeader) int64 {
	start := w.rt.nanos()
	h.polls.Add(1)
	h.lastPoll.Store(start)
	w.diag.task.Store(h)
	w.diag.start.Store(start)
	return start
}

func (w *worker) endPoll(h *taskHeader, start int64) {
	end := w.rt.nanos()
	w.diag.start.Store(0)
	rt := w.rt
	if rt.cfg.slowHandler == nil || time.Duration(end-start) < rt.cfg.slowThreshold {
		return
	}
	w.diag.mu.Lock()
	var stack []byte
	if w.diag.stackOf == start {
		stack = w.diag.stack
	}
	w.diag.stack, w.diag.stackOf = nil, 0
	w.diag.mu.Unlock()
	rt.cfg.slowHandler(SlowPoll{TaskID: h.id, SpawnSite: h.spawnSite(), Duration: time.Duration(end - start), Stack: stack})
}

// enterCoro and leaveCoro track which goroutine runs a worker's task code.
func enterCoro(cx *Cx, c *coro) *coro {
	if cx.w == nil || !cx.w.rt.cfg.track {
		return nil
	}
	return cx.w.diag.curCo.Swap(c)
}

func leaveCoro(cx *Cx, prev *coro) {
	if cx.w != nil && cx.w.rt.cfg.track {
		cx.w.diag.curCo.Store(prev)
	}
}

// runningGoroutine returns the id of the goroutine running w's task code.
func (w *worker) runningGoroutine() int64 {
	if c := w.diag.curCo.Load(); c != nil {
		return c.gid.Load()
	}
	return w.diag.gid
}

// monitor watches the workers' polls for the slow-poll stacks and stalls.
func (rt *Runtime) monitor(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	cfg := &rt.cfg
	interval := time.Duration(1<<63 - 1)
	if cfg.slowHandler != nil {
		interval = min(interval, cfg.slowThreshold)
	}
	if cfg.stallHandler != nil {
		interval = min(interval, cfg.stallThreshold)
	}
	interval = max(interval/4, time.Millisecond)
	tk := time.NewTicker(interval)
	defer tk.Stop()
	var lastStall []int64
	for {
		select {
		case <-stop:
			return
		case <-tk.C:
		}
		now := rt.nanos()
		starts := make([]int64, len(rt.workers))
		stalled := cfg.stallHandler != nil
		for i, w := range rt.workers {
			s := w.diag.start.Load()
			starts[i] = s
			if s == 0 || time.Duration(now-s) < cfg.stallThreshold {
				stalled = false
			}
			if s != 0 && cfg.slowHandler != nil && time.Duration(now-s) >= 10*cfg.slowThreshold {
				w.diag.mu.Lock()
				if w.diag.stackOf != s {
					w.diag.stackOf, w.diag.stack = s, goroutineStack(w.runningGoroutine())
				}
				w.diag.mu.Unlock()
			}
		}
		if !stalled || equalStarts(starts, lastStall) {
			continue
		}
		lastStall = starts
		cfg.stallHandler(rt.stallReport(now, starts))
	}
}

// stallReport describes a stall: the poll of each worker (begun at starts),
// and the tasks that wait meanwhile.
func (rt *Runtime) stallReport(now int64, starts []int64) Stall {
	stacks := goroutineStacks()
	var st Stall
	polled := make(map[*taskHeader]bool)
	for i, w := range rt.workers {
		h := w.diag.task.Load()
		polled[h] = true
		st.Tasks = append(st.Tasks, StalledTask{
			Worker: i, TaskID: h.id, SpawnSite: h.spawnSite(),
			Running: time.Duration(now - starts[i]), Stack: stacks[w.runningGoroutine()],
		})
	}
	var waiting []*taskHeader
	for _, h := range rt.registry.snapshot() {
		if !polled[h] {
			waiting = append(waiting, h)
		}
	}
	// Longest since its last poll first; never polled last.
	slices.SortStableFunc(waiting, func(a, b *taskHeader) int {
		la, lb := a.lastPoll.Load(), b.lastPoll.Load()
		if la == 0 || lb == 0 {
			return cmp.Compare(lb, la) // the never-polled (0) go last
		}
		return cmp.Compare(la, lb)
	})
	if len(waiting) > maxStallWaiting {
		st.MoreWaiting = len(waiting) - maxStallWaiting
		waiting = waiting[:maxStallWaiting]
	}
	for _, h := range waiting {
		wt := WaitingTask{TaskInfo: h.info(now)}
		if c := h.co.Load(); c != nil {
			if id := c.gid.Load(); id != 0 {
				wt.Stack = stacks[id]
			}
		}
		st.Waiting = append(st.Waiting, wt)
	}
	return st
}

func equalStarts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
