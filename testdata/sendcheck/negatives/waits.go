package negatives

import (
	"time"

	"github.com/asynclint/asynclint/runtime"
)

// The task sends on a Oneshot; the spawner receives before writing.
func afterOneshot(t *runtime.Task) int {
	res := 0
	o := runtime.NewOneshot[int]()
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		res = 1
		o.Send(1)
		return 0
	}))
	o.Recv(t)
	res++
	return res
}

// The positive twin: the spawner receives from another Oneshot.
func otherOneshot(t *runtime.Task) int {
	res := 0
	o, other := runtime.NewOneshot[int](), runtime.NewOneshot[int]()
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		res = 1 // want `res is captured by a task spawned with runtime.Spawn and also written by the spawner`
		o.Send(1)
		return 0
	}))
	other.Recv(t)
	res++
	return res
}

// The task sends on a runtime.Chan; the spawner awaits its RecvFuture.
func afterRecvFuture(t *runtime.Task) int {
	res := 0
	ch := runtime.NewChan[int](1)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		res = 1
		ch.Send(t, 1)
		return 0
	}))
	runtime.Await(t, ch.RecvFuture())
	res++
	return res
}

// The positive twin: the RecvFuture is of another channel.
func otherRecvFuture(t *runtime.Task) int {
	res := 0
	ch, other := runtime.NewChan[int](1), runtime.NewChan[int](1)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		res = 1 // want `res is captured by a task spawned with runtime.Spawn and also written by the spawner`
		ch.Send(t, 1)
		return 0
	}))
	runtime.Await(t, other.RecvFuture())
	res++
	return res
}

// The task closes a Go channel; the spawner awaits it through FromGoChan.
func afterFromGoChan(t *runtime.Task) int {
	res := 0
	ch := make(chan int)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		res = 1
		close(ch)
		return 0
	}))
	runtime.Await(t, runtime.FromGoChan(ch))
	res++
	return res
}

// The positive twin: the awaited Go channel is another one.
func otherFromGoChan(t *runtime.Task, other chan int) int {
	res := 0
	ch := make(chan int)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		res = 1 // want `res is captured by a task spawned with runtime.Spawn and also written by the spawner`
		close(ch)
		return 0
	}))
	runtime.Await(t, runtime.FromGoChan(other))
	res++
	return res
}

// The task calls Done; the spawner awaits the group's WaitFuture.
func afterWaitFuture(t *runtime.Task) int {
	res := 0
	var wg runtime.WaitGroup
	wg.Add(1)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		defer wg.Done()
		res = 1
		return 0
	}))
	runtime.Await(t, wg.WaitFuture())
	res++
	return res
}

// The positive twin: the WaitFuture is of another group.
func otherWaitFuture(t *runtime.Task) int {
	res := 0
	var wg, other runtime.WaitGroup
	wg.Add(1)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		defer wg.Done()
		res = 1 // want `res is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	runtime.Await(t, other.WaitFuture())
	res++
	return res
}

// awaitH waits for its handle on every path.
func awaitH(t *runtime.Task, h *runtime.JoinHandle[int]) int { // want awaitH:"awaitsParams\\(1\\)"
	return runtime.Await(t, h)
}

// awaitVia waits through awaitH, after a branch.
func awaitVia(t *runtime.Task, verbose bool, h *runtime.JoinHandle[int]) int { // want awaitVia:"awaitsParams\\(2\\)"
	if verbose {
		println("waiting")
	}
	return awaitH(t, h)
}

// maybeAwait waits on one path only: no fact.
func maybeAwait(t *runtime.Task, h *runtime.JoinHandle[int], wait bool) int {
	if wait {
		return runtime.Await(t, h)
	}
	return 0
}

// A helper awaits the handle before the spawner writes.
func afterHelperAwait(t *runtime.Task) int {
	res := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int { res = 1; return 0 }))
	awaitH(t, h)
	res++
	return res
}

// The same through two helpers.
func afterNestedHelperAwait(t *runtime.Task) int {
	res := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int { res = 1; return 0 }))
	awaitVia(t, false, h)
	res++
	return res
}

// The positive twin: the helper may return without awaiting.
func afterMaybeAwait(t *runtime.Task) int {
	res := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		res = 1 // want `res is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	maybeAwait(t, h, true)
	res++
	return res
}

// A Timeout that did not time out has joined the task.
func afterTimeout(t *runtime.Task) int {
	res := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int { res = 1; return 0 }))
	r := runtime.Await(t, runtime.Timeout(time.Second, h))
	if !r.TimedOut {
		res++
	}
	return 0
}

// The same, returning early when it timed out.
func afterTimeoutReturn(t *runtime.Task) int {
	res := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int { res = 1; return 0 }))
	r := runtime.Await(t, runtime.Timeout(time.Second, h))
	if r.TimedOut {
		return -1
	}
	res++
	return res
}

// The positive twin: on the timed-out branch the task may still run.
func whenTimedOut(t *runtime.Task) int {
	res := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		res = 1 // want `res is captured by a task spawned with runtime.Spawn and also written by the spawner`
		return 0
	}))
	r := runtime.Await(t, runtime.Timeout(time.Second, h))
	if r.TimedOut {
		res++
	}
	return 0
}
