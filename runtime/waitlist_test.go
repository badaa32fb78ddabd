package runtime

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// probe is a hand-polling context that counts the wakes of its waker.
type probe struct {
	wakes atomic.Int32
	cx    *Cx
}

func newProbe() *probe {
	p := new(probe)
	p.cx = newTestCx(func() { p.wakes.Add(1) })
	return p
}

// woken reports whether the waker fired since the last call, and resets it.
func (p *probe) woken() bool { return p.wakes.Swap(0) > 0 }

func ready[T any](t *testing.T, p Poll[T], what string) T {
	t.Helper()
	v, ok := p.Value()
	if !ok {
		t.Fatalf("%s: got Pending; want Ready", what)
	}
	return v
}

func pending[T any](t *testing.T, p Poll[T], what string) {
	t.Helper()
	if p.IsReady() {
		t.Fatalf("%s: got Ready; want Pending", what)
	}
}

// mustPanic runs f and checks that it panics with want.
func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("got no panic; want %q", want)
		}
		if s, _ := r.(string); s != want {
			t.Fatalf("got panic %v; want %q", r, want)
		}
	}()
	f()
}

func TestListFIFOAndRemove(t *testing.T) {
	var l list[int]
	nodes := make([]*node[int], 4)
	for i := range nodes {
		nodes[i] = &node[int]{val: i}
		l.pushBack(nodes[i])
	}
	l.remove(nodes[2])
	l.remove(nodes[0])
	var got []int
	for w := l.popFront(); w != nil; w = l.popFront() {
		got = append(got, w.val)
	}
	if len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Fatalf("got %v; want [1 3]", got)
	}
	if !l.empty() || l.tail != nil {
		t.Fatalf("list not empty after draining")
	}
}

func TestDequeWrapsAndGrows(t *testing.T) {
	var d deque[int]
	next, want := 0, 0
	for round := 0; round < 50; round++ {
		for i := 0; i < round%7+1; i++ {
			d.pushBack(next)
			next++
		}
		for i := 0; i < round%5 && d.len() > 0; i++ {
			if got := d.popFront(); got != want {
				t.Fatalf("got %d; want %d", got, want)
			}
			want++
		}
	}
	d.pushFront(-1)
	if got := d.popFront(); got != -1 {
		t.Fatalf("after pushFront: got %d; want -1", got)
	}
	for d.len() > 0 {
		if got := d.popFront(); got != want {
			t.Fatalf("got %d; want %d", got, want)
		}
		want++
	}
	if want != next {
		t.Fatalf("drained %d values; want %d", want, next)
	}
}

// Helpers for the executor-level tests of each primitive: deterministic
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

// hammerWorkers is the worker count of the Hammer tests: more workers than
// cores, so that the race detector sees more interleavings.
const hammerWorkers = 4

// hammer runs body in tasks concurrent tasks and waits for them all.
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
