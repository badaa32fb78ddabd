package runtime

import (
	"fmt"
	"sync/atomic"
	"testing"
)

func recvReady[T any](t *testing.T, f *RecvFuture[T], p *probe, want T, wantOK bool) {
	t.Helper()
	r := ready(t, f.Poll(p.cx), "receive")
	if any(r.Value) != any(want) || r.OK != wantOK {
		t.Fatalf("got (%v, %v); want (%v, %v)", r.Value, r.OK, want, wantOK)
	}
}

func TestChanBufferedFIFO(t *testing.T) {
	c := NewChan[int](2)
	if !c.TrySend(1) || !c.TrySend(2) {
		t.Fatal("TrySend into free buffer failed")
	}
	if c.TrySend(3) {
		t.Fatal("TrySend into a full buffer: got true")
	}
	ps := newProbe()
	s := c.SendFuture(3)
	pending(t, s.Poll(ps.cx), "send into a full buffer")
	if v, ok, closed := c.TryRecv(); v != 1 || !ok || closed {
		t.Fatalf("TryRecv: got (%d, %v, %v); want (1, true, false)", v, ok, closed)
	}
	if !ps.woken() {
		t.Fatal("the waiting sender was not woken when its value moved into the buffer")
	}
	ready(t, s.Poll(ps.cx), "sender")
	if c.Len() != 2 || c.Cap() != 2 {
		t.Fatalf("Len, Cap: got %d, %d; want 2, 2", c.Len(), c.Cap())
	}
	p := newProbe()
	recvReady(t, c.RecvFuture(), p, 2, true)
	recvReady(t, c.RecvFuture(), p, 3, true)
	pending(t, c.RecvFuture().Poll(p.cx), "receive from an empty channel")
}

func TestChanUnbufferedHandOff(t *testing.T) {
	c := NewChan[string](0)
	if c.TrySend("x") {
		t.Fatal("TrySend on an unbuffered channel with no receiver: got true")
	}
	pr := newProbe()
	r := c.RecvFuture()
	pending(t, r.Poll(pr.cx), "receive before send")
	if !c.TrySend("hello") {
		t.Fatal("TrySend with a waiting receiver: got false")
	}
	if !pr.woken() {
		t.Fatal("receiver not woken by the hand-off")
	}
	recvReady(t, r, pr, "hello", true)

	// A sender waits until a receiver takes its value.
	ps := newProbe()
	s := c.SendFuture("world")
	pending(t, s.Poll(ps.cx), "unbuffered send without a receiver")
	if v, ok, _ := c.TryRecv(); v != "world" || !ok {
		t.Fatalf("TryRecv: got (%q, %v); want (\"world\", true)", v, ok)
	}
	if !ps.woken() {
		t.Fatal("sender not woken when its value was taken")
	}
	ready(t, s.Poll(ps.cx), "sender")
}

func TestChanCloseSemantics(t *testing.T) {
	c := NewChan[int](2)
	c.TrySend(7)
	pr := newProbe()
	c.Close()
	recvReady(t, c.RecvFuture(), pr, 7, true)
	recvReady(t, c.RecvFuture(), pr, 0, false)
	if _, ok, closed := c.TryRecv(); ok || !closed {
		t.Fatalf("TryRecv on closed and drained: got ok=%v closed=%v; want false, true", ok, closed)
	}
	mustPanic(t, "runtime: send on closed Chan", func() { c.TrySend(1) })
	mustPanic(t, "runtime: send on closed Chan", func() { c.SendFuture(1).Poll(pr.cx) })
	mustPanic(t, "runtime: close of closed Chan", c.Close)
}

func TestChanCloseWakesWaiters(t *testing.T) {
	c := NewChan[int](0)
	pr, ps := newProbe(), newProbe()
	r := c.RecvFuture()
	pending(t, r.Poll(pr.cx), "receiver")
	c.Close()
	if !pr.woken() {
		t.Fatal("Close did not wake the receiver")
	}
	recvReady(t, r, pr, 0, false)

	c = NewChan[int](0)
	s := c.SendFuture(1)
	pending(t, s.Poll(ps.cx), "sender")
	c.Close()
	if !ps.woken() {
		t.Fatal("Close did not wake the sender")
	}
	mustPanic(t, "runtime: send on closed Chan", func() { s.Poll(ps.cx) })
}

