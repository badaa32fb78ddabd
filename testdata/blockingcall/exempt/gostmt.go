package exempt

import (
	"sync"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func goroutine(t *runtime.Task, ch chan int) {
	go func() {
		time.Sleep(time.Second) // its own goroutine, not a worker
		ch <- 1
	}()
	go time.Sleep(time.Second)
	go fetch()
}

func goWaitGroup(t *runtime.Task) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		wg.Wait()
	}()
}

// main-like code owns its goroutine: nothing to report.
func plain() { // want plain:"mayBlock\\(plain -> time\\.Sleep\\)"
	time.Sleep(time.Second)
	rt := runtime.New()
	defer rt.Close()
	runtime.BlockOn(rt, runtime.Async(func(t *runtime.Task) int { return 1 }))
}
