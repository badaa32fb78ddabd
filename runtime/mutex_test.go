package runtime

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMutexZeroValueTryLock(t *testing.T) {
	var m Mutex
	if !m.TryLock() {
		t.Fatal("TryLock of a zero Mutex: got false; want true")
	}
	if m.TryLock() {
		t.Fatal("TryLock of a locked Mutex: got true; want false")
	}
	m.Unlock()
	if !m.TryLock() {
		t.Fatal("TryLock after Unlock: got false; want true")
	}
	m.Unlock()
	mustPanic(t, "runtime: Mutex.Unlock of an unlocked Mutex", m.Unlock)
}

func TestMutexLockFutureIsLazy(t *testing.T) {
	var m Mutex
	f := m.LockFuture()
	if !m.TryLock() {
		t.Fatal("an unpolled LockFuture took the lock")
	}
	m.Unlock()
	ready(t, f.Poll(newProbe().cx), "first poll of a free Mutex")
	if m.TryLock() {
		t.Fatal("TryLock after LockFuture completed: got true; want false")
	}
	mustPanic(t, "runtime: lock or acquire future polled after it completed or was cancelled", func() { f.Poll(newProbe().cx) })
}

func TestMutexHandsOverInFIFOOrder(t *testing.T) {
	var m Mutex
	m.TryLock()
	ps := []*probe{newProbe(), newProbe(), newProbe()}
	fs := make([]Future[struct{}], len(ps))
	for i, p := range ps {
		fs[i] = m.LockFuture()
		pending(t, fs[i].Poll(p.cx), "lock while held")
	}
	for i := range fs {
		m.Unlock()
		for j, p := range ps {
			if got, want := p.woken(), j == i; got != want {
				t.Fatalf("after unlock %d: waiter %d woken = %v; want %v", i, j, got, want)
			}
		}
		if m.TryLock() {
			t.Fatalf("TryLock barged ahead of waiter %d", i)
		}
		ready(t, fs[i].Poll(ps[i].cx), "poll after hand-over")
		for j := i + 1; j < len(fs); j++ {
			pending(t, fs[j].Poll(ps[j].cx), "later waiter")
		}
	}
	m.Unlock()
	if !m.TryLock() {
		t.Fatal("Mutex still locked after every waiter unlocked")
	}
}

func TestMutexCancelPassesGrantOn(t *testing.T) {
	var m Mutex
	m.TryLock()
	pa, pb := newProbe(), newProbe()
	a := m.LockFuture()
	b := m.LockFuture()
	pending(t, a.Poll(pa.cx), "a")
	pending(t, b.Poll(pb.cx), "b")
	m.Unlock() // grants a, which never observes it
	if !pa.woken() || pb.woken() {
		t.Fatal("Unlock did not wake exactly the first waiter")
	}
	a.Cancel()
	if !pb.woken() {
		t.Fatal("cancelling a granted waiter did not wake the next one")
	}
	ready(t, b.Poll(pb.cx), "b after a was cancelled")
	m.Unlock()
	if !m.TryLock() {
		t.Fatal("lock lost: TryLock failed after the only holder unlocked")
	}
}

func TestMutexCancelQueuedAndIdle(t *testing.T) {
	var m Mutex
	m.TryLock()
	p := newProbe()
	a := m.LockFuture()
	pending(t, a.Poll(p.cx), "a")
	a.Cancel()
	a.Cancel() // idempotent
	m.Unlock()
	if p.woken() {
		t.Fatal("a cancelled waiter was woken")
	}
	idle := m.LockFuture()
	idle.Cancel()
	if !m.TryLock() {
		t.Fatal("cancelled waiters kept the Mutex locked")
	}
	// Cancel after Ready leaves the lock with its holder.
	m.Unlock()
	f := m.LockFuture()
	ready(t, f.Poll(p.cx), "free lock")
	f.Cancel()
	if m.TryLock() {
		t.Fatal("Cancel after Ready released the caller's lock")
	}
}

func TestMutexAbandonAfterReadyReleases(t *testing.T) {
	var m Mutex
	f := m.LockFuture()
	ready(t, f.Poll(newProbe().cx), "free lock")
	f.abandon() // the caller unwound before seeing Ready
	if !m.TryLock() {
		t.Fatal("a lock that nobody observed was not released")
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

// BenchmarkMutexContended measures lock/unlock pairs of one Mutex shared by 8
// tasks on 2 workers, against sync.Mutex shared by 8 goroutines.
func BenchmarkMutexContended(b *testing.B) {
	const tasks = 8
	b.Run("runtime", func(b *testing.B) {
		var m Mutex
		counter := 0
		Run(Async(func(t *Task) int {
			hs := make([]*JoinHandle[int], tasks)
			b.ResetTimer()
			cpu := processCPU()
			for i := range hs {
				n := b.N / tasks
				if i < b.N%tasks {
					n++
				}
				hs[i] = Spawn(t, Async(func(t *Task) int {
					for range n {
						m.Lock(t)
						counter++
						m.Unlock()
					}
					return 0
				}))
			}
			awaitAll(t, hs)
			reportCPU(b, cpu, b.N)
			return 0
		}), WithWorkers(2))
		if counter != b.N {
			b.Fatalf("got %d increments; want %d", counter, b.N)
		}
	})
	b.Run("sync", func(b *testing.B) {
		var m sync.Mutex
		var wg sync.WaitGroup
		counter := 0
		b.ResetTimer()
		cpu := processCPU()
		for i := range tasks {
			n := b.N / tasks
			if i < b.N%tasks {
				n++
			}
			wg.Go(func() {
				for range n {
					m.Lock()
					counter++
					m.Unlock()
				}
			})
		}
		wg.Wait()
		reportCPU(b, cpu, b.N)
		if counter != b.N {
			b.Fatalf("got %d increments; want %d", counter, b.N)
		}
	})
}

// BenchmarkMutexUncontended is the cost of Lock/Unlock when nobody waits.
func BenchmarkMutexUncontended(b *testing.B) {
	b.Run("runtime", func(b *testing.B) {
		var m Mutex
		Run(Async(func(t *Task) int {
			for range b.N {
				m.Lock(t)
				m.Unlock()
			}
			return 0
		}), WithWorkers(1))
	})
	b.Run("sync", func(b *testing.B) {
		var m sync.Mutex
		for range b.N {
			m.Lock()
			m.Unlock()
		}
	})
}
