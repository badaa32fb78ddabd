// Package suppress covers //asynclint:ignore directives, including one that
// suppresses nothing.
package suppress

import (
	"github.com/asynclint/asynclint/runtime"
)

func doWork(n int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return n })
}

func lineAbove(t *runtime.Task) {
	//asynclint:ignore unawaited the warm-up future is dropped on purpose
	doWork(1)
}

func sameLine(t *runtime.Task) {
	doWork(2) //asynclint:ignore unawaited dropped on purpose
}

func otherCheck(t *runtime.Task) {
	//asynclint:ignore blockingcall a different check does not suppress this one
	doWork(3) // want `future returned by doWork is never awaited`
}

func stale(t *runtime.Task) int {
	//asynclint:ignore unawaited this future is awaited // want `asynclint:ignore for unawaited suppresses nothing here \(remove it\)`
	return runtime.Await(t, doWork(4))
}

func several(t *runtime.Task) {
	//asynclint:ignore blockingcall,unawaited both checks named
	doWork(5)
}
