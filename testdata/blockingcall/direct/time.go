// Package direct holds blocking calls made directly in task context, one
// file per family of the catalog.
package direct

import (
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func sleepInTask(t *runtime.Task) { // want sleepInTask:"mayBlock\\(sleepInTask -> time\\.Sleep\\)"
	time.Sleep(time.Second) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
}

func sleepInAsync() runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int {
		time.Sleep(10 * time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
		return 1
	})
}

func sleepOutsideTask() { // want sleepOutsideTask:"mayBlock\\(sleepOutsideTask -> time\\.Sleep\\)"
	time.Sleep(time.Second) // plain code: not a worker
}

func awaitSleep(t *runtime.Task) {
	runtime.Await(t, runtime.Sleep(time.Second)) // the runtime's timer suspends
}

func receiveAfter(t *runtime.Task) { // want receiveAfter:"mayBlock\\(receiveAfter -> channel receive\\)"
	<-time.After(time.Second) // want `receive from time.After\(time.Second\) blocks the worker thread; use runtime.Sleep`
}

func tickLoop(t *runtime.Task) { // want tickLoop:"mayBlock\\(tickLoop -> channel receive\\)"
	for range time.Tick(time.Second) { // want `range over channel time.Tick\(time.Second\) blocks the worker thread; use runtime.Sleep`
	}
}

func tickerLoop(t *runtime.Task, tk *time.Ticker) { // want tickerLoop:"mayBlock\\(tickerLoop -> channel receive\\)"
	for {
		<-tk.C // want `channel receive blocks the worker thread; use runtime.Sleep`
	}
}

func timerWait(t *runtime.Task) { // want timerWait:"mayBlock\\(timerWait -> channel receive\\)"
	tm := time.NewTimer(time.Second)
	<-tm.C // want `channel receive blocks the worker thread; use runtime.Sleep`
}
