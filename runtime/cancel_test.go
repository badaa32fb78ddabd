package runtime

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// Randomized cancel-safety tests on virtual time. Each recorded seed fixes
// every random choice of a run (durations, which tasks cancel how, when) on a
// one-worker runtime; rerun a failing one with
// go test -run 'TestCancelSafety.*/seed=N'. One worker on virtual time runs
// the same schedule for the same seed (see
// TestPropertyVirtualTimeOneWorkerOrder); the tests still check invariants,
// not traces, so that a change of schedule alone does not fail them.

var cancelSeeds = []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 1234, 99991}

// withWatchdog fails the test if run does not return in time: a lost permit
// or value shows up as every task waiting forever.
func withWatchdog(t *testing.T, run func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		run()
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("deadlock: the run did not finish (a permit or value was lost)")
	}
}

func randDur(r *rand.Rand) time.Duration { return time.Duration(r.IntN(4000)) * time.Microsecond }

// after is a future that completes with the zero T after d: the other side of
// a Race.
func after[T any](d time.Duration) Future[T] {
	return Async(func(t *Task) T {
		Await(t, Sleep(d))
		var zero T
		return zero
	})
}

// The ways a pending acquisition or channel operation ends up cancelled.
const (
	viaDirect  = iota // not cancelled: awaited to completion
	viaTimeout        // Timeout expires
	viaRace           // loses a Race
	viaAbort          // its task is aborted
	numVia
)

var viaNames = [numVia]string{"direct", "Timeout", "Race", "Abort"}

// cancelCounts counts, per route, the cancellations that hit a pending
// wait: an operation that had to wait (it was queued, or granted without
// having observed it yet) and was cancelled before it completed. A route
// whose cancellations all land before or after the wait proves nothing
// about cancel safety, hence the per-route counts.
type cancelCounts [numVia]int

func (c *cancelCounts) add(o cancelCounts) {
	for i := range c {
		c[i] += o[i]
	}
}

// check fails the test unless every cancelling route hit a pending wait at
// least once. It checks only when runs subtests ran out of want: a single
// seed rerun on its own need not exercise every route.
func (c *cancelCounts) check(t *testing.T, what string, runs, want int) {
	t.Helper()
	t.Logf("%s cancelled while waiting: %d by Timeout, %d by Race, %d by Abort", what, c[viaTimeout], c[viaRace], c[viaAbort])
	if runs < want {
		t.Logf("%d of %d runs: route coverage not checked", runs, want)
		return
	}
	for via := viaTimeout; via < numVia; via++ {
		if c[via] == 0 {
			t.Errorf("no %s was cancelled by %s while waiting: the route was not exercised", what, viaNames[via])
		}
	}
}

// watched wraps a future to tell whether the runtime cancelled it (Race and
// Timeout drop their abandoned children) while its wait was pending.
type watched[T any] struct {
	f      Future[T]
	pended bool // a poll returned Pending
	done   bool // a poll returned Ready
	// cancelledWaiting: dropped after a Pending and before any Ready.
	cancelledWaiting bool
}

func watch[T any](f Future[T]) *watched[T] { return &watched[T]{f: f} }

func (w *watched[T]) Poll(cx *Cx) Poll[T] {
	p := w.f.Poll(cx)
	if p.IsReady() {
		w.done = true
	} else {
		w.pended = true
	}
	return p
}

func (w *watched[T]) drop(cx *Cx) {
	w.cancelledWaiting = w.pended && !w.done
	dropFuture(w.f, cx)
}

func TestCancelSafetySemaphore(t *testing.T) {
	acquired, runs := 0, 0
	var cancelled cancelCounts
	permitsList := []int{1, 3}
	for _, permits := range permitsList {
		for _, seed := range cancelSeeds {
			t.Run(fmt.Sprintf("permits=%d/seed=%d", permits, seed), func(t *testing.T) {
				withWatchdog(t, func() {
					a, c := semaphoreCancelRun(t, permits, seed)
					acquired, runs = acquired+a, runs+1
					cancelled.add(c)
				})
			})
		}
	}
	if runs == len(permitsList)*len(cancelSeeds) && acquired == 0 {
		t.Error("no acquisition succeeded")
	}
	t.Logf("%d acquisitions", acquired)
	cancelled.check(t, "acquisition", runs, len(permitsList)*len(cancelSeeds))
}

