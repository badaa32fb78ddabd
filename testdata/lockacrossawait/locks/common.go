// Package locks holds the lockacrossawait cases by language feature, as
// Valid/Invalid pairs: each Invalid function must be reported at its lock
// site, each Valid function (clippy's known false positives among them)
// must not.
package locks

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

func fetch() runtime.Future[int] { return nil }

func use(int) {}

func cond() bool { return true }

type store struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	amu  runtime.Mutex
	data int
}
