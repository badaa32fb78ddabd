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

func TestCancelSafetySemaphore(t *testing.T) {
	acquired, cancelled := 0, 0
	for _, permits := range []int{1, 3} {
		for _, seed := range cancelSeeds {
			t.Run(fmt.Sprintf("permits=%d/seed=%d", permits, seed), func(t *testing.T) {
				withWatchdog(t, func() {
					a, c := semaphoreCancelRun(t, permits, seed)
					acquired, cancelled = acquired+a, cancelled+c
				})
			})
		}
	}
	if acquired == 0 || cancelled == 0 {
		t.Fatalf("the runs did not exercise both paths: %d acquired, %d cancelled", acquired, cancelled)
	}
	t.Logf("%d acquisitions, %d cancelled", acquired, cancelled)
}

// semaphoreCancelRun returns how many acquisitions succeeded and how many
// were cancelled.
func semaphoreCancelRun(t *testing.T, permits int, seed uint64) (int, int) {
	r := rand.New(rand.NewPCG(seed, 0))
	s := NewSemaphore(permits)
	inUse, peak, acquired, cancelled := 0, 0, 0, 0
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
					switch r.IntN(numVia) {
					case viaDirect:
						s.Acquire(t, n)
						hold(t, n, randDur(r))
					case viaTimeout:
						f := s.AcquireFuture(n)
						if Await(t, Timeout(randDur(r), Future[struct{}](f))).TimedOut {
							//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
							cancelled++
							continue
						}
						hold(t, n, randDur(r))
					case viaRace:
						f := s.AcquireFuture(n)
						Await(t, Race(Future[struct{}](f), after[struct{}](randDur(r))))
						s.s.mu.Lock()
						won := f.w.state == nodeDone
						s.s.mu.Unlock()
						if !won {
							cancelled++
							continue
						}
						hold(t, n, randDur(r))
					case viaAbort:
						d := randDur(r)
						h := Spawn(t, Async(func(t *Task) int {
							s.Acquire(t, n)
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
	sends, recvs := 0, 0
	for _, capacity := range []int{0, 2} {
		for _, seed := range cancelSeeds {
			t.Run(fmt.Sprintf("cap=%d/seed=%d", capacity, seed), func(t *testing.T) {
				withWatchdog(t, func() {
					s, r := chanCancelRun(t, capacity, seed)
					sends, recvs = sends+s, recvs+r
				})
			})
		}
	}
	if sends == 0 || recvs == 0 {
		t.Fatalf("the runs did not exercise cancellation: %d sends and %d receives cancelled", sends, recvs)
	}
	t.Logf("%d sends and %d receives cancelled", sends, recvs)
}

// chanCancelRun returns how many sends and receives were cancelled.
func chanCancelRun(t *testing.T, capacity int, seed uint64) (int, int) {
	const producers, perProducer, consumers = 3, 40, 3
	r := rand.New(rand.NewPCG(seed, 0))
	c := NewChan[int](capacity)
	confirmed := map[int]bool{} // sends that completed
	seen := map[int]int{}       // receives per value
	cancelledSends, cancelledRecvs := 0, 0
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
					switch r.IntN(numVia) {
					case viaDirect:
						c.Send(t, v)
						//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
						confirmed[v] = true
					case viaTimeout:
						if !Await(t, Timeout(randDur(r), Future[struct{}](c.SendFuture(v)))).TimedOut {
							confirmed[v] = true
						} else {
							//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
							cancelledSends++
						}
					case viaRace:
						f := c.SendFuture(v)
						Await(t, Race(Future[struct{}](f), after[struct{}](randDur(r))))
						c.mu.Lock()
						done := f.w.state == nodeDone
						c.mu.Unlock()
						if done {
							confirmed[v] = true
						} else {
							cancelledSends++
						}
					case viaAbort:
						h := Spawn(t, Async(func(t *Task) int {
							c.Send(t, v)
							//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
							confirmed[v] = true
							return 0
						}))
						Await(t, Sleep(randDur(r)))
						h.Abort()
						Await(t, YieldNow())
						if !confirmed[v] {
							cancelledSends++
						}
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
					switch r.IntN(numVia) {
					case viaDirect:
						if v, ok := c.Recv(t); ok {
							//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
							seen[v]++
						}
					case viaTimeout:
						res := Await(t, Timeout(randDur(r), Future[Received[int]](c.RecvFuture())))
						if res.TimedOut {
							//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
							cancelledRecvs++
						} else if res.Value.OK {
							seen[res.Value.Value]++
						}
					case viaRace:
						res := Await(t, Race(Future[Received[int]](c.RecvFuture()), after[Received[int]](randDur(r))))
						if res.OK {
							seen[res.Value]++
						} else {
							cancelledRecvs++
						}
					case viaAbort:
						received := false
						h := Spawn(t, Async(func(t *Task) int {
							if v, ok := c.Recv(t); ok {
								//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
								seen[v]++ // no await between receiving and recording
								//asynclint:ignore sendcheck one worker: these tasks interleave at awaits but never run in parallel
								received = true
							}
							return 0
						}))
						Await(t, Sleep(randDur(r)))
						h.Abort()
						Await(t, YieldNow())
						if !received {
							cancelledRecvs++
						}
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
