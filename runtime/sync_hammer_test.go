package runtime

import (
	"sync/atomic"
	"testing"
	"time"
)

// Hammer tests: many tasks on several workers, for the race detector.

const hammerWorkers = 4

func hammer(t *testing.T, tasks int, body func(t *Task, i int)) {
	t.Helper()
	Run(Async(func(t *Task) int {
		hs := make([]*JoinHandle[int], tasks)
		for i := range hs {
			hs[i] = Spawn(t, Async(func(t *Task) int { body(t, i); return 0 }))
		}
		awaitAll(t, hs)
		return 0
	}), WithWorkers(hammerWorkers))
}

func iterations(t *testing.T) int {
	if testing.Short() {
		return 50
	}
	return 300
}

func TestHammerMutex(t *testing.T) {
	var m Mutex
	counter := 0 // guarded by m
	var timeouts atomic.Int32
	n := iterations(t)
	hammer(t, 32, func(t *Task, i int) {
		for j := range n {
			if j%7 == 3 {
				if r := Await(t, Timeout(time.Microsecond, m.LockFuture())); r.TimedOut {
					timeouts.Add(1)
					continue
				}
			} else {
				m.Lock(t)
			}
			c := counter
			if j%5 == 0 {
				Await(t, YieldNow()) // held across an await
			}
			counter = c + 1
			m.Unlock()
		}
	})
	if want := 32*n - int(timeouts.Load()); counter != want {
		t.Fatalf("got counter %d; want %d", counter, want)
	}
	if !m.TryLock() {
		t.Fatal("Mutex left locked")
	}
}

func TestHammerRWMutex(t *testing.T) {
	var rw RWMutex
	var a, b int // guarded by rw; writers keep a == b
	var torn atomic.Int32
	n := iterations(t)
	hammer(t, 32, func(t *Task, i int) {
		for j := range n {
			if (i+j)%4 == 0 {
				rw.Lock(t)
				a++
				Await(t, YieldNow())
				b++
				rw.Unlock()
			} else {
				rw.RLock(t)
				if a != b {
					torn.Add(1)
				}
				rw.RUnlock()
			}
		}
	})
	if torn.Load() != 0 || a != b {
		t.Fatalf("readers saw %d torn writes; a=%d b=%d", torn.Load(), a, b)
	}
	if !rw.TryLock() {
		t.Fatal("RWMutex left locked")
	}
}

func TestHammerSemaphore(t *testing.T) {
	const permits = 5
	s := NewSemaphore(permits)
	var inUse, peak atomic.Int32
	n := iterations(t)
	hammer(t, 32, func(t *Task, i int) {
		for j := range n {
			k := 1 + (i+j)%3
			s.Acquire(t, k)
			now := inUse.Add(int32(k))
			if now > permits {
				peak.Store(now)
			}
			if j%3 == 0 {
				Await(t, YieldNow())
			}
			inUse.Add(-int32(k))
			s.Release(k)
		}
	})
	if p := peak.Load(); p != 0 {
		t.Fatalf("%d permits in use at once; want at most %d", p, permits)
	}
	if !s.TryAcquire(permits) {
		t.Fatal("permits lost")
	}
}

func TestHammerNotify(t *testing.T) {
	// Each consumer takes items from a shared counter and waits on the
	// Notify when it is empty; producers add one item and notify one waiter.
	var n Notify
	var m Mutex
	items := 0 // guarded by m
	var consumed atomic.Int32
	const producers, perProducer = 8, 200
	var wg WaitGroup
	Run(Async(func(t *Task) int {
		for range 8 {
			wg.Add(1)
			Spawn(t, Async(func(t *Task) int {
				defer wg.Done()
				for {
					// Created before checking, as WaitFuture documents, so
					// that the final NotifyAll cannot slip in between.
					f := n.WaitFuture()
					if consumed.Load() == producers*perProducer {
						f.Cancel()
						return 0
					}
					m.Lock(t)
					got := items > 0
					if got {
						items--
					}
					m.Unlock()
					if !got {
						Await(t, f)
						continue
					}
					f.Cancel()
					if consumed.Add(1) == producers*perProducer {
						n.NotifyAll()
					} else {
						n.NotifyOne() // more may be left: pass the baton
					}
				}
			}))
		}
		for range producers {
			Spawn(t, Async(func(t *Task) int {
				for range perProducer {
					m.Lock(t)
					items++
					m.Unlock()
					n.NotifyOne()
				}
				return 0
			}))
		}
		wg.Wait(t)
		return 0
	}), WithWorkers(hammerWorkers))
	if got := consumed.Load(); got != producers*perProducer {
		t.Fatalf("consumed %d items; want %d", got, producers*perProducer)
	}
}

func TestHammerWaitGroup(t *testing.T) {
	var done atomic.Int32
	n := iterations(t)
	hammer(t, 16, func(t *Task, i int) {
		for range n / 10 {
			var wg WaitGroup
			var local atomic.Int32
			for range 5 {
				wg.Add(1)
				Spawn(t, Async(func(t *Task) int {
					defer wg.Done()
					Await(t, YieldNow())
					local.Add(1)
					return 0
				}))
			}
			wg.Wait(t)
			if local.Load() != 5 {
				panic("WaitGroup.Wait returned before every Done")
			}
			done.Add(1)
		}
	})
	if got, want := done.Load(), int32(16*(n/10)); got != want {
		t.Fatalf("got %d rounds; want %d", got, want)
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
