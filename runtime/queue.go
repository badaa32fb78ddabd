package runtime

import (
	"sync"
	"sync/atomic"
)

// localQueueCap is the capacity of a worker's run queue. When it is full,
// half of it moves to the injection queue, so spawning never blocks.
const localQueueCap = 256

// localQueue is a worker's bounded FIFO run queue: a lock-free ring buffer
// in the style of tokio's. Only the owner pushes and pops; other workers
// steal half of it.
//
// Indices grow forever (mod 2^32) and are reduced mod localQueueCap to
// address buf. head packs two indices: real, the next task to pop, and
// steal, the oldest slot still being copied by a thief. When no steal is in
// progress they are equal. A thief first claims tasks by moving real
// forward (leaving steal behind, which also stops other thieves), copies
// them out, then moves steal up to real. The owner never reuses a slot
// below steal, so a thief's copy is never overwritten.
type localQueue struct {
	head atomic.Uint64                             // steal<<32 | real
	tail atomic.Uint32                             // next slot to push; written by the owner only
	buf  [localQueueCap]atomic.Pointer[taskHeader] // slots in [steal, tail) are live
}

func packHead(steal, real uint32) uint64 { return uint64(steal)<<32 | uint64(real) }

func unpackHead(v uint64) (steal, real uint32) { return uint32(v >> 32), uint32(v) }

// push appends h (owner only). When the ring is full it moves the older half
// to overflow (for the injection queue) and appends h to overflow too, or,
// if a thief is busy with the ring, just appends h to overflow.
func (q *localQueue) push(h *taskHeader, overflow []*taskHeader) []*taskHeader {
	tail := q.tail.Load()
	steal, real := unpackHead(q.head.Load())
	if tail-steal < localQueueCap {
		q.buf[tail%localQueueCap].Store(h)
		q.tail.Store(tail + 1)
		return overflow
	}
	if steal != real {
		// A thief is draining the queue: it will soon have room.
		return append(overflow, h)
	}
	// Claim the older half for the injection queue.
	half := uint32(localQueueCap / 2)
	if !q.head.CompareAndSwap(packHead(steal, real), packHead(real+half, real+half)) {
		// A thief claimed tasks meanwhile: there is room now, or soon.
		return append(overflow, h)
	}
	for i := uint32(0); i < half; i++ {
		overflow = append(overflow, q.buf[(real+i)%localQueueCap].Swap(nil))
	}
	return append(overflow, h)
}

// pop removes the oldest task (owner only).
func (q *localQueue) pop() *taskHeader {
	for {
		v := q.head.Load()
		steal, real := unpackHead(v)
		if real == q.tail.Load() {
			return nil
		}
		next := packHead(steal, real+1)
		if steal == real {
			next = packHead(real+1, real+1)
		}
		if q.head.CompareAndSwap(v, next) {
			// Clear the slot: a stale pointer would keep a finished task
			// (and its result) alive, and hide a dropped handle from the
			// garbage collector.
			return q.buf[real%localQueueCap].Swap(nil)
		}
	}
}

// len returns the number of tasks waiting (a snapshot; safe from any goroutine).
func (q *localQueue) len() int {
	_, real := unpackHead(q.head.Load())
	return int(q.tail.Load() - real)
}

// stealHalf moves up to half of q (rounded up) into dst and returns it. It
// takes nothing while another thief is at work on q.
func (q *localQueue) stealHalf(dst []*taskHeader) []*taskHeader {
	var steal, real, n uint32
	for {
		v := q.head.Load()
		steal, real = unpackHead(v)
		if steal != real {
			return dst
		}
		avail := q.tail.Load() - real
		n = avail - avail/2
		if n == 0 || avail > localQueueCap {
			return dst
		}
		if q.head.CompareAndSwap(v, packHead(steal, real+n)) {
			break
		}
	}
	for i := uint32(0); i < n; i++ {
		// The claimed slots are ours until steal catches up: clear them.
		dst = append(dst, q.buf[(steal+i)%localQueueCap].Swap(nil))
	}
	// Release the slots: steal catches up with real (the owner may have
	// popped meanwhile, moving real on).
	for {
		v := q.head.Load()
		_, cur := unpackHead(v)
		if q.head.CompareAndSwap(v, packHead(cur, cur)) {
			return dst
		}
	}
}

// taskList is an unbounded FIFO of tasks linked through taskHeader.qnext:
// the injection queue and the pinned inboxes. Pushing never allocates.
type taskList struct {
	mu         sync.Mutex
	head, tail *taskHeader  // guarded by mu
	n          atomic.Int64 // written under mu; read without it to skip an empty list
}

func (l *taskList) push(h *taskHeader) {
	l.mu.Lock()
	l.pushLocked(h)
	l.mu.Unlock()
}

func (l *taskList) pushLocked(h *taskHeader) {
	h.qnext = nil
	if l.tail == nil {
		l.head = h
	} else {
		l.tail.qnext = h
	}
	l.tail = h
	l.n.Add(1)
}

func (l *taskList) pushBatch(hs []*taskHeader) {
	l.mu.Lock()
	for _, h := range hs {
		l.pushLocked(h)
	}
	l.mu.Unlock()
}

// popUpTo removes up to max tasks into dst.
func (l *taskList) popUpTo(dst []*taskHeader, max int) []*taskHeader {
	if l.n.Load() == 0 {
		return dst
	}
	l.mu.Lock()
	for ; max > 0 && l.head != nil; max-- {
		h := l.head
		l.head = h.qnext
		h.qnext = nil
		l.n.Add(-1)
		dst = append(dst, h)
	}
	if l.head == nil {
		l.tail = nil
	}
	l.mu.Unlock()
	return dst
}

func (l *taskList) pop() *taskHeader {
	var one [1]*taskHeader
	got := l.popUpTo(one[:0], 1)
	if len(got) == 0 {
		return nil
	}
	return got[0]
}

func (l *taskList) empty() bool { return l.n.Load() == 0 }