func TestChanCancelledReceiverPassesValueOn(t *testing.T) {
	c := NewChan[int](0)
	pa, pb := newProbe(), newProbe()
	a, b := c.RecvFuture(), c.RecvFuture()
	pending(t, a.Poll(pa.cx), "a")
	pending(t, b.Poll(pb.cx), "b")
	c.TrySend(42) // handed to a
	a.Cancel()
	if !pb.woken() {
		t.Fatal("the value of a cancelled receiver did not go to the next one")
	}
	recvReady(t, b, pb, 42, true)

	// With no other receiver, the value goes back to the head of the channel,
	// ahead of the values sent after it.
	a = c.RecvFuture()
	pending(t, a.Poll(pa.cx), "a")
	c.TrySend(1)
	s := c.SendFuture(2)
	pending(t, s.Poll(newProbe().cx), "later sender")
	a.Cancel()
	recvReady(t, c.RecvFuture(), pb, 1, true)
	recvReady(t, c.RecvFuture(), pb, 2, true)
}

func TestChanCancelledSenderSendsNothing(t *testing.T) {
	c := NewChan[int](0)
	ps := newProbe()
	s := c.SendFuture(5)
	pending(t, s.Poll(ps.cx), "sender")
	s.Cancel()
	if _, ok, _ := c.TryRecv(); ok {
		t.Fatal("a cancelled send delivered its value")
	}
	if s.Delivered() {
		t.Error("cancelled while queued: Delivered() = true; want false")
	}
	// A send whose value was taken before the cancel stays delivered once,
	// and says so.
	s = c.SendFuture(6)
	pending(t, s.Poll(ps.cx), "sender")
	if v, ok, _ := c.TryRecv(); !ok || v != 6 {
		t.Fatalf("TryRecv: got (%d, %v); want (6, true)", v, ok)
	}
	s.Cancel()
	if _, ok, _ := c.TryRecv(); ok {
		t.Fatal("a value was delivered twice")
	}
	if !s.Delivered() {
		t.Error("cancelled after a receiver took the value: Delivered() = false; want true")
	}
}

func TestChanAbandonAfterReadyReturnsValue(t *testing.T) {
	c := NewChan[int](1)
	c.TrySend(9)
	r := c.RecvFuture()
	ready(t, r.Poll(newProbe().cx), "receive")
	r.abandon() // the caller unwound before seeing the value
	if v, ok, _ := c.TryRecv(); !ok || v != 9 {
		t.Fatalf("TryRecv: got (%d, %v); want the returned 9", v, ok)
	}
}

func TestChanOneWorkerPingPongAndClose(t *testing.T) {
	ping, pong := NewChan[int](0), NewChan[int](0)
	var log eventLog
	oneWorker(func(t *Task) int {
		h := Spawn(t, Async(func(t *Task) int {
			for {
				v, ok := ping.Recv(t)
				if !ok {
					log.add("ponger sees close")
					return 0
				}
				log.add("pong %d", v)
				pong.Send(t, v+1)
			}
		}))
		v := 0
		for range 3 {
			ping.Send(t, v)
			v, _ = pong.Recv(t)
		}
		ping.Close()
		Await(t, h)
		log.add("result %d", v)
		return 0
	})
	log.check(t, "pong 0", "pong 1", "pong 2", "ponger sees close", "result 3")
}

func TestChanOneWorkerBufferedBackpressure(t *testing.T) {
	c := NewChan[int](2)
	var log eventLog
	oneWorker(func(t *Task) int {
		h := Spawn(t, Async(func(t *Task) int {
			for i := range 4 {
				c.Send(t, i)
				log.add("sent %d", i)
			}
			c.Close()
			return 0
		}))
		Await(t, Sleep(ms(10))) // the producer fills the buffer and waits
		for {
			v, ok := c.Recv(t)
			if !ok {
				break
			}
			log.add("got %d", v)
		}
		Await(t, h)
		return 0
	})
	// Receiving 0 moves the waiting sender's 2 into the buffer, so the
	// consumer drains 1 and 2 before the producer runs again.
	log.check(t, "sent 0", "sent 1", "got 0", "got 1", "got 2", "sent 2", "sent 3", "got 3")
}

