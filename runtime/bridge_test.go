package runtime

import (
	"context"
	"errors"
	goruntime "runtime"
	"sync/atomic"
	"testing"
	"time"
)

func TestFromGoChanReadyValueStartsNothing(t *testing.T) {
	ch := make(chan int, 1)
	ch <- 5
	f := FromGoChan(ch)
	if r := ready(t, f.Poll(newProbe().cx), "buffered value"); r.Value != 5 || !r.OK {
		t.Fatalf("got %+v; want {5 true}", r)
	}
	close(ch)
	if r := ready(t, FromGoChan(ch).Poll(newProbe().cx), "closed channel"); r.OK {
		t.Fatalf("got %+v; want OK false", r)
	}
}

func TestFromGoChanWakesFromGoroutine(t *testing.T) {
	ch := make(chan string)
	woke := make(chan struct{}, 1)
	cx := newTestCx(func() { woke <- struct{}{} })
	f := FromGoChan(ch)
	pending(t, f.Poll(cx), "empty channel")
	go func() { ch <- "hi" }()
	select {
	case <-woke:
	case <-time.After(5 * time.Second):
		t.Fatal("not woken after a goroutine sent")
	}
	if r := ready(t, f.Poll(cx), "after wake"); r.Value != "hi" || !r.OK {
		t.Fatalf("got %+v; want {hi true}", r)
	}
}

func TestFromGoChanCancelStopsHelper(t *testing.T) {
	before := goruntime.NumGoroutine()
	ch := make(chan int)
	fs := make([]*GoChanFuture[int], 20)
	for i := range fs {
		fs[i] = FromGoChan(ch)
		pending(t, fs[i].Poll(newProbe().cx), "empty channel")
	}
	for _, f := range fs {
		f.Cancel()
	}
	deadline := time.Now().Add(5 * time.Second)
	for goruntime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("got %d goroutines after Cancel; want %d", goruntime.NumGoroutine(), before)
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case ch <- 1:
		t.Fatal("a cancelled helper still receives from the channel")
	default:
	}
}

func TestFromGoChanInTask(t *testing.T) {
	ch := make(chan int)
	go func() {
		time.Sleep(time.Millisecond)
		ch <- 7
	}()
	got := Run(Async(func(t *Task) Received[int] { return Await(t, FromGoChan(ch)) }), WithWorkers(1))
	if got.Value != 7 || !got.OK {
		t.Fatalf("got %+v; want {7 true}", got)
	}
}

// ctxWatch is an AwaitBlocking function that reports its context's state:
// ctx.Err() when it starts, on started, and ctx.Err() once the context is
// done, on stopped. It also stops when release is closed, so that a context
// that is never cancelled fails the test instead of hanging the runtime's
// Close, which waits for the blocking pool.
type ctxWatch struct {
	started, stopped chan error
	release          chan struct{}
}

func newCtxWatch() *ctxWatch {
	return &ctxWatch{started: make(chan error, 1), stopped: make(chan error, 1), release: make(chan struct{})}
}

func (w *ctxWatch) fn(ctx context.Context) int {
	w.started <- ctx.Err()
	select {
	case <-ctx.Done():
	case <-w.release:
	}
	w.stopped <- ctx.Err()
	return 0
}

// errNoReport is what stoppedWithin returns when the function did not stop.
var errNoReport = errors.New("no report from the blocking function")

// stoppedWithin waits in t, on real time, for the function's report after
// its context was done, and returns it; or errNoReport if none came within
// d. Running inside the task, it sees the context while the runtime is
// still open, so the cancellation it sees cannot be Close's.
func (w *ctxWatch) stoppedWithin(t *Task, d time.Duration) error {
	r := Await(t, Race(Future[Received[error]](FromGoChan(w.stopped)), after[Received[error]](d)))
	close(w.release)
	if !r.OK {
		return errNoReport
	}
	return r.Value
}

// checkCtxCancelled fails the test unless run, the body of a root task,
// returns context.Canceled, the report of a cancelled context.
func checkCtxCancelled(t *testing.T, route string, run func(t *Task) error) {
	t.Helper()
	switch err := Run(Async(run), WithWorkers(2)); err {
	case context.Canceled:
	case errNoReport:
		t.Fatalf("the blocking function's context was not cancelled by %s within 5s of real time while the runtime was open", route)
	default:
		t.Fatalf("after %s, got ctx.Err() %v; want context.Canceled", route, err)
	}
}

