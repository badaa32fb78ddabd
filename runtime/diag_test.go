package runtime

import (
	"fmt"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSlowPollReport(t *testing.T) {
	reports := make(chan SlowPoll, 100)
	rt := New(WithWorkers(1), WithSlowPollReport(40*time.Millisecond, func(sp SlowPoll) { reports <- sp }))
	defer rt.Close()
	var id uint64
	BlockOn(rt, Async(func(t *Task) int {
		h := Spawn(t, Async(func(t *Task) int {
			time.Sleep(500 * time.Millisecond) // the pitfall: blocks the worker
			return 0
		}))
		id = h.ID()
		Await(t, h)
		return 0
	}))
	rt.Close()
	close(reports)
	var sp SlowPoll
	for r := range reports {
		if r.TaskID == id {
			sp = r
		}
	}
	// Other polls may be reported too on a loaded machine; the slow one must be.
	if sp.TaskID != id || sp.Duration < 500*time.Millisecond || !strings.Contains(sp.SpawnSite, "diag_test.go") {
		t.Fatalf("got %+v; want task %d, >= 500ms, spawned in diag_test.go", sp, id)
	}
	if !strings.Contains(string(sp.Stack), "time.Sleep") {
		t.Fatalf("got stack:\n%s\nwant the blocking time.Sleep in it", sp.Stack)
	}
}

func TestStallReport(t *testing.T) {
	// The classic deadlock: a sync.Mutex held across Await on one worker.
	var mu sync.Mutex
	stalls := make(chan Stall, 1)
	var aID uint64
	var holdLine int
	rt := New(WithWorkers(1), WithStallReport(50*time.Millisecond, func(s Stall) {
		select {
		case stalls <- s:
		default:
		}
	}))
	defer rt.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		BlockOn(rt, Async(func(t *Task) int {
			a := Spawn(t, Async(func(t *Task) int {
				mu.Lock()
				_, _, holdLine, _ = goruntime.Caller(0)
				Await(t, YieldNow()) // holds mu across an await (the line after Caller)
				return 0             // mu is released by the test, below
			}))
			aID = a.ID()
			b := Spawn(t, Async(func(t *Task) int {
				mu.Lock() // blocks the only worker: a can never resume
				defer mu.Unlock()
				return 0
			}))
			Await(t, a)
			Await(t, b)
			return 0
		}))
	}()
	var s Stall
	select {
	case s = <-stalls:
	case <-time.After(10 * time.Second):
		t.Fatalf("got no stall report")
	}
	mu.Unlock() // break the deadlock on a's behalf
	<-done
	if len(s.Tasks) != 1 || s.Tasks[0].Running < 50*time.Millisecond || !strings.Contains(s.Tasks[0].SpawnSite, "diag_test.go") {
		t.Fatalf("got %+v; want one task stuck >= 50ms, spawned in diag_test.go", s)
	}
	// The holder of mu is among the waiting tasks, with the stack of its
	// suspension: the line of its Await. So is the root task, which awaits a.
	var holder *WaitingTask
	for i := range s.Waiting {
		if s.Waiting[i].ID == aID {
			holder = &s.Waiting[i]
		}
		if s.Waiting[i].ID == s.Tasks[0].TaskID {
			t.Errorf("the stalled task %d is also listed as waiting", s.Tasks[0].TaskID)
		}
	}
	if len(s.Waiting) != 2 || s.MoreWaiting != 0 || holder == nil {
		t.Fatalf("waiting tasks %+v; want the holder (task %d) and the root", s.Waiting, aID)
	}
	if !strings.Contains(string(holder.Stack), fmt.Sprintf("diag_test.go:%d", holdLine+1)) {
		t.Errorf("the holder's stack does not show its Await at diag_test.go:%d:\n%s", holdLine+1, holder.Stack)
	}
	if holder.SinceLastPoll < 50*time.Millisecond || holder.Polls != 1 {
		t.Errorf("holder: %+v; want 1 poll, >= 50ms ago", holder.TaskInfo)
	}
	if !strings.Contains(string(s.Tasks[0].Stack), "sync.(*Mutex).Lock") {
		t.Fatalf("got stack:\n%s\nwant the sync.Mutex.Lock in it", s.Tasks[0].Stack)
	}
}

func TestTasksSnapshot(t *testing.T) {
	rt := New(WithWorkers(1), WithTaskTracking())
	defer rt.Close()
	h := SpawnOn(rt, Async(func(t *Task) int { Await(t, Sleep(time.Hour)); return 0 }))
	eventually(t, "first poll", func() bool { return h.hdr.polls.Load() == 1 && h.hdr.state.Load() == stIdle })
	time.Sleep(10 * time.Millisecond)
	ts := rt.Tasks()
	if len(ts) != 1 {
		t.Fatalf("got %d tasks; want 1", len(ts))
	}
	ti := ts[0]
	if ti.ID != h.ID() || ti.State != "idle" || ti.Polls != 1 || !strings.Contains(ti.SpawnSite, "diag_test.go") || ti.SinceLastPoll < 10*time.Millisecond {
		t.Fatalf("got %+v; want task %d idle after 1 poll, spawned in diag_test.go, last polled >= 10ms ago", ti, h.ID())
	}
}

// TestRootSpawnSite checks that the task of BlockOn and Run has its
// caller's line as spawn site, not a line of the runtime.
func TestRootSpawnSite(t *testing.T) {
	rootSite := func(t *Task) string {
		for _, ti := range t.Runtime().Tasks() {
			return ti.SpawnSite
		}
		return ""
	}
	_, file, line, _ := goruntime.Caller(0)
	got := Run(Async(rootSite), WithTaskTracking())
	if want := fmt.Sprintf("%s:%d", file, line+1); got != want {
		t.Errorf("Run: root task spawned at %q; want %q", got, want)
	}
	rt := New(WithTaskTracking())
	defer rt.Close()
	_, file, line, _ = goruntime.Caller(0)
	got = BlockOn(rt, Async(rootSite))
	if want := fmt.Sprintf("%s:%d", file, line+1); got != want {
		t.Errorf("BlockOn: root task spawned at %q; want %q", got, want)
	}
}
