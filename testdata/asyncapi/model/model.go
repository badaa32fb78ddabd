// Package model exercises internal/asyncapi's recognizers. The test analyzer
// reports, for each call, what asyncapi says about it.
package model

import (
	"iter"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

type myFuture struct{}

func (myFuture) Poll(cx *runtime.Cx) runtime.Poll[int] { // want `context poll`
	return runtime.Ready(1)
}

type ptrFuture struct{}

func (*ptrFuture) Poll(cx *runtime.Cx) runtime.Poll[string] { return runtime.Pending[string]() } // want `context poll`

type Waiter interface {
	runtime.Future[bool]
	Name() string
}

func makeFuture() myFuture              { return myFuture{} }
func makePtr() *ptrFuture               { return &ptrFuture{} }
func makeValue() ptrFuture              { return ptrFuture{} }
func makeWaiter() Waiter                { return nil }
func generic[T any]() runtime.Future[T] { return nil }

func futures() {
	_ = makeFuture()               // want `future makeFuture`
	_ = makePtr()                  // want `future makePtr`
	_ = makeValue()                // want `notfuture makeValue`
	_ = makeWaiter()               // want `future makeWaiter`
	_ = generic[int]()             // want `future generic`
	_ = runtime.Sleep(time.Second) // want `future runtime.Sleep` `entry Sleep`
}

func body(t *runtime.Task) int { // want `context task`
	runtime.Await(t, runtime.Sleep(1)) // want `suspends Await` `future runtime.Sleep` `entry Sleep`
	helper(t)                          // want `askfact helper`
	quiet()                            // want `nosuspend quiet`
	func() {                           // want `context task`
		runtime.Await(t, runtime.YieldNow()) // want `suspends Await` `future runtime.YieldNow` `entry YieldNow`
	}() // want `inline`
	go func() {}() // want `context none`
	var mu runtime.Mutex
	mu.Lock(t)                                                                   // want `suspends Mutex.Lock`
	mu.Unlock()                                                                  // want `nosuspend Mutex.Unlock`
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int { return 1 })) // want `spawn anywhere` `future runtime.Spawn` `context task` `future runtime.Async` `entry Async`
	h.Abort()                                                                    // want `nosuspend JoinHandle.Abort`
	return runtime.Await(t, h)                                                   // want `suspends Await`
}

func helper(t *runtime.Task) {} // want `context task`

func quiet() {}

func dynamic(t *runtime.Task, f func(*runtime.Task)) { // want `context task`
	f(t) // want `maysuspend`
}

func genericFuture[F runtime.Future[int]](t *runtime.Task, f F) int { // want `context task`
	return runtime.Await[int](t, f) // want `suspends Await`
}

var pf = runtime.PollFunc[int](func(cx *runtime.Cx) runtime.Poll[int] { // want `context poll`
	return runtime.Ready(2)
})

// rangeBody's loop body is a closure passed to seq; it runs on the task.
func rangeBody(t *runtime.Task, seq iter.Seq[int]) { // want `context task`
	for range seq { // want `context task`
		runtime.Await(t, runtime.YieldNow()) // want `suspends Await` `future runtime.YieldNow` `entry YieldNow`
	}
}
