// Package mid wraps lib, two packages away from the runtime.
package mid

import "asynclint.test/blockingcall/crosspkg/lib"

func Wrap(url string) string { // want Wrap:"mayBlock\\(Wrap -> lib\\.Fetch -> lib\\.get -> net/http\\.Get\\)"
	return lib.Fetch(url)
}

func Sum() int { return lib.Pure(1, 2) }
