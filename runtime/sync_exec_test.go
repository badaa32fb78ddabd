package runtime

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Executor-level tests of the synchronization types: deterministic
// one-worker runs on virtual time, and Hammer tests on several workers.

// oneWorker runs body on a fresh one-worker runtime with virtual time, where
// the order of events is the same on every run.
func oneWorker[T any](body func(t *Task) T) T {
	return Run(Async(body), WithWorkers(1), WithVirtualTime())
}

// eventLog records events from tasks in order.
type eventLog struct {
	mu     sync.Mutex
	events []string
}

func (l *eventLog) add(format string, args ...any) {
	l.mu.Lock()
	l.events = append(l.events, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func (l *eventLog) check(t *testing.T, want ...string) {
	t.Helper()
	if !reflect.DeepEqual(l.events, want) {
		t.Fatalf("got events\n\t%s\nwant\n\t%s", strings.Join(l.events, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func awaitAll[T any](t *Task, hs []*JoinHandle[T]) {
	for _, h := range hs {
		Await(t, h)
	}
}

func TestMutexOneWorkerFIFOAcrossAwait(t *testing.T) {
	var m Mutex
	var log eventLog
	oneWorker(func(t *Task) int {
		m.Lock(t)
		var hs []*JoinHandle[int]
		for i := 1; i <= 3; i++ {
			hs = append(hs, Spawn(t, Async(func(t *Task) int {
				Await(t, Sleep(ms(i))) // queue in the order 1, 2, 3
				m.Lock(t)
				log.add("%d locked", i)
				Await(t, Sleep(ms(10))) // held across an await
				log.add("%d unlocks", i)
				m.Unlock()
				return i
			})))
		}
		Await(t, Sleep(ms(50)))
		log.add("main unlocks")
		m.Unlock()
		awaitAll(t, hs)
		return 0
	})
	log.check(t, "main unlocks", "1 locked", "1 unlocks", "2 locked", "2 unlocks", "3 locked", "3 unlocks")
	if !m.TryLock() {
		t.Fatal("Mutex locked after every task unlocked")
	}
}

func TestMutexAbortedGranteePassesLockOn(t *testing.T) {
	var m Mutex
	var log eventLog
	oneWorker(func(t *Task) int {
		m.Lock(t)
		a := Spawn(t, Async(func(t *Task) int {
			m.Lock(t)
			log.add("a locked")
			m.Unlock()
			return 1
		}))
		b := Spawn(t, Async(func(t *Task) int {
			Await(t, Sleep(ms(1)))
			m.Lock(t)
			log.add("b locked")
			m.Unlock()
			return 2
		}))
		Await(t, Sleep(ms(5))) // a and b queue
		m.Unlock()             // hands the lock to a, which has not run yet
		a.Abort()
		Await(t, b)
		return 0
	})
	log.check(t, "b locked")
	if !m.TryLock() {
		t.Fatal("the aborted waiter kept the lock")
	}
}

func TestMutexTimeoutAndRaceLosersRelease(t *testing.T) {
	var m Mutex
	oneWorker(func(t *Task) int {
		m.Lock(t)
		if r := Await(t, Timeout(ms(10), m.LockFuture())); !r.TimedOut {
			panic(fmt.Sprintf("Timeout of a held lock: got %+v; want TimedOut", r))
		}
		Await(t, Race(m.LockFuture(), Sleep(ms(10))))
		m.Unlock()
		return 0
	})
	if !m.TryLock() {
		t.Fatal("a timed-out or losing lock future kept the Mutex")
	}
}

func TestRWMutexOneWorker(t *testing.T) {
	var rw RWMutex
	var log eventLog
	oneWorker(func(t *Task) int {
		var hs []*JoinHandle[int]
		reader := func(name string, at int) {
			hs = append(hs, Spawn(t, Async(func(t *Task) int {
				Await(t, Sleep(ms(at)))
				rw.RLock(t)
				log.add("%s reads", name)
				Await(t, Sleep(ms(10)))
				log.add("%s done", name)
				rw.RUnlock()
				return 0
			})))
		}
		reader("r1", 0)
		reader("r2", 1)
		hs = append(hs, Spawn(t, Async(func(t *Task) int {
			Await(t, Sleep(ms(2)))
			rw.Lock(t)
			log.add("w writes")
			Await(t, Sleep(ms(10)))
			log.add("w done")
			rw.Unlock()
			return 0
		})))
		reader("r3", 3) // arrives while the writer waits: queues behind it
		awaitAll(t, hs)
		return 0
	})
	log.check(t, "r1 reads", "r2 reads", "r1 done", "r2 done", "w writes", "w done", "r3 reads", "r3 done")
}

func TestSemaphoreOneWorker(t *testing.T) {
	s := NewSemaphore(2)
	var log eventLog
	oneWorker(func(t *Task) int {
		var hs []*JoinHandle[int]
		for i, n := range []int{1, 2, 1} {
			hs = append(hs, Spawn(t, Async(func(t *Task) int {
				Await(t, Sleep(ms(i)))
				s.Acquire(t, n)
				log.add("%d takes %d", i, n)
				Await(t, Sleep(ms(10)))
				s.Release(n)
				return 0
			})))
		}
		awaitAll(t, hs)
		return 0
	})
	// Task 2 (one permit) waits behind task 1 (two permits) although a
	// permit is free: FIFO.
	log.check(t, "0 takes 1", "1 takes 2", "2 takes 1")
}

func TestNotifyOneWorker(t *testing.T) {
	var n Notify
	var log eventLog
	oneWorker(func(t *Task) int {
		var hs []*JoinHandle[int]
		for i := range 3 {
			hs = append(hs, Spawn(t, Async(func(t *Task) int {
				Await(t, Sleep(ms(i)))
				n.Wait(t)
				log.add("%d woke", i)
				return 0
			})))
		}
		Await(t, Sleep(ms(10)))
		n.NotifyOne()
		Await(t, Sleep(ms(10)))
		log.add("notify all")
		n.NotifyAll()
		awaitAll(t, hs)
		n.NotifyOne() // stored as a permit
		n.Wait(t)
		log.add("permit consumed")
		return 0
	})
	log.check(t, "0 woke", "notify all", "1 woke", "2 woke", "permit consumed")
}

func TestWaitGroupOneWorker(t *testing.T) {
	var wg WaitGroup
	var done atomic.Int32
	oneWorker(func(t *Task) int {
		for i := range 5 {
			wg.Add(1)
			Spawn(t, Async(func(t *Task) int {
				defer wg.Done()
				Await(t, Sleep(ms(10*i)))
				done.Add(1)
				return 0
			}))
		}
		wg.Wait(t)
		return 0
	})
	if got := done.Load(); got != 5 {
		t.Fatalf("Wait returned with %d tasks done; want 5", got)
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

func TestOneshotOneWorker(t *testing.T) {
	o := NewOneshot[string]()
	got := oneWorker(func(t *Task) string {
		Spawn(t, Async(func(t *Task) int {
			Await(t, Sleep(time.Hour))
			o.Send("later")
			return 0
		}))
		v, _ := o.Recv(t)
		return v
	})
	if got != "later" {
		t.Fatalf("got %q; want %q", got, "later")
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