func TestAwaitBlockingCancelsContextOnAbort(t *testing.T) {
	w := newCtxWatch()
	checkCtxCancelled(t, "Abort", func(t *Task) error {
		h := Spawn(t, Async(func(t *Task) int { return AwaitBlocking(t, w.fn) }))
		if err := Await(t, FromGoChan(w.started)).Value; err != nil {
			panic("the context was done before the task was aborted: " + err.Error())
		}
		h.Abort()
		return w.stoppedWithin(t, 5*time.Second)
	})
}

// A losing AwaitBlocking inside Race: the winner completes once the blocking
// function runs, and Race drops the loser, whose body unwinds.
func TestAwaitBlockingCancelsContextOnRaceLoss(t *testing.T) {
	w := newCtxWatch()
	checkCtxCancelled(t, "a lost Race", func(t *Task) error {
		won := Await(t, Race(
			Async(func(t *Task) int { return AwaitBlocking(t, w.fn) }),
			Async(func(t *Task) int {
				if err := Await(t, FromGoChan(w.started)).Value; err != nil {
					panic("the context was done before the Race was lost: " + err.Error())
				}
				return 1
			}),
		))
		if won != 1 {
			panic("the AwaitBlocking side won the Race")
		}
		return w.stoppedWithin(t, 5*time.Second)
	})
}

// An AwaitBlocking under an expired Timeout. The function may start before or
// after the expiry (real time), and either way must find its context
// cancelled by the Timeout.
func TestAwaitBlockingCancelsContextOnTimeout(t *testing.T) {
	w := newCtxWatch()
	checkCtxCancelled(t, "an expired Timeout", func(t *Task) error {
		r := Await(t, Timeout(20*time.Millisecond, Async(func(t *Task) int { return AwaitBlocking(t, w.fn) })))
		if !r.TimedOut {
			panic("the blocking function returned before the Timeout")
		}
		return w.stoppedWithin(t, 5*time.Second)
	})
}

func TestAwaitBlockingReturnsResult(t *testing.T) {
	got := Run(Async(func(t *Task) int {
		return AwaitBlocking(t, func(ctx context.Context) int {
			time.Sleep(time.Millisecond) // allowed: this runs on the blocking pool
			return 42
		})
	}), WithWorkers(1))
	if got != 42 {
		t.Fatalf("got %d; want 42", got)
	}
}

func TestHammerFromGoChan(t *testing.T) {
	n := iterations(t)
	var sum atomic.Int64
	hammer(t, 16, func(t *Task, i int) {
		for j := range n / 10 {
			ch := make(chan int)
			go func() { ch <- j }() // a plain goroutine wakes the task
			if r := Await(t, FromGoChan(ch)); r.OK {
				sum.Add(int64(r.Value))
			}
			// A cancelled wait must stop its helper and leave ch alone.
			other := make(chan int, 1)
			Await(t, Race(Future[Received[int]](FromGoChan(other)), after[Received[int]](time.Microsecond)))
			other <- 1
			if v := <-other; v != 1 {
				panic("a cancelled FromGoChan helper took a value")
			}
		}
	})
	want := int64(0)
	for j := range n / 10 {
		want += int64(j)
	}
	if got := sum.Load(); got != 16*want {
		t.Fatalf("got sum %d; want %d", got, 16*want)
	}
}

// poolJob is a blockingJob made of two functions, to drive a blockingPool
// directly.
type poolJob struct{ runFn, cancelFn func() }

func (j poolJob) run()    { j.runFn() }
func (j poolJob) cancel() { j.cancelFn() }

