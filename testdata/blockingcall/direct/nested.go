package direct

import "github.com/asynclint/asynclint/runtime"

func blockOn(t *runtime.Task, rt *runtime.Runtime, f runtime.Future[int]) int { // want blockOn:"mayBlock\\(blockOn -> runtime\\.BlockOn\\)"
	return runtime.BlockOn(rt, f) // want `runtime.BlockOn inside a task runs a nested runtime on the worker \(likely deadlock\); use runtime.Await`
}

func runInTask(f runtime.Future[int]) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int {
		return runtime.Run(f) // want `runtime.Run inside a task runs a nested runtime on the worker \(likely deadlock\); use runtime.Await`
	})
}

func mainLike(f runtime.Future[int]) int { // want mainLike:"mayBlock\\(mainLike -> runtime\\.Run\\)"
	return runtime.Run(f) // plain code: the outermost runtime
}
