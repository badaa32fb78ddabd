// Package branches covers futures on conditional paths: one consumed path is
// enough, none is a report, and paths that panic or exit do not count.
package branches

import (
	"errors"
	"log"
	"os"
	"testing"

	"github.com/asynclint/asynclint/runtime"
)

func doWork(n int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return n })
}

func neither(t *runtime.Task, ok bool) int {
	f := doWork(1) // want `future f \(from doWork\) is never awaited`
	if ok && f != nil {
		return 1
	}
	return 2
}

func neitherSwitch(t *runtime.Task, n int) int {
	f := doWork(2) // want `future f \(from doWork\) is never awaited`
	switch n {
	case 0:
		return 0
	case 1:
		_ = f == nil
	}
	return n
}

func discardedInBranch(t *runtime.Task, ok bool) {
	if ok {
		doWork(3) // want `future returned by doWork is never awaited`
	}
}

// exitPath: the only unconsumed path that returns normally is enough.
func exitPath(t *runtime.Task, err error) int {
	f := doWork(4) // want `future f \(from doWork\) is never awaited`
	if err != nil || f == nil {
		log.Fatal(err)
	}
	return 0
}

// Negative cases.

// oneBranch is legitimate: futures are lazy, skipping one is not a bug.
func oneBranch(t *runtime.Task, ok bool) int {
	f := doWork(5)
	if !ok {
		return 0
	}
	return runtime.Await(t, f)
}

func errorPath(t *runtime.Task, err error) (int, error) {
	f := doWork(6)
	if err != nil {
		return 0, err
	}
	return runtime.Await(t, f), nil
}

func merged(t *runtime.Task, ok bool) int {
	var f runtime.Future[int]
	if ok {
		f = doWork(7)
	} else {
		f = doWork(8)
	}
	return runtime.Await(t, f)
}

func switched(t *runtime.Task, n int) int {
	f := doWork(9)
	switch n {
	case 0:
		return runtime.Await(t, f)
	case 1:
		return 1
	}
	return 2
}

func panics(t *runtime.Task) {
	f := doWork(10)
	_ = f == nil
	panic("unreachable")
}

func panicsOnEveryOtherPath(t *runtime.Task, ok bool) int {
	f := doWork(11)
	if !ok {
		panic(errors.New("bad"))
	}
	return runtime.Await(t, f)
}

func exits(t *runtime.Task) {
	f := doWork(12)
	if f != nil {
		os.Exit(1)
	}
	os.Exit(2)
}

func fatal(t *runtime.Task, logger *log.Logger) {
	doWork(13)
	logger.Fatalf("stop")
}

func nilCheck(t *runtime.Task) int {
	f := doWork(14)
	if f == nil {
		return 0
	}
	return runtime.Await(t, f)
}

func testFatal(tt *testing.T) {
	f := doWork(15)
	_ = f == nil
	tt.Fatal("stop")
}

func testFatalThroughInterface(tb testing.TB) {
	f := doWork(16)
	_ = f == nil
	tb.Fatalf("stop")
}

func testErrorReturns(tt *testing.T) {
	f := doWork(17) // want `future f \(from doWork\) is never awaited`
	_ = f == nil
	tt.Error("t.Error returns")
}