// semaphoreCancelRun returns how many acquisitions succeeded, and how many
// were cancelled while waiting, per route.
func semaphoreCancelRun(t *testing.T, permits int, seed uint64) (int, cancelCounts) {
	r := rand.New(rand.NewPCG(seed, 0))
	s := NewSemaphore(permits)
	inUse, peak, acquired := 0, 0, 0
	var cancelled cancelCounts
	hold := func(t *Task, n int, d time.Duration) {
		inUse += n // one worker: no data race, but suspension interleaves
		peak = max(peak, inUse)
		acquired++
		defer func() { inUse -= n; s.Release(n) }()
		Await(t, Sleep(d))
	}
	oneWorker(func(t *Task) int {
		var hs []*JoinHandle[int]
		for range 6 {
			seedTask := r.Uint64()
			hs = append(hs, Spawn(t, Async(func(t *Task) int {
				r := rand.New(rand.NewPCG(seedTask, 1))
				for range 40 {
					n := 1 + r.IntN(permits)
					switch via := r.IntN(numVia); via {
					case viaDirect:
						s.Acquire(t, n)
						hold(t, n, randDur(r))
					case viaTimeout, viaRace:
						f := watch(Future[struct{}](s.AcquireFuture(n)))
						if via == viaTimeout {
							Await(t, Timeout(randDur(r), Future[struct{}](f)))
						} else {
							Await(t, Race(Future[struct{}](f), after[struct{}](randDur(r))))
						}
						if f.done {
							hold(t, n, randDur(r))
						} else if f.cancelledWaiting {
							cancelled[via]++
						}
					case viaAbort:
						d := randDur(r)
						h := Spawn(t, Async(func(t *Task) int {
							// The task starts on a fresh coop budget, so Acquire
							// suspends only to wait: an unwind between the two
							// flags is an Abort of the pending wait. A task
							// aborted before its first poll never runs this.
							waiting, got := true, false
							defer func() {
								if waiting && !got {
									cancelled[viaAbort]++
								}
							}()
							s.Acquire(t, n)
							got = true
							hold(t, n, d)
							return 0
						}))
						Await(t, Sleep(randDur(r)))
						h.Abort()
						Await(t, YieldNow())
					}
				}
				return 0
			})))
		}
		awaitAll(t, hs)
		return 0
	})
	if peak > permits {
		t.Fatalf("%d permits in use at once; want at most %d", peak, permits)
	}
	if inUse != 0 || !s.TryAcquire(permits) {
		t.Fatalf("permits lost: inUse=%d, TryAcquire(%d) failed", inUse, permits)
	}
	return acquired, cancelled
}

func TestCancelSafetyChan(t *testing.T) {
	var sends, recvs cancelCounts
	runs := 0
	capacities := []int{0, 2}
	for _, capacity := range capacities {
		for _, seed := range cancelSeeds {
			t.Run(fmt.Sprintf("cap=%d/seed=%d", capacity, seed), func(t *testing.T) {
				withWatchdog(t, func() {
					s, r := chanCancelRun(t, capacity, seed)
					sends.add(s)
					recvs.add(r)
					runs++
				})
			})
		}
	}
	sends.check(t, "send", runs, len(capacities)*len(cancelSeeds))
	recvs.check(t, "receive", runs, len(capacities)*len(cancelSeeds))
}

