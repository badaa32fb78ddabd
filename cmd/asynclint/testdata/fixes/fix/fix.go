// Package fix holds findings whose fix would not compile, next to ones
// whose fix does: -fix must leave a package that builds.
package fix

import (
	"time"

	rt "github.com/asynclint/asynclint/runtime"
)

func fetch(n int) rt.Future[int] {
	return rt.Async(func(t *rt.Task) int { return n })
}

// Fixed.
func Fixed(t *rt.Task) {
	fetch(0)
	time.Sleep(time.Millisecond)
}

func Unnamed(t *rt.Task) {
	rt.Await(t, rt.Async(func(*rt.Task) int {
		fetch(1)
		return 0
	}))
}

func ShadowTask(t *rt.Task) {
	{
		t := 5
		_ = t
		fetch(2)
	}
}

func ShadowPkg(t *rt.Task) {
	rt := 3
	_ = rt
	fetch(3)
	time.Sleep(time.Second)
}

func AnyVar(t *rt.Task) {
	var x any = fetch(4)
	_ = x
}

func SleepVar(t *rt.Task) {
	sleep := time.Sleep
	sleep(1)
}
