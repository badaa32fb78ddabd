package runtime_test

import (
	"fmt"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func ExampleRun() {
	greeting := runtime.Run(runtime.Async(func(t *runtime.Task) string {
		runtime.Await(t, runtime.Sleep(10*time.Millisecond))
		return "hello from a task"
	}))
	fmt.Println(greeting)
	// Output: hello from a task
}

func ExampleSpawn() {
	sum := runtime.Run(runtime.Async(func(t *runtime.Task) int {
		var handles []*runtime.JoinHandle[int]
		for i := 1; i <= 3; i++ {
			handles = append(handles, runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
				runtime.Await(t, runtime.Sleep(time.Duration(i)*time.Millisecond))
				return i * i
			})))
		}
		total := 0
		for _, h := range handles {
			total += runtime.Await(t, h)
		}
		return total
	}))
	fmt.Println(sum)
	// Output: 14
}

func ExampleJoin2() {
	fetch := func(name string, d time.Duration) runtime.Future[string] {
		return runtime.Async(func(t *runtime.Task) string {
			runtime.Await(t, runtime.Sleep(d))
			return name
		})
	}
	// Both fetches wait at the same time: this takes about 200 ms, not 205.
	both := runtime.Run(runtime.Async(func(t *runtime.Task) string {
		joke, prefs := runtime.Join2(t, fetch("joke", 200*time.Millisecond), fetch("prefs", 5*time.Millisecond))
		return joke + " " + prefs
	}))
	fmt.Println(both)
	// Output: joke prefs
}

func ExampleSpawnBlocking() {
	n := runtime.Run(runtime.Async(func(t *runtime.Task) int {
		// The closure may block: it runs on the blocking pool, not on a worker.
		h := runtime.SpawnBlocking(t, func() int {
			time.Sleep(5 * time.Millisecond)
			return 42
		})
		return runtime.Await(t, h)
	}))
	fmt.Println(n)
	// Output: 42
}

func ExampleWithVirtualTime() {
	rt := runtime.New(runtime.WithWorkers(1), runtime.WithVirtualTime())
	defer rt.Close()
	start := rt.Now()
	runtime.BlockOn(rt, runtime.Async(func(t *runtime.Task) struct{} {
		return runtime.Await(t, runtime.Sleep(time.Hour))
	}))
	fmt.Println(rt.Now().Sub(start))
	// Output: 1h0m0s
}
