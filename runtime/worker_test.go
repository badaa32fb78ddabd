package runtime

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	goruntime "runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// echo returns the body of a task that sends back every value it receives
// on in, until in is closed.
func echo(in, out *Chan[int]) Future[int] {
	return Async(func(t *Task) int {
		n := 0
		for {
			v, ok := in.Recv(t)
			if !ok {
				return n
			}
			n++
			out.Send(t, v)
		}
	})
}

// pingPong sends 0..rounds-1 through ping to an echo task and checks each
// reply on pong.
func pingPong(t *Task, rounds int) (bad int) {
	ping, pong := NewChan[int](0), NewChan[int](0)
	h := Spawn(t, echo(ping, pong))
	for i := range rounds {
		ping.Send(t, i)
		if v, ok := pong.Recv(t); !ok || v != i {
			bad++
		}
	}
	ping.Close()
	if n := Await(t, h); n != rounds {
		bad++
	}
	return bad
}

// A ping-pong between two tasks on one worker runs the receiving task from
// inside the sender's poll: one poll per round trip, nearly all of them
// hand-offs.
func TestHandOffPingPong(t *testing.T) {
	const rounds = 10_000
	rt := New(WithWorkers(1))
	bad := BlockOn(rt, Async(func(t *Task) int { return pingPong(t, rounds) }))
	rt.Close()
	w := rt.workers[0]
	if bad != 0 {
		t.Fatalf("got %d wrong replies; want 0", bad)
	}
	if w.handOffs < rounds*9/10 || w.polls > rounds*11/10 {
		t.Fatalf("got %d polls, %d of them hand-offs, for %d round trips; want about one poll per round trip, nearly all hand-offs",
			w.polls, w.handOffs, rounds)
	}
}

// With diagnostics on, a poll's time must belong to one task, so there is
// no hand-off; the LIFO slot still runs the woken task next.
func TestHandOffOffWithDiagnostics(t *testing.T) {
	rt := New(WithWorkers(1), WithTaskTracking())
	bad := BlockOn(rt, Async(func(t *Task) int { return pingPong(t, 1000) }))
	rt.Close()
	if bad != 0 || rt.workers[0].handOffs != 0 {
		t.Fatalf("got %d wrong replies and %d hand-offs; want 0 and 0", bad, rt.workers[0].handOffs)
	}
}

// A pair of tasks that keep waking each other must not starve a third task
// of the worker, through hand-offs or through the LIFO slot.
func TestHandOffKeepsFairness(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{"hand-off", nil},
		{"lifo", []Option{WithTaskTracking()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const rounds = 20_000
			var spins, spinsAtEnd atomic.Int64
			var stop atomic.Bool
			got := Run(Async(func(t *Task) int {
				spinner := Spawn(t, Async(func(t *Task) int {
					for !stop.Load() {
						spins.Add(1)
						Await(t, YieldNow())
					}
					return 0
				}))
				bad := pingPong(t, rounds)
				spinsAtEnd.Store(spins.Load())
				stop.Store(true)
				Await(t, spinner)
				return bad
			}), append(tc.opts, WithWorkers(1))...)
			if got != 0 {
				t.Fatalf("got %d wrong replies; want 0", got)
			}
			// The fairness check every globalCheckInterval tasks, the LIFO
			// bound and the coop budget each let the spinner in every few
			// dozen round trips at most.
			if n := spinsAtEnd.Load(); n < rounds/100 {
				t.Fatalf("the third task ran %d times during %d round trips; want at least %d", n, rounds, rounds/100)
			}
		})
	}
}

