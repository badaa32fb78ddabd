// Package app uses the helper libraries from tasks.
package app

import (
	"asynclint.test/blockingcall/crosspkg/lib"
	"asynclint.test/blockingcall/crosspkg/mid"

	"github.com/asynclint/asynclint/runtime"
)

func fetchJoke(t *runtime.Task) string { // want fetchJoke:"mayBlock\\(fetchJoke -> lib\\.Fetch -> lib\\.get -> net/http\\.Get\\)"
	return lib.Fetch("https://jokes.example.com") // want `call to lib.Fetch blocks the worker \(lib.Fetch -> lib.get -> net/http.Get\)`
}

func twoAway(t *runtime.Task) string { // want twoAway:"mayBlock\\(twoAway -> mid\\.Wrap -> lib\\.Fetch -> lib\\.get -> net/http\\.Get\\)"
	return mid.Wrap("x") // want `call to mid.Wrap blocks the worker \(mid.Wrap -> lib.Fetch -> lib.get -> net/http.Get\)`
}

func method(t *runtime.Task, c *lib.Client) { // want method:"mayBlock\\(method -> \\(\\*lib\\.Client\\)\\.Retry -> time\\.Sleep\\)"
	c.Retry() // want `call to c.Retry blocks the worker \(\(\*lib.Client\).Retry -> time.Sleep\)`
	c.Count() // tier 2 through a helper: not reported in a task by default
}

func pure(t *runtime.Task) int {
	lib.Background() // blocks only other goroutines
	return lib.Pure(1, 2) + mid.Sum()
}

func waitDone(t *runtime.Task, done chan struct{}) { // want waitDone:"mayBlock\\(waitDone -> lib\\.Wait -> channel receive\\)"
	lib.Wait(done) // want `call to lib.Wait blocks the worker \(lib.Wait -> channel receive\)`
}

func outsideTask() string { // want outsideTask:"mayBlock\\(outsideTask -> lib\\.Fetch -> lib\\.get -> net/http\\.Get\\)"
	return lib.Fetch("x") // not a worker
}
