package runtime

import "sync"

// localQueueCap is the capacity of a worker's run queue. When it is full,
// half of it moves to the injection queue, so spawning never blocks.
const localQueueCap = 256

// localQueue is a worker's bounded FIFO run queue, a ring buffer. The owner
// pushes and pops; other workers steal half of it. A mutex guards it: it is
// uncontended except while stealing, and keeps the steal-half logic simple
// (a lock-free Chase-Lev deque was rejected for this reason; revisit if
// profiles show the lock).
type localQueue struct {
	mu   sync.Mutex
	buf  [localQueueCap]*taskHeader // guarded by mu
	head uint32                     // index of the oldest task; guarded by mu
	n    uint32                     // number of tasks; guarded by mu
}

// push appends h. When the ring is full it returns the older half plus h,
// for the caller to move to the injection queue.
func (q *localQueue) push(h *taskHeader, overflow []*taskHeader) []*taskHeader {
	q.mu.Lock()
	if q.n < localQueueCap {
		q.buf[(q.head+q.n)%localQueueCap] = h
		q.n++
		q.mu.Unlock()
		return overflow
	}
	half := q.n / 2
	for i := uint32(0); i < half; i++ {
		j := (q.head + i) % localQueueCap
		overflow = append(overflow, q.buf[j])
		q.buf[j] = nil
	}
	q.head = (q.head + half) % localQueueCap
	q.n -= half
	q.mu.Unlock()
	return append(overflow, h)
}

func (q *localQueue) pop() *taskHeader {
	q.mu.Lock()
	if q.n == 0 {
		q.mu.Unlock()
		return nil
	}
	h := q.buf[q.head]
	q.buf[q.head] = nil
	q.head = (q.head + 1) % localQueueCap
	q.n--
	q.mu.Unlock()
	return h
}

func (q *localQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return int(q.n)
}

// stealHalf moves up to half of q (rounded up) into dst and returns it.
func (q *localQueue) stealHalf(dst []*taskHeader) []*taskHeader {
	q.mu.Lock()
	k := (q.n + 1) / 2
	for i := uint32(0); i < k; i++ {
		j := (q.head + i) % localQueueCap
		dst = append(dst, q.buf[j])
		q.buf[j] = nil
	}
	q.head = (q.head + k) % localQueueCap
	q.n -= k
	q.mu.Unlock()
	return dst
}

// taskList is an unbounded FIFO of tasks linked through taskHeader.qnext:
// the injection queue and the pinned inboxes. Pushing never allocates.
type taskList struct {
	mu         sync.Mutex
	head, tail *taskHeader // guarded by mu
	n          int         // guarded by mu
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
	l.n++
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
	l.mu.Lock()
	for ; max > 0 && l.head != nil; max-- {
		h := l.head
		l.head = h.qnext
		h.qnext = nil
		l.n--
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

func (l *taskList) empty() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.head == nil
}