// An abort that arrives during a hand-off (the woken task aborts the one
// that woke it, then maybe wakes it too) is carried out at the aborted
// task's current await, as without the hand-off: the wake it came with is
// not consumed.
func TestHandOffHonoursAbort(t *testing.T) {
	for _, reply := range []bool{false, true} {
		var rounds atomic.Int64
		var deferRan atomic.Bool
		var victim atomic.Pointer[JoinHandle[int]]
		var got string
		withWatchdog(t, func() {
			rt := New(WithWorkers(1))
			defer rt.Close()
			got = BlockOn(rt, Async(func(t *Task) (msg string) {
				ping, pong := NewChan[int](0), NewChan[int](0)
				// b first, so that it waits in Recv and each Send of a hands off to it.
				b := Spawn(t, Async(func(t *Task) int {
					for {
						v, ok := ping.Recv(t)
						if !ok {
							return 0
						}
						if v == 5 {
							victim.Load().Abort() // a waits for the reply, in the poll that runs b
							if !reply {
								return 0
							}
						}
						pong.Send(t, v)
					}
				}))
				a := Spawn(t, Async(func(t *Task) int {
					defer deferRan.Store(true)
					for i := 0; ; i++ {
						ping.Send(t, i)
						pong.Recv(t)
						rounds.Add(1)
					}
				}))
				victim.Store(a)
				defer func() {
					if r := recover(); r != nil {
						msg = r.(error).Error()
					}
					ping.Close()
					Await(t, b)
				}()
				Await(t, a)
				return "no panic"
			}))
			if rt.workers[0].handOffs == 0 {
				t.Error("no hand-off happened")
			}
		})
		if got != ErrAborted.Error() || rounds.Load() != 5 || !deferRan.Load() {
			t.Fatalf("reply after the abort %v: got %q after %d rounds, defer ran %v; want %q after 5 rounds, defer ran",
				reply, got, rounds.Load(), deferRan.Load(), ErrAborted.Error())
		}
	}
}

// A task whose body ends in a poll run by a hand-off (returning, panicking
// or calling runtime.Goexit) has its outcome recorded as from any poll: its
// joiner sees it, and the task whose poll ran it carries on.
func TestHandOffBodyEnds(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func() int
		want string
	}{
		{"return", func() int { return 42 }, "42"},
		{"panic", func() int { panic("boom in the woken task") }, "boom in the woken task"},
		{"goexit", func() int { goruntime.Goexit(); return 0 }, "runtime.Goexit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := New(WithWorkers(1))
			got := BlockOn(rt, Async(func(t *Task) (msg string) {
				c := NewChan[int](0)
				h := Spawn(t, Async(func(t *Task) int {
					c.Recv(t)
					return tc.end()
				}))
				Await(t, YieldNow()) // h waits in Recv
				c.Send(t, 1)         // wakes h into the LIFO slot
				defer func() {
					if pe, ok := recover().(*PanicError); ok && pe.TaskID == h.ID() {
						msg = fmt.Sprint(pe.Value)
					}
				}()
				return fmt.Sprint(Await(t, h)) // the hand-off runs h, which ends
			}))
			rt.Close()
			if !strings.Contains(got, tc.want) || rt.workers[0].handOffs == 0 {
				t.Fatalf("got %q with %d hand-offs; want %q, seen by the joiner through a hand-off",
					got, rt.workers[0].handOffs, tc.want)
			}
		})
	}
}

// A task pinned to one worker is never run by another, even when a task of
// that other worker wakes it: the LIFO slot only takes tasks that may run
// there.
func TestHandOffRespectsPinning(t *testing.T) {
	rt := New(WithWorkers(2))
	defer rt.Close()
	ping, pong := NewChan[int](0), NewChan[int](0)
	var strays atomic.Int64
	pinned := func(i int, body func(t *Task) int) *JoinHandle[int] {
		home := rt.workers[i]
		h := newHandle(rt, Async(func(t *Task) int {
			return body(t)
		}), home)
		h.hdr.rt.start(&h.hdr, nil)
		return h
	}
	check := func(t *Task, i int) {
		if t.cx.w != rt.workers[i] {
			strays.Add(1)
		}
	}
	const rounds = 2000
	b := pinned(1, func(t *Task) int {
		for {
			check(t, 1)
			v, ok := ping.Recv(t)
			check(t, 1)
			if !ok {
				return 0
			}
			pong.Send(t, v)
		}
	})
	a := pinned(0, func(t *Task) int {
		for i := range rounds {
			check(t, 0)
			ping.Send(t, i)
			check(t, 0)
			pong.Recv(t)
		}
		ping.Close()
		return 0
	})
	BlockOn(rt, Async(func(t *Task) int { return Await(t, a) + Await(t, b) }))
	if n := strays.Load(); n != 0 {
		t.Fatalf("pinned tasks ran %d times on a worker other than their own; want 0", n)
	}
}

