package runtime

import "testing"

// TestPrimitiveMisuseNamesMethod checks that a suspending method called
// with a nil Task, or with the Task of a body that is not running, panics
// with a message that names the method the user called.
func TestPrimitiveMisuseNamesMethod(t *testing.T) {
	var (
		mu  Mutex
		rw  RWMutex
		sem = NewSemaphore(1)
		n   Notify
		wg  WaitGroup
		one Oneshot[int]
		ch  = NewChan[int](1)
	)
	calls := []struct {
		name string
		call func(*Task)
	}{
		{"Mutex.Lock", func(t *Task) { mu.Lock(t) }},
		{"RWMutex.Lock", func(t *Task) { rw.Lock(t) }},
		{"RWMutex.RLock", func(t *Task) { rw.RLock(t) }},
		{"Semaphore.Acquire", func(t *Task) { sem.Acquire(t, 1) }},
		{"Notify.Wait", func(t *Task) { n.Wait(t) }},
		{"WaitGroup.Wait", func(t *Task) { wg.Wait(t) }},
		{"Oneshot.Recv", func(t *Task) { one.Recv(t) }},
		{"Chan.Send", func(t *Task) { ch.Send(t, 1) }},
		{"Chan.Recv", func(t *Task) { ch.Recv(t) }},
		{"Await", func(t *Task) { Await(t, Sleep(0)) }},
	}
	// A Task whose body has returned: its body is no longer running.
	var stale *Task
	Run(Async(func(t *Task) int { stale = t; return 0 }), WithWorkers(1))
	for _, c := range calls {
		mustPanic(t, "runtime: "+c.name+" called with a nil *Task", func() { c.call(nil) })
		mustPanic(t, "runtime: "+c.name+" called with a Task whose body is not running (use the *Task passed to the current async body)", func() { c.call(stale) })
	}
	mustPanic(t, "runtime: NewChan with a negative capacity", func() { NewChan[int](-1) })
	mustPanic(t, "runtime: Semaphore.Release with a negative count", func() { sem.Release(-1) })
	// Inside a body, the panic reaches Run's caller as a *PanicError.
	panicsWith(t, "runtime: Semaphore.Acquire with a negative count", func() {
		Run(Async(func(t *Task) int { sem.Acquire(t, -1); return 0 }), WithWorkers(1))
	})
}
