// Package callbackargs exercises asyncapi.CallbackClosures: the closures a
// call runs before it returns.
package callbackargs

import (
	"os"
	"path/filepath"
	"sort"
	"sync"
)

var once sync.Once

func direct(xs []int) {
	once.Do(func() {}) // want `calls back direct\$1`
	n := 0
	once.Do(func() { n++ })                                      // want `calls back direct\$2`
	defer once.Do(func() {})                                     // want `calls back direct\$3`
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] }) // want `calls back direct\$4`
}

// converted: the closure becomes a filepath.WalkFunc on the way.
func converted() {
	_ = filepath.Walk(".", func(string, os.FileInfo, error) error { return nil }) // want `calls back converted\$1`
}

// escaped closures still run at the call, whatever else happens to them.
var saved func()

func escaped() {
	f := func() {}
	saved = f
	once.Do(f) // want `calls back escaped\$1`
}

func named() {}

func apply(f func()) { f() }

// others: named functions, function values and unknown callees run no
// closure known here.
func others(g func()) {
	once.Do(named)
	once.Do(g)
	apply(func() {})
	_ = sync.OnceFunc(func() {})
	// The call's closure is listed even in a go statement: the caller
	// decides whether the call itself runs here.
	go once.Do(func() {}) // want `calls back others\$3`
}