// A hand-off never nests: in a ring of tasks passing a token, the task a
// hand-off runs suspends back to the one that ran it instead of handing
// off in turn.
func TestHandOffDepthIsOne(t *testing.T) {
	const tasks, laps = 5, 200
	var maxDepth atomic.Int64
	rt := New(WithWorkers(1))
	BlockOn(rt, Async(func(t *Task) int {
		ring := make([]*Chan[int], tasks)
		for i := range ring {
			ring[i] = NewChan[int](0)
		}
		var hs []*JoinHandle[int]
		for i := 1; i < tasks; i++ {
			in, out := ring[i], ring[(i+1)%tasks]
			hs = append(hs, Spawn(t, Async(func(t *Task) int {
				for {
					v, ok := in.Recv(t)
					if d := int64(t.cx.w.nesting); d > maxDepth.Load() {
						maxDepth.Store(d)
					}
					if !ok {
						out.Close()
						return 0
					}
					out.Send(t, v+1)
				}
			})))
		}
		for range laps {
			ring[1].Send(t, 0)
			ring[0].Recv(t)
		}
		ring[1].Close()
		ring[0].Recv(t) // closed by the last task of the ring
		for _, h := range hs {
			Await(t, h)
		}
		return 0
	}))
	rt.Close()
	if d := maxDepth.Load(); d != 1 || rt.workers[0].handOffs == 0 {
		t.Fatalf("got a nesting depth of %d with %d hand-offs; want 1, with hand-offs", d, rt.workers[0].handOffs)
	}
}

// Pairs of tasks ping-ponging on several workers, through hand-offs and
// LIFO slots, while a goroutine aborts tasks at random: every reply a task
// received is the one it expected, and every task ends, as finished,
// aborted or stopped by the closed Chan.
func TestHammerHandOffAbort(t *testing.T) {
	const pairs = 16
	rounds := iterations(t) * 50
	var wrong, cut atomic.Int64
	withWatchdog(t, func() {
		rt := New(WithWorkers(hammerWorkers))
		defer rt.Close()
		type pair struct {
			ping, pong *Chan[int]
			a, b       *JoinHandle[int]
		}
		ps := make([]pair, pairs)
		handles := make(chan *JoinHandle[int], 2*pairs)
		BlockOn(rt, Async(func(t *Task) int {
			for i := range ps {
				p := &ps[i]
				p.ping, p.pong = NewChan[int](0), NewChan[int](0)
				ping, pong := p.ping, p.pong
				p.b = Spawn(t, Async(func(t *Task) int {
					for {
						v, ok := ping.Recv(t)
						if !ok {
							return 0
						}
						pong.Send(t, v)
					}
				}))
				p.a = Spawn(t, Async(func(t *Task) int {
					for i := range rounds {
						ping.Send(t, i)
						v, ok := pong.Recv(t)
						if !ok {
							return 0
						}
						if v != i {
							wrong.Add(1)
						}
					}
					return 0
				}))
				handles <- p.a
				handles <- p.b
			}
			return 0
		}))
		close(handles)
		// Abort a random third of the tasks, at random moments.
		r := rand.New(rand.NewPCG(1, 2))
		aborted := map[*JoinHandle[int]]bool{}
		for h := range handles {
			if r.IntN(3) == 0 {
				time.Sleep(time.Duration(r.IntN(500)) * time.Microsecond)
				h.Abort()
				aborted[h] = true
			}
		}
		BlockOn(rt, Async(func(t *Task) int {
			for _, p := range ps {
				broken := aborted[p.a] || aborted[p.b]
				if broken {
					// The survivor may wait for good on its partner: the
					// closed Chans stop it (a send on one panics).
					p.ping.Close()
					p.pong.Close()
				}
				for _, h := range []*JoinHandle[int]{p.a, p.b} {
					if h == p.b && !broken {
						p.ping.Close() // a is done: b stops
					}
					func() {
						defer func() {
							r := recover()
							if r != nil && !(broken && (r == ErrAborted || strings.Contains(fmt.Sprint(r), "send on closed Chan"))) {
								panic(r)
							}
							if r == ErrAborted {
								cut.Add(1)
							}
						}()
						Await(t, h)
					}()
				}
			}
			return 0
		}))
	})
	if n := wrong.Load(); n != 0 || cut.Load() == 0 {
		t.Fatalf("got %d wrong replies, %d tasks aborted while running; want 0, and some", n, cut.Load())
	}
}