// waitPool waits until cond holds on p's state, or fails the test.
func waitPool(t *testing.T, p *blockingPool, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		p.mu.Lock()
		ok := cond()
		p.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// Two jobs submitted while a single pool goroutine is idle must both run at
// once when the bound allows it: the first takes the idle goroutine, the
// second starts a goroutine of its own instead of waiting behind the first
// for a goroutine that was already claimed.
func TestBlockingPoolDoesNotCountTwiceOnOneIdleGoroutine(t *testing.T) {
	// On one P the woken goroutine cannot run before both submits are done,
	// which is the window where a second job could be left waiting.
	defer goruntime.GOMAXPROCS(goruntime.GOMAXPROCS(1))
	rt := New(WithWorkers(1))
	defer rt.Close()
	p := newBlockingPool(rt, 4)
	defer p.close()
	noCancel := func() {} // only Close cancels, and only a job left waiting

	done := make(chan struct{})
	p.submit(poolJob{func() { close(done) }, noCancel})
	<-done
	waitPool(t, p, "the first goroutine to go idle", func() bool { return p.idle == 1 })

	started := make(chan int, 2)
	release := make(chan struct{})
	for i := range 2 {
		p.submit(poolJob{func() { started <- i; <-release }, noCancel})
	}
	defer close(release)
	for range 2 {
		select {
		case <-started:
		case <-time.After(5 * time.Second):
			t.Fatal("got one job running; want both: the second waited behind the first")
		}
	}
	p.mu.Lock()
	threads, queued := p.threads, len(p.queue)
	p.mu.Unlock()
	if threads != 2 || queued != 0 {
		t.Fatalf("got %d goroutines and %d queued jobs; want 2 and 0", threads, queued)
	}
}

// Jobs beyond the bound wait in the queue and start in submission order;
// Close cancels the ones still queued.
func TestBlockingPoolQueuesBeyondTheBoundInOrder(t *testing.T) {
	rt := New(WithWorkers(1))
	defer rt.Close()
	p := newBlockingPool(rt, 1)
	release := make(chan struct{})
	var order []int
	var cancelled atomic.Int32
	p.submit(poolJob{func() { <-release }, func() {}})
	for i := range 3 {
		// The single goroutine runs these one at a time: order needs no lock.
		p.submit(poolJob{func() { order = append(order, i) }, func() { cancelled.Add(1) }})
	}
	waitPool(t, p, "three queued jobs", func() bool { return len(p.queue) == 3 })
	close(release)
	waitPool(t, p, "the queue to drain", func() bool { return len(p.queue) == 0 && p.idle == 1 })
	if len(order) != 3 || order[0] != 0 || order[1] != 1 || order[2] != 2 {
		t.Fatalf("got order %v; want [0 1 2]", order)
	}
	block := make(chan struct{})
	p.submit(poolJob{func() { <-block }, func() {}})
	p.submit(poolJob{func() { t.Error("a job queued at Close ran") }, func() { cancelled.Add(1) }})
	waitPool(t, p, "one queued job", func() bool { return len(p.queue) == 1 })
	closed := make(chan struct{})
	go func() { p.close(); close(closed) }()
	waitPool(t, p, "close", func() bool { return p.closed })
	close(block)
	<-closed
	if got := cancelled.Load(); got != 1 {
		t.Fatalf("got %d cancelled jobs; want 1", got)
	}
	if got := p.inFlight.Load(); got != 0 {
		t.Fatalf("got %d jobs in flight after close; want 0", got)
	}
}

// BenchmarkAwaitBlocking is a task handing a call to the blocking pool and
// awaiting it, beside a goroutine handing the call to another goroutine.
// "burst" starts 1,000 calls at once on a fresh pool (each starts a
// goroutine, as in the chat bot); "reuse" runs one at a time on an idle one.
func BenchmarkAwaitBlocking(b *testing.B) {
	const burst = 1000
	b.Run("burst/runtime", func(b *testing.B) {
		for b.Loop() {
			Run(Async(func(t *Task) int {
				hs := make([]*JoinHandle[int], burst)
				for i := range hs {
					hs[i] = Spawn(t, Async(func(t *Task) int {
						return AwaitBlocking(t, func(context.Context) int { return i })
					}))
				}
				for _, h := range hs {
					Await(t, h)
				}
				return 0
			}), WithWorkers(2), WithBlockingThreads(burst))
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*burst), "ns/call")
	})
	b.Run("burst/goroutine", func(b *testing.B) {
		for b.Loop() {
			out := make(chan int, burst)
			for i := range burst {
				go func() { out <- i }()
			}
			for range burst {
				<-out
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*burst), "ns/call")
	})
	b.Run("reuse/runtime", func(b *testing.B) {
		Run(Async(func(t *Task) int {
			for b.Loop() {
				AwaitBlocking(t, func(context.Context) int { return 0 })
			}
			return 0
		}), WithWorkers(1))
	})
	b.Run("reuse/goroutine", func(b *testing.B) {
		in, out := make(chan func() int), make(chan int)
		go func() {
			for f := range in {
				out <- f()
			}
		}()
		defer close(in)
		for b.Loop() {
			in <- func() int { return 0 }
			<-out
		}
	})
}
