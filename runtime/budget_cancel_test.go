package runtime

import (
	"sync/atomic"
	"testing"
)

// TestAwaitReadyNotLostAtBudgetYield aborts a task at the moment its coop
// budget runs out, right after a poll-level future that took something
// (a Mutex, a Chan value) returned Ready. The Await must hand the result to
// the body: the body's deferred Unlock must run, and the value must be
// returned or left in the channel, never dropped. The budget runs out at
// one of the k ready awaits before the last Await, whichever k; trying a
// range of k puts the yield right after the last Await's Ready.
func TestAwaitReadyNotLostAtBudgetYield(t *testing.T) {
	ready := PollFunc[int](func(*Cx) Poll[int] { return Ready(0) })
	for k := budgetPerPoll - 10; k < budgetPerPoll+10; k++ {
		var m Mutex
		c := NewChan[int](1)
		c.TrySend(42)
		var at atomic.Bool
		var got atomic.Int64
		got.Store(-1)
		Run(Async(func(t *Task) int {
			victim := Spawn(t, Async(func(t *Task) int {
				Await(t, YieldNow()) // start on a fresh budget
				for range k {
					Await(t, ready)
				}
				at.Store(true)
				Await(t, m.LockFuture())
				defer m.Unlock()
				got.Store(int64(Await(t, Future[Received[int]](c.RecvFuture())).Value))
				Await(t, YieldNow())
				return 0
			}))
			aborter := Spawn(t, Async(func(t *Task) int {
				for !at.Load() {
					Await(t, YieldNow())
				}
				victim.Abort()
				return 0
			}))
			func() {
				defer func() { recover() }()
				Await(t, victim)
			}()
			Await(t, aborter)
			return 0
		}), WithWorkers(1))
		if !m.TryLock() {
			t.Errorf("k=%d: the Mutex is still locked after its holder was aborted", k)
		}
		if _, ok, _ := c.TryRecv(); !ok && got.Load() != 42 {
			t.Errorf("k=%d: the value was neither received by the aborted body nor left in the Chan", k)
		}
	}
}
