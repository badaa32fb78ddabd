package runtime

import "testing"

func TestTestCxWakerCallsFunction(t *testing.T) {
	n := 0
	cx := newTestCx(func() { n++ })
	w := cx.Waker()
	w.Wake()
	w.Wake()
	if n != 2 {
		t.Fatalf("got %d wakes; want 2", n)
	}
	if !w.WillWake(cx.Waker()) {
		t.Fatalf("WillWake of the same waker: got false; want true")
	}
	if w.WillWake(newTestCx(func() {}).Waker()) {
		t.Fatalf("WillWake of another waker: got true; want false")
	}
	var zero Waker
	zero.Wake() // must not panic
}
