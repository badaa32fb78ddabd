// Package quiet uses the runtime but blocks nowhere: blockingcall need not
// build its SSA.
package quiet // want "ssa skipped"

import (
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func Tick() runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int {
		runtime.Await(t, runtime.Sleep(time.Millisecond))
		return 1
	})
}