func TestChanSendOnClosedPanicsInTask(t *testing.T) {
	c := NewChan[int](0)
	got := oneWorker(func(t *Task) (msg string) {
		h := Spawn(t, Async(func(t *Task) int {
			c.Send(t, 1) // waits: nobody receives
			return 0
		}))
		Await(t, Sleep(ms(1)))
		c.Close()
		defer func() {
			r := recover()
			if pe, ok := r.(*PanicError); ok {
				msg = fmt.Sprint(pe.Value)
			}
		}()
		Await(t, h)
		return "no panic"
	})
	if got != "runtime: send on closed Chan" {
		t.Fatalf("got %q; want the send on closed Chan panic", got)
	}
}

func TestHammerChan(t *testing.T) {
	for _, capacity := range []int{0, 1, 16} {
		c := NewChan[int](capacity)
		const producers, consumers = 8, 8
		n := iterations(t) * 4
		seen := make([]atomic.Int32, producers*n)
		Run(Async(func(t *Task) int {
			var pwg WaitGroup
			for p := range producers {
				pwg.Add(1)
				Spawn(t, Async(func(t *Task) int {
					defer pwg.Done()
					for j := range n {
						v := p*n + j
						if j%2 == 0 && c.TrySend(v) {
							continue
						}
						c.Send(t, v)
					}
					return 0
				}))
			}
			var hs []*JoinHandle[int]
			for range consumers {
				hs = append(hs, Spawn(t, Async(func(t *Task) int {
					for {
						v, ok := c.Recv(t)
						if !ok {
							return 0
						}
						seen[v].Add(1)
					}
				})))
			}
			pwg.Wait(t)
			c.Close()
			awaitAll(t, hs)
			return 0
		}), WithWorkers(hammerWorkers))
		for v := range seen {
			if got := seen[v].Load(); got != 1 {
				t.Fatalf("capacity %d: value %d received %d times; want 1", capacity, v, got)
			}
		}
	}
}

// BenchmarkChanPingPong measures one round trip of a value between two tasks
// through unbuffered Chans on a one-worker runtime, against two goroutines
// and unbuffered Go channels. "runtime" has two Async bodies, the usual way
// to write tasks; "poll" has two tasks written as poll-level futures (the
// way every tokio task is compiled), which have no coroutine to switch.
func BenchmarkChanPingPong(b *testing.B) {
	b.Run("runtime", func(b *testing.B) {
		ping, pong := NewChan[int](0), NewChan[int](0)
		Run(Async(func(t *Task) int {
			h := Spawn(t, Async(func(t *Task) int {
				for {
					v, ok := ping.Recv(t)
					if !ok {
						return 0
					}
					pong.Send(t, v)
				}
			}))
			b.ResetTimer()
			cpu := processCPU()
			for i := range b.N {
				ping.Send(t, i)
				pong.Recv(t)
			}
			reportCPU(b, cpu, b.N)
			b.StopTimer()
			ping.Close()
			Await(t, h)
			return 0
		}), WithWorkers(1))
	})
	b.Run("poll", func(b *testing.B) {
		ping, pong := NewChan[int](0), NewChan[int](0)
		var cpu int64
		p := newPingPonger(ping, pong, b.N, func() { b.ResetTimer(); cpu = processCPU() })
		if got := Run[int](p, WithWorkers(1)); got != b.N {
			b.Fatalf("%d round trips; want %d", got, b.N)
		}
		reportCPU(b, cpu, b.N)
	})
	b.Run("goroutine", func(b *testing.B) {
		ping, pong := make(chan int), make(chan int)
		go func() {
			for v := range ping {
				pong <- v
			}
		}()
		b.ResetTimer()
		cpu := processCPU()
		for i := range b.N {
			ping <- i
			<-pong
		}
		reportCPU(b, cpu, b.N)
		b.StopTimer()
		close(ping)
	})
}

