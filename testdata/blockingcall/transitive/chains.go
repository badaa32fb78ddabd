// Package transitive follows blocking calls through helpers of the same
// package: chains, cycles, closures and defers.
package transitive

import (
	"net/http"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func httpGet(url string) { // want httpGet:"mayBlock\\(httpGet -> net/http\\.Get\\)"
	http.Get(url)
}

func fetchJoke() { // want fetchJoke:"mayBlock\\(fetchJoke -> httpGet -> net/http\\.Get\\)"
	httpGet("https://jokes.example.com")
}

func handler(t *runtime.Task) { // want handler:"mayBlock\\(handler -> fetchJoke -> httpGet -> net/http\\.Get\\)"
	fetchJoke() // want `call to fetchJoke blocks the worker \(fetchJoke -> httpGet -> net/http.Get\)`
}

// later is declared after its caller: the fixed point still finds it.
func early(t *runtime.Task) { // want early:"mayBlock\\(early -> later -> time\\.Sleep\\)"
	later() // want `call to later blocks the worker \(later -> time.Sleep\)`
}

func later() { // want later:"mayBlock\\(later -> time\\.Sleep\\)"
	time.Sleep(time.Second)
}

// shortest: the shorter of two chains is the witness, wherever it is.
func shortest() { // want shortest:"mayBlock\\(shortest -> time\\.Sleep\\)"
	fetchJoke()
	time.Sleep(time.Second)
}

// A tier 1 chain wins over a shorter tier 2 one.
func tiers(t *runtime.Task) { // want tiers:"mayBlock\\(tiers -> later -> time\\.Sleep\\)"
	lockOnly()
	later() // want `call to later blocks the worker \(later -> time.Sleep\)`
}

func quiet(t *runtime.Task) int {
	return add(1, 2)
}

func add(a, b int) int { return a + b }

// A dynamic call is not followed.
func dynamic(t *runtime.Task, f func()) {
	f()
}

// Two chains of the same length: the first call in source order is the
// witness.
func twoWays() { // want twoWays:"mayBlock\\(twoWays -> httpGet -> net/http\\.Get\\)"
	httpGet("x")
	later()
}

func twoWaysSwapped() { // want twoWaysSwapped:"mayBlock\\(twoWaysSwapped -> later -> time\\.Sleep\\)"
	later()
	httpGet("x")
}