// With a slow-poll report, the hand-off is off, so a slow poll is blamed on
// the task that was slow, not on the task whose poll would have run it.
func TestHandOffSlowPollBlamesTheSlowTask(t *testing.T) {
	reports := make(chan uint64, 100)
	rt := New(WithWorkers(1), WithSlowPollReport(30*time.Millisecond, func(sp SlowPoll) { reports <- sp.TaskID }))
	defer rt.Close()
	var fast, slow uint64
	BlockOn(rt, Async(func(t *Task) int {
		ping, pong := NewChan[int](0), NewChan[int](0)
		b := Spawn(t, Async(func(t *Task) int {
			v, _ := ping.Recv(t)
			time.Sleep(100 * time.Millisecond) // the pitfall: blocks the worker
			pong.Send(t, v)
			return 0
		}))
		a := Spawn(t, Async(func(t *Task) int {
			Await(t, YieldNow()) // b waits in Recv
			ping.Send(t, 1)      // wakes b into the LIFO slot
			v, _ := pong.Recv(t) // suspends: a hand-off would run b here
			return v
		}))
		fast, slow = a.ID(), b.ID()
		return Await(t, a) + Await(t, b)
	}))
	rt.Close()
	close(reports)
	blamed := map[uint64]bool{}
	for id := range reports {
		blamed[id] = true
	}
	if !blamed[slow] || blamed[fast] {
		t.Fatalf("slow polls reported for tasks %v; want the slow task %d, and not %d, which woke it", blamed, slow, fast)
	}
}

// A panic handler that panics (to crash the program, say) runs on the
// worker goroutine even when the detached task that panicked was polled by
// a hand-off: the program crashes with the handler's panic, and the body
// that handed off never sees it. The child body recovers whatever reaches
// it, so that a handler panic unwinding into it shows as a clean exit.
func TestHandOffPanicPolicyRunsOnWorker(t *testing.T) {
	const child = "RUNTIME_TEST_HANDOFF_POLICY_CHILD"
	if os.Getenv(child) == "1" {
		rt := New(WithWorkers(1), WithPanicHandler(func(pe *PanicError) {
			panic(fmt.Sprintf("policy handler: %v", pe.Value))
		}))
		BlockOn(rt, Async(func(t *Task) (n int) {
			defer func() {
				if r := recover(); r != nil {
					fmt.Printf("the handing-off body caught %v\n", r)
					os.Exit(0)
				}
			}()
			ping, pong := NewChan[int](0), NewChan[int](0)
			Spawn(t, Async(func(t *Task) int {
				ping.Recv(t)
				panic("detached boom")
			})).Detach()
			Await(t, YieldNow()) // let the detached task reach its Recv
			ping.Send(t, 1)
			// Waits for good: the hand-off polls the detached task, which
			// panics; its report must crash the program from the worker.
			pong.Recv(t)
			return 0
		}))
		os.Exit(0)
	}
	out, err := testChild("TestHandOffPanicPolicyRunsOnWorker", child, "1").CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 {
		t.Fatalf("got %v; want the handler's panic to crash the program (exit status 2)\n%s", err, out)
	}
	if !strings.Contains(string(out), "panic: policy handler: detached boom") || !strings.Contains(string(out), "flushReports") {
		t.Fatalf("got output:\n%s\nwant the handler's panic raised from the worker loop", out)
	}
}
