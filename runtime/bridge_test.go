package runtime

import (
	goruntime "runtime"
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
