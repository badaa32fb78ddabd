package direct

import (
	"net/http"

	"github.com/asynclint/asynclint/runtime"
)

func httpGet(t *runtime.Task) { // want httpGet:"mayBlock\\(httpGet -> net/http\\.Get\\)"
	http.Get("https://example.com") // want `http.Get blocks the worker thread; use runtime.SpawnBlocking`
}

func clientDo(t *runtime.Task, c *http.Client, req *http.Request) { // want clientDo:"mayBlock\\(clientDo -> \\(\\*net/http\\.Client\\)\\.Do\\)"
	c.Do(req) // want `c.Do blocks the worker thread; use runtime.SpawnBlocking`
}

func serve(t *runtime.Task) { // want serve:"mayBlock\\(serve -> net/http\\.ListenAndServe\\)"
	http.ListenAndServe(":8080", nil) // want `http.ListenAndServe blocks the worker thread; use runtime.SpawnBlocking`
}

func newRequest(t *runtime.Task) (*http.Request, error) {
	return http.NewRequest("GET", "https://example.com", nil) // builds a value, no I/O
}
