package runtime_test

import (
	"fmt"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

// A Mutex may be held across Await: waiting tasks suspend instead of blocking
// the worker, so even a one-worker runtime makes progress.
func ExampleMutex() {
	var mu runtime.Mutex
	balance := 0 // guarded by mu
	runtime.Run(runtime.Async(func(t *runtime.Task) int {
		var hs []*runtime.JoinHandle[int]
		for range 3 {
			hs = append(hs, runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
				mu.Lock(t)
				defer mu.Unlock()
				b := balance
				runtime.Await(t, runtime.Sleep(10*time.Millisecond)) // held across an await
				balance = b + 10
				return 0
			})))
		}
		for _, h := range hs {
			runtime.Await(t, h)
		}
		return 0
	}), runtime.WithWorkers(1))
	fmt.Println("balance:", balance)
	// Output: balance: 30
}

// A Chan connects a producer task and a consumer task; after Close, Recv
// drains the channel, then reports false, which ends the consumer's loop.
func ExampleChan() {
	sum := runtime.Run(runtime.Async(func(t *runtime.Task) int {
		c := runtime.NewChan[int](0)
		runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
			for i := 1; i <= 4; i++ {
				c.Send(t, i)
			}
			c.Close()
			return 0
		}))
		sum := 0
		for {
			v, ok := c.Recv(t)
			if !ok {
				return sum
			}
			sum += v
		}
	}), runtime.WithWorkers(1))
	fmt.Println("sum:", sum)
	// Output: sum: 10
}

// Under virtual time, a Mutex waited on for an hour and a Timeout of a
// minute resolve at once. The clock jumps to the next timer whenever every task
// waits, so an hour of timeouts runs at once and in the same order every time.
func ExampleMutex_virtualTime() {
	start := time.Now()
	runtime.Run(runtime.Async(func(t *runtime.Task) int {
		var mu runtime.Mutex
		mu.Lock(t)
		runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
			runtime.Await(t, runtime.Sleep(time.Hour))
			fmt.Println("holder unlocks after an hour")
			mu.Unlock()
			return 0
		}))
		r := runtime.Await(t, runtime.Timeout(time.Minute, mu.LockFuture()))
		fmt.Println("lock within a minute timed out:", r.TimedOut)
		mu.Lock(t) // waits for the holder's hour
		fmt.Println("locked")
		return 0
	}), runtime.WithWorkers(1), runtime.WithVirtualTime())
	fmt.Println("real time under a second:", time.Since(start) < time.Second)
	// Output:
	// lock within a minute timed out: true
	// holder unlocks after an hour
	// locked
	// real time under a second: true
}