// chanCancelRun returns how many sends and receives were cancelled while
// waiting, per route.
func chanCancelRun(t *testing.T, capacity int, seed uint64) (cancelCounts, cancelCounts) {
	const producers, perProducer, consumers = 3, 40, 3
	r := rand.New(rand.NewPCG(seed, 0))
	c := NewChan[int](capacity)
	confirmed := map[int]bool{} // sends that completed
	seen := map[int]int{}       // receives per value
	var cancelledSends, cancelledRecvs cancelCounts
	oneWorker(func(t *Task) int {
		var producersDone WaitGroup
		for p := range producers {
			producersDone.Add(1)
			seedTask := r.Uint64()
			Spawn(t, Async(func(t *Task) int {
				defer producersDone.Done()
				r := rand.New(rand.NewPCG(seedTask, 1))
				for j := range perProducer {
					v := p*perProducer + j
					Await(t, Sleep(randDur(r)/2)) // think time: lets receivers wait
					switch via := r.IntN(numVia); via {
					case viaDirect:
						c.Send(t, v)
						//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
						confirmed[v] = true
					case viaTimeout, viaRace:
						// A cancelled send may still have delivered its value
						// (see Chan): it is not confirmed, and the checks
						// below accept it received once.
						f := watch(Future[struct{}](c.SendFuture(v)))
						if via == viaTimeout {
							Await(t, Timeout(randDur(r), Future[struct{}](f)))
						} else {
							Await(t, Race(Future[struct{}](f), after[struct{}](randDur(r))))
						}
						if f.done {
							confirmed[v] = true
						} else if f.cancelledWaiting {
							cancelledSends[via]++
						}
					case viaAbort:
						h := Spawn(t, Async(func(t *Task) int {
							// Fresh coop budget: Send suspends only to wait
							// (see semaphoreCancelRun).
							waiting, sent := true, false
							defer func() {
								if waiting && !sent {
									cancelledSends[viaAbort]++
								}
							}()
							c.Send(t, v)
							sent = true
							//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
							confirmed[v] = true
							return 0
						}))
						Await(t, Sleep(randDur(r)))
						h.Abort()
						Await(t, YieldNow())
					}
				}
				return 0
			}))
		}
		stop := false
		var consumersDone WaitGroup
		for range consumers {
			consumersDone.Add(1)
			seedTask := r.Uint64()
			Spawn(t, Async(func(t *Task) int {
				defer consumersDone.Done()
				r := rand.New(rand.NewPCG(seedTask, 1))
				//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
				for !stop {
					Await(t, Sleep(randDur(r)/2)) // think time: lets senders wait
					switch via := r.IntN(numVia); via {
					case viaDirect:
						if v, ok := c.Recv(t); ok {
							//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
							seen[v]++
						}
					case viaTimeout, viaRace:
						f := watch(Future[Received[int]](c.RecvFuture()))
						var res Received[int]
						if via == viaTimeout {
							res = Await(t, Timeout(randDur(r), Future[Received[int]](f))).Value
						} else {
							res = Await(t, Race(Future[Received[int]](f), after[Received[int]](randDur(r))))
						}
						if f.done {
							if res.OK {
								seen[res.Value]++
							}
						} else if f.cancelledWaiting {
							cancelledRecvs[via]++
						}
					case viaAbort:
						h := Spawn(t, Async(func(t *Task) int {
							// Fresh coop budget: Recv suspends only to wait
							// (see semaphoreCancelRun).
							waiting, returned := true, false
							defer func() {
								if waiting && !returned {
									cancelledRecvs[viaAbort]++
								}
							}()
							v, ok := c.Recv(t)
							returned = true
							if ok {
								//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
								seen[v]++ // no await between receiving and recording
							}
							return 0
						}))
						Await(t, Sleep(randDur(r)))
						h.Abort()
						Await(t, YieldNow())
					}
				}
				return 0
			}))
		}
		producersDone.Wait(t)
		c.Close()
		stop = true
		consumersDone.Wait(t)
		for {
			v, ok, closed := c.TryRecv()
			if !ok {
				if !closed {
					panic("channel neither empty-and-closed nor holding a value")
				}
				break
			}
			seen[v]++
		}
		return 0
	})
	for v, n := range seen {
		if n != 1 {
			t.Fatalf("value %d received %d times; want once", v, n)
		}
		if v < 0 || v >= producers*perProducer {
			t.Fatalf("received %d, which nobody sent", v)
		}
	}
	for v := range confirmed {
		if seen[v] != 1 {
			t.Fatalf("value %d was sent but received %d times", v, seen[v])
		}
	}
	return cancelledSends, cancelledRecvs
}
