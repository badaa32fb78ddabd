package runtime

import (
	"context"
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

func TestAwaitBlockingCancelsContextOnAbort(t *testing.T) {
	stopped := make(chan error, 1)
	started := make(chan struct{})
	Run(Async(func(t *Task) int {
		h := Spawn(t, Async(func(t *Task) int {
			return AwaitBlocking(t, func(ctx context.Context) int {
				close(started)
				<-ctx.Done()
				stopped <- ctx.Err()
				return 0
			})
		}))
		Await(t, FromGoChan(started))
		h.Abort()
		return 0
	}), WithWorkers(2))
	select {
	case err := <-stopped:
		if err != context.Canceled {
			t.Fatalf("got %v; want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the blocking function's context was not cancelled by Abort")
	}
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
