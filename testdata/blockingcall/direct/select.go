package direct

import "github.com/asynclint/asynclint/runtime"

func selectBlocking(t *runtime.Task, a, b chan int) int { // want selectBlocking:"mayBlock\\(selectBlocking -> select\\)"
	select { // want `select without default blocks the worker thread; use runtime.Race or runtime.Chan`
	case v := <-a:
		return v
	case v := <-b:
		return v
	}
}

func selectDefault(t *runtime.Task, a chan int) int {
	select { // a poll of the channel: never blocks
	case v := <-a:
		return v
	default:
		return 0
	}
}

func selectForever(t *runtime.Task) { // want selectForever:"mayBlock\\(selectForever -> select\\)"
	select {} // want `select \{\} blocks the worker thread forever; use runtime.Race or runtime.Chan`
}
