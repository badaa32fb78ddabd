// Package callbacks exercises the context of closures passed to functions:
// those the standard library calls back synchronously inherit the caller's
// context; any other use leaves them without one.
package callbacks

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

var once sync.Once

func onceDo(t *runtime.Task) { // want `context task`
	once.Do(func() {}) // want `context task`
	n := 0
	once.Do(func() { n++ })  // want `context task`
	defer once.Do(func() {}) // want `context task`
}

type cache struct {
	once sync.Once
	m    sync.Map
}

func fields(t *runtime.Task, c *cache) { // want `context task`
	c.once.Do(func() { _ = c })                    // want `context task`
	c.m.Range(func(k, v any) bool { return true }) // want `context task`
}

func sorting(t *runtime.Task, xs []int) { // want `context task`
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })       // want `context task`
	sort.SliceStable(xs, func(i, j int) bool { return xs[i] < xs[j] }) // want `context task`
	_ = sort.Search(len(xs), func(i int) bool { return xs[i] > 3 })    // want `context task`
	_, _ = sort.Find(len(xs), func(i int) int { return xs[i] - 3 })    // want `context task`
}

func generic(t *runtime.Task, xs []int, m map[string]int) { // want `context task`
	slices.SortFunc(xs, func(a, b int) int { return a - b })                    // want `context task`
	slices.SortStableFunc(xs, func(a, b int) int { return a - b })              // want `context task`
	_ = slices.IndexFunc(xs, func(x int) bool { return x > 0 })                 // want `context task`
	_ = slices.ContainsFunc(xs, func(x int) bool { return x > 0 })              // want `context task`
	xs = slices.DeleteFunc(xs, func(x int) bool { return x < 0 })               // want `context task`
	_ = slices.EqualFunc(xs, xs, func(a, b int) bool { return a == b })         // want `context task`
	xs = slices.CompactFunc(xs, func(a, b int) bool { return a == b })          // want `context task`
	_, _ = slices.BinarySearchFunc(xs, 3, func(a, b int) int { return a - b })  // want `context task`
	_ = slices.MaxFunc(xs, func(a, b int) int { return a - b })                 // want `context task`
	_ = slices.MinFunc(xs, func(a, b int) int { return a - b })                 // want `context task`
	_ = slices.CompareFunc(xs, xs, func(a, b int) int { return a - b })         // want `context task`
	maps.DeleteFunc(m, func(k string, v int) bool { return v == 0 })            // want `context task`
	_ = slices.IndexFunc([]string{"a"}, func(s string) bool { return s == "" }) // want `context task`
}

func text(t *runtime.Task, s string, b []byte) { // want `context task`
	_ = strings.Map(func(r rune) rune { return r }, s)                  // want `context task`
	_ = strings.FieldsFunc(s, func(r rune) bool { return r == ',' })    // want `context task`
	_ = strings.IndexFunc(s, func(r rune) bool { return r == ',' })     // want `context task`
	_ = strings.LastIndexFunc(s, func(r rune) bool { return r == ',' }) // want `context task`
	_ = strings.TrimFunc(s, func(r rune) bool { return r == ' ' })      // want `context task`
	_ = strings.TrimLeftFunc(s, func(r rune) bool { return r == ' ' })  // want `context task`
	_ = strings.TrimRightFunc(s, func(r rune) bool { return r == ' ' }) // want `context task`
	_ = bytes.Map(func(r rune) rune { return r }, b)                    // want `context task`
	_ = bytes.FieldsFunc(b, func(r rune) bool { return r == ',' })      // want `context task`
	_ = bytes.IndexFunc(b, func(r rune) bool { return r == ',' })       // want `context task`
	_ = bytes.LastIndexFunc(b, func(r rune) bool { return r == ',' })   // want `context task`
	_ = bytes.TrimFunc(b, func(r rune) bool { return r == ' ' })        // want `context task`
	_ = bytes.TrimLeftFunc(b, func(r rune) bool { return r == ' ' })    // want `context task`
	_ = bytes.TrimRightFunc(b, func(r rune) bool { return r == ' ' })   // want `context task`
}

// walk's callbacks are converted to the named types filepath.WalkFunc and
// fs.WalkDirFunc on the way.
func walk(t *runtime.Task) { // want `context task`
	_ = filepath.Walk(".", func(string, os.FileInfo, error) error { return nil })    // want `context task`
	_ = filepath.WalkDir(".", func(string, fs.DirEntry, error) error { return nil }) // want `context task`
}

// nested callbacks inherit through each other, and through a closure
// called directly.
func nested(t *runtime.Task, xs []int) { // want `context task`
	once.Do(func() { // want `context task`
		sort.Slice(xs, func(i, j int) bool { // want `context task`
			return slices.ContainsFunc(xs, func(x int) bool { return x == i }) // want `context task`
		})
	})
	func() { // want `context task`
		once.Do(func() {}) // want `context task`
	}()
}

type fut struct{ xs []int }

func (f *fut) Poll(cx *runtime.Cx) runtime.Poll[int] { // want `context poll`
	sort.Slice(f.xs, func(i, j int) bool { return f.xs[i] < f.xs[j] }) // want `context poll`
	return runtime.Ready(len(f.xs))
}

// methodValue calls once.Do through a method value: SSA resolves the
// bound method statically, so this is still Do, called right here.
func methodValue(t *runtime.Task) { // want `context task`
	do := once.Do
	do(func() {}) // want `context task`
}

// funcValue calls once.Do through a function variable: unknown.
func funcValue(t *runtime.Task, do func(func())) { // want `context task`
	if do == nil {
		do = once.Do
	}
	do(func() {}) // want `context none`
}

// plain code passes on no context.
func plain(xs []int) {
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] }) // want `context none`
}

func apply(f func()) { f() }

// unknown receivers of a closure may run it anywhere, later.
func unknown(t *runtime.Task, g func(func())) { // want `context task`
	apply(func() {})                            // want `context none`
	g(func() {})                                // want `context none`
	_ = sync.OnceFunc(func() {})                // want `context none`
	_ = sync.OnceValue(func() int { return 1 }) // want `context none`
}

var saved func()

// a closure that is also stored, or passed twice, escapes.
func escapes(t *runtime.Task, xs []int) { // want `context task`
	f := func() {} // want `context none`
	saved = f
	once.Do(f)
	less := func(i, j int) bool { return xs[i] < xs[j] } // want `context none`
	sort.Slice(xs, less)
	apply(func() { _ = less })                                                           // want `context none`
	var walkFn filepath.WalkFunc = func(string, os.FileInfo, error) error { return nil } // want `context none`
	_ = filepath.Walk(".", walkFn)
	go apply(walkFnUser(walkFn))
}

func walkFnUser(filepath.WalkFunc) func() { return nil }

// goroutines and the blocking pool are not the task.
func elsewhere(t *runtime.Task, xs []int) int { // want `context task`
	go once.Do(func() {})                                           // want `context none`
	go sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] }) // want `context none`
	h := runtime.SpawnBlocking(t, func() int {                      // want `context none`
		once.Do(func() {}) // want `context none`
		return 1
	})
	return runtime.Await(t, h)
}
