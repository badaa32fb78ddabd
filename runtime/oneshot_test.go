package runtime

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestOneshotDeliversOnce(t *testing.T) {
	var o Oneshot[int]
	p := newProbe()
	f := o.RecvFuture()
	pending(t, f.Poll(p.cx), "receive before send")
	if !o.Send(3) {
		t.Fatal("first Send: got false")
	}
	if o.Send(4) {
		t.Fatal("second Send: got true")
	}
	if !p.woken() {
		t.Fatal("receiver not woken by Send")
	}
	if r := ready(t, f.Poll(p.cx), "receive"); r.Value != 3 || !r.OK {
		t.Fatalf("got %+v; want {3 true}", r)
	}
	if r := ready(t, o.RecvFuture().Poll(p.cx), "second receive"); r.OK {
		t.Fatalf("second receive: got %+v; want OK false", r)
	}
}

func TestOneshotClose(t *testing.T) {
	o := NewOneshot[string]()
	p := newProbe()
	f := o.RecvFuture()
	pending(t, f.Poll(p.cx), "receive")
	o.Close()
	if !p.woken() {
		t.Fatal("receiver not woken by Close")
	}
	if r := ready(t, f.Poll(p.cx), "receive"); r.OK {
		t.Fatalf("got %+v; want OK false", r)
	}
	if o.Send("late") {
		t.Fatal("Send after Close: got true")
	}
	if _, ok, done := o.TryRecv(); ok || !done {
		t.Fatalf("TryRecv after Close: got ok=%v done=%v; want false, true", ok, done)
	}
}

func TestOneshotCancelKeepsValue(t *testing.T) {
	o := NewOneshot[int]()
	if _, ok, done := o.TryRecv(); ok || done {
		t.Fatalf("TryRecv of an empty Oneshot: got ok=%v done=%v; want false, false", ok, done)
	}
	p := newProbe()
	f := o.RecvFuture()
	pending(t, f.Poll(p.cx), "receive")
	o.Send(8)
	f.Cancel()
	if v, ok, _ := o.TryRecv(); !ok || v != 8 {
		t.Fatalf("TryRecv after a cancelled receive: got (%d, %v); want (8, true)", v, ok)
	}
}

// On one worker, Recv suspends its task until Send, which wakes it but does
// not switch to it: the sender runs on until it suspends, and sees its second
// Send refused. The value is received once; a later Recv returns false at
// once, and a Recv on an empty Oneshot waits until Close.
func TestOneshotOneWorker(t *testing.T) {
	o, never := NewOneshot[string](), NewOneshot[string]()
	var log eventLog
	oneWorker(func(t *Task) int {
		Spawn(t, Async(func(t *Task) int {
			log.add("sender sleeps")
			Await(t, Sleep(time.Hour))
			log.add("send later: %v", o.Send("later"))
			log.add("send again: %v", o.Send("again"))
			Await(t, Sleep(time.Hour))
			log.add("close")
			never.Close()
			return 0
		}))
		log.add("receiver waits")
		v, ok := o.Recv(t)
		log.add("received %q %v", v, ok)
		v, ok = o.Recv(t)
		log.add("received again %q %v", v, ok)
		v, ok = never.Recv(t)
		log.add("received from the closed one %q %v", v, ok)
		return 0
	})
	log.check(t,
		"receiver waits",
		"sender sleeps",
		"send later: true",
		"send again: false",
		`received "later" true`,
		`received again "" false`,
		"close",
		`received from the closed one "" false`)
}

func TestHammerOneshot(t *testing.T) {
	n := iterations(t)
	var sum atomic.Int64
	hammer(t, 16, func(t *Task, i int) {
		for j := range n / 10 {
			o := NewOneshot[int]()
			go o.Send(j) // a plain goroutine wakes the task
			v, ok := o.Recv(t)
			if !ok || v != j {
				panic("Oneshot delivered the wrong value")
			}
			sum.Add(int64(v))
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