// echoer is a poll-level task that sends back on out every value it
// receives on in, until in is closed. It reuses its two futures (Reset), so
// that it allocates nothing per value.
type echoer struct {
	recv    *RecvFuture[int]
	send    *SendFuture[int]
	sending bool
}

func newEchoer(in, out *Chan[int]) *echoer {
	return &echoer{recv: in.RecvFuture(), send: out.SendFuture(0)}
}

func (e *echoer) Poll(cx *Cx) Poll[int] {
	for {
		if e.sending {
			if !e.send.Poll(cx).ready {
				return Pending[int]()
			}
			e.sending = false
			e.recv.Reset()
		}
		r := e.recv.Poll(cx)
		if !r.ready {
			return Pending[int]()
		}
		if !r.value.OK {
			return Ready(0)
		}
		e.send.Reset(r.value.Value)
		e.sending = true
	}
}

// pingPonger is a poll-level task that spawns an echoer, sends it n values
// one at a time through ping and waits for each to come back on pong. It
// returns the number of values that came back in order.
type pingPonger struct {
	ping, pong *Chan[int]
	n, i, ok   int
	started    func()
	echo       *JoinHandle[int]
	send       *SendFuture[int]
	recv       *RecvFuture[int]
	receiving  bool
}

func newPingPonger(ping, pong *Chan[int], n int, started func()) *pingPonger {
	return &pingPonger{ping: ping, pong: pong, n: n, started: started, send: ping.SendFuture(0), recv: pong.RecvFuture()}
}

func (p *pingPonger) Poll(cx *Cx) Poll[int] {
	if p.echo == nil {
		p.echo = SpawnOn(cx.Runtime(), Future[int](newEchoer(p.ping, p.pong)))
		p.started()
	}
	for p.i < p.n {
		if !p.receiving {
			if !p.send.Poll(cx).ready {
				return Pending[int]()
			}
			p.receiving = true
		}
		r := p.recv.Poll(cx)
		if !r.ready {
			return Pending[int]()
		}
		if r.value.OK && r.value.Value == p.i {
			p.ok++
		}
		p.receiving = false
		p.i++
		p.send.Reset(p.i)
		p.recv.Reset()
	}
	if p.ping != nil {
		p.ping.Close()
		p.ping = nil
	}
	if !p.echo.Poll(cx).ready {
		return Pending[int]()
	}
	return Ready(p.ok)
}

// Poll-level tasks reuse their Chan futures with Reset: values keep their
// order and nothing is allocated per value.
func TestChanFutureResetPingPong(t *testing.T) {
	const n = 1000
	for _, workers := range []int{1, 2} {
		ping, pong := NewChan[int](0), NewChan[int](0)
		if got := Run[int](newPingPonger(ping, pong, n, func() {}), WithWorkers(workers)); got != n {
			t.Fatalf("%d workers: %d of %d values came back in order", workers, got, n)
		}
	}
	run := func(n int) func() {
		return func() { Run[int](newPingPonger(NewChan[int](0), NewChan[int](0), n, func() {}), WithWorkers(1)) }
	}
	allocs, allocsN := testing.AllocsPerRun(1, run(0)), testing.AllocsPerRun(1, run(n))
	if allocsN-allocs > n/10 {
		t.Fatalf("%v allocations for %d round trips against %v for none; want (almost) none per round trip", allocsN, n, allocs)
	}
}

