package runtime

import (
	"sync/atomic"
	"testing"
)

func TestRWMutexReadersShareWritersExclude(t *testing.T) {
	var rw RWMutex
	if !rw.TryRLock() || !rw.TryRLock() {
		t.Fatal("two readers could not share a zero RWMutex")
	}
	if rw.TryLock() {
		t.Fatal("TryLock succeeded while readers hold the lock")
	}
	pw, pr := newProbe(), newProbe()
	w := rw.LockFuture()
	pending(t, w.Poll(pw.cx), "writer behind readers")
	r := rw.RLockFuture()
	pending(t, r.Poll(pr.cx), "reader behind a queued writer")
	if rw.TryRLock() {
		t.Fatal("TryRLock barged ahead of a queued writer")
	}
	rw.RUnlock()
	if pw.woken() {
		t.Fatal("writer woken while a reader still holds the lock")
	}
	rw.RUnlock()
	if !pw.woken() {
		t.Fatal("writer not woken when the last reader left")
	}
	ready(t, w.Poll(pw.cx), "writer")
	pending(t, r.Poll(pr.cx), "reader while the writer holds")
	mustPanic(t, "runtime: RWMutex.RUnlock without a read lock held (use Unlock for the write lock)", rw.RUnlock) // write-locked
	rw.Unlock()
	if !pr.woken() {
		t.Fatal("reader not woken by Unlock")
	}
	ready(t, r.Poll(pr.cx), "reader")
	mustPanic(t, "runtime: RWMutex.Unlock without the write lock held (use RUnlock for a read lock)", rw.Unlock) // read-locked
	rw.RUnlock()
	mustPanic(t, "runtime: RWMutex.RUnlock without a read lock held (use Unlock for the write lock)", rw.RUnlock) // unlocked
	mustPanic(t, "runtime: RWMutex.Unlock without the write lock held (use RUnlock for a read lock)", rw.Unlock)  // unlocked
}

func TestRWMutexCancelledWriterLetsReadersIn(t *testing.T) {
	var rw RWMutex
	rw.TryRLock()
	pw, pr := newProbe(), newProbe()
	w := rw.LockFuture()
	pending(t, w.Poll(pw.cx), "writer")
	r := rw.RLockFuture()
	pending(t, r.Poll(pr.cx), "reader behind the writer")
	w.Cancel()
	if !pr.woken() {
		t.Fatal("reader not woken when the writer ahead of it left the queue")
	}
	ready(t, r.Poll(pr.cx), "reader")
	rw.RUnlock()
	rw.RUnlock()
	if !rw.TryLock() {
		t.Fatal("RWMutex not free after every holder left")
	}
}

func TestRWMutexUnlockGrantsAllQueuedReaders(t *testing.T) {
	var rw RWMutex
	rw.TryLock()
	ps := []*probe{newProbe(), newProbe(), newProbe()}
	var fs []Future[struct{}]
	for _, p := range ps {
		f := rw.RLockFuture()
		pending(t, f.Poll(p.cx), "reader")
		fs = append(fs, f)
	}
	rw.Unlock()
	for i, p := range ps {
		if !p.woken() {
			t.Fatalf("reader %d not woken", i)
		}
		ready(t, fs[i].Poll(p.cx), "reader")
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

func TestHammerRWMutex(t *testing.T) {
	var rw RWMutex
	var a, b int // guarded by rw; writers keep a == b
	var torn atomic.Int32
	n := iterations(t)
	writes := 0
	for i := range 32 {
		for j := range n {
			if (i+j)%4 == 0 {
				writes++
			}
		}
	}
	hammer(t, 32, func(t *Task, i int) {
		for j := range n {
			if (i+j)%4 == 0 {
				rw.Lock(t)
				// Read, suspend, then write back: two writers inside the
				// lock at once would lose one of their increments.
				v := a
				Await(t, YieldNow())
				a = v + 1
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
	if a != writes {
		t.Fatalf("got %d writes; want %d: updates were lost under the write lock", a, writes)
	}
	if !rw.TryLock() {
		t.Fatal("RWMutex left locked")
	}
}
