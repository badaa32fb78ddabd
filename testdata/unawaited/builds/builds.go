// Package builds uses the runtime and has nothing to report: the early-exit
// test checks that the pass does build SSA here.
package builds

import "github.com/asynclint/asynclint/runtime"

func Awaited(t *runtime.Task) int {
	return runtime.Await(t, runtime.Async(func(t *runtime.Task) int { return 1 }))
}