// Reset refuses a pending future (its value could be lost) and accepts a
// cancelled one, whose handed value went back to the channel.
func TestChanFutureResetPending(t *testing.T) {
	c := NewChan[int](0)
	p := newProbe()
	r := c.RecvFuture()
	pending(t, r.Poll(p.cx), "receive from an empty Chan")
	mustPanic(t, "runtime: Chan receive future reset while pending", r.Reset)
	if !c.TrySend(7) {
		t.Fatal("TrySend to a waiting receiver failed")
	}
	mustPanic(t, "runtime: Chan receive future reset while pending", r.Reset)
	r.Cancel()
	r.Reset()
	recvReady(t, r, p, 7, true)
	r.Reset()
	pending(t, r.Poll(p.cx), "receive from an empty Chan again")
	r.Cancel()

	s := c.SendFuture(1)
	pending(t, s.Poll(p.cx), "send without a receiver")
	mustPanic(t, "runtime: Chan send future reset while pending", func() { s.Reset(2) })
	s.Cancel()
	s.Reset(2)
	if s.Poll(p.cx).ready {
		t.Fatal("a reset send completed without a receiver")
	}
	if v, ok, _ := c.TryRecv(); v != 2 || !ok {
		t.Fatalf("TryRecv after the reset send: got (%d, %v); want (2, true)", v, ok)
	}
	ready(t, s.Poll(p.cx), "the reset send after its value was taken")
	s.Reset(3)
	c.Close()
	mustPanic(t, "runtime: send on closed Chan", func() { s.Poll(p.cx) })
}

// TestSendFutureDelivered checks Delivered after Reset and Ready, and in a
// Race that the send loses after a receiver took its value (the cancelled
// cases are in TestChanCancelledSenderSendsNothing).
func TestSendFutureDelivered(t *testing.T) {
	c := NewChan[int](0)
	p := newProbe()

	f := c.SendFuture(2)
	pending(t, f.Poll(p.cx), "send")
	c.TryRecv()
	f.Cancel()
	f.Reset(3)
	if f.Delivered() {
		t.Error("after Reset: Delivered() = true; want false")
	}
	r := c.RecvFuture()
	pending(t, r.Poll(p.cx), "recv")
	ready(t, f.Poll(p.cx), "send")
	if !f.Delivered() {
		t.Error("after Ready: Delivered() = false; want true")
	}

	// In a Race: the receiver takes the value of the queued send in the
	// same instant as the other branch wins (one worker, virtual time: the
	// receiver's timer was registered first and fires first).
	type outcome struct{ sleepWon, received, delivered bool }
	out := oneWorker(func(t *Task) outcome {
		sf := c.SendFuture(7)
		got := Spawn(t, Async(func(t *Task) int {
			Await(t, Sleep(ms(5)))
			v, _ := c.Recv(t)
			return v
		}))
		won := Await(t, Race(
			Future[int](Async(func(t *Task) int { Await(t, Sleep(ms(5))); return 0 })),
			Future[int](Async(func(t *Task) int { Await(t, sf); return 1 })),
		))
		return outcome{won == 0, Await(t, got) == 7, sf.Delivered()}
	})
	if !out.sleepWon || !out.received {
		t.Fatalf("%+v: want the send to lose the Race with its value received", out)
	}
	if !out.delivered {
		t.Error("the send lost the Race and its value was received, but Delivered() = false")
	}
}

// TestChanValuePutBackAfterCancel pins down the documented difference from
// Go channels: a value handed to a receiver that is then cancelled goes back
// into the channel, even an unbuffered one, and even once it is closed.
func TestChanValuePutBackAfterCancel(t *testing.T) {
	c := NewChan[int](0)
	pa, pb := newProbe(), newProbe()
	a, b := c.RecvFuture(), c.RecvFuture()
	pending(t, a.Poll(pa.cx), "a")
	if !c.TrySend(42) { // handed to a: the send is complete
		t.Fatal("TrySend with a receiver waiting = false")
	}
	pending(t, b.Poll(pb.cx), "b")
	c.Close()
	if r := ready(t, b.Poll(pb.cx), "b"); r.OK {
		t.Fatalf("b = %+v; want closed and empty", r)
	}
	a.Cancel()
	if c.Len() != 1 {
		t.Fatalf("after a's cancel: Len = %d; want the value back in the channel", c.Len())
	}
	if v, ok, _ := c.TryRecv(); !ok || v != 42 {
		t.Fatalf("TryRecv = %v, %v; want 42, true (a closed Chan is drained first)", v, ok)
	}
}
