// Package polls covers futures created inside Poll methods and PollFunc
// literals, which run on a worker but have no task to await with.
package polls

import (
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func doWork(n int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return n })
}

type delayed struct{ inner runtime.Future[int] }

func (d *delayed) Poll(cx *runtime.Cx) runtime.Poll[int] {
	runtime.Sleep(time.Millisecond) // want `future returned by runtime.Sleep is never awaited`
	return runtime.Pending[int]()
}

var pollFunc = runtime.PollFunc[int](func(cx *runtime.Cx) runtime.Poll[int] {
	doWork(1) // want `future returned by doWork is never awaited`
	return runtime.Ready(1)
})

// Negative cases.

type wrapper struct{ inner runtime.Future[int] }

// Poll polls the future it wraps: a direct Poll consumes it.
func (w *wrapper) Poll(cx *runtime.Cx) runtime.Poll[int] {
	if w.inner == nil {
		w.inner = doWork(2)
	}
	return w.inner.Poll(cx)
}

func pollLocal(cx *runtime.Cx) runtime.Poll[int] {
	f := doWork(3)
	return f.Poll(cx)
}

func pollFuncValue() runtime.Future[int] {
	inner := doWork(4)
	return runtime.PollFunc[int](func(cx *runtime.Cx) runtime.Poll[int] {
		return inner.Poll(cx)
	})
}

func pollCreated(cx *runtime.Cx) bool {
	return doWork(5).Poll(cx).IsReady()
}
