// Package exempt holds code that blocks off the worker: on the blocking
// pool, on goroutines, or outside any task.
package exempt

import (
	"net/http"
	"os"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func offloaded(t *runtime.Task) []byte {
	h := runtime.SpawnBlocking(t, func() []byte {
		b, _ := os.ReadFile("big.json") // on the blocking pool
		time.Sleep(time.Millisecond)
		return b
	})
	return runtime.Await(t, h)
}

func fetch() *http.Response { // want fetch:"mayBlock\\(fetch -> net/http\\.Get\\)"
	resp, _ := http.Get("https://example.com")
	return resp
}

func offloadedNamed(t *runtime.Task) *http.Response {
	return runtime.Await(t, runtime.SpawnBlocking(t, fetch)) // the pool calls fetch
}

func offloadedHelper(t *runtime.Task) *http.Response {
	return runtime.Await(t, runtime.SpawnBlocking(t, func() *http.Response {
		return fetch() // reachable only through the blocking pool
	}))
}
