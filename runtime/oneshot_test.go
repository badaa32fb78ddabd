package runtime

import "testing"

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
