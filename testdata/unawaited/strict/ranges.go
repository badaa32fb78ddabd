package strict

import (
	"github.com/asynclint/asynclint/runtime"
)

// Collect, then await each: the second loop consumes every element, so its
// zero-iteration path is not a leak (the slice is empty there).

func awaitEach(t *runtime.Task) int {
	var fs []runtime.Future[int]
	for i := 0; i < 3; i++ {
		fs = append(fs, doWork(i))
	}
	s := 0
	for _, f := range fs {
		s += runtime.Await(t, f)
	}
	return s
}

func awaitEachByIndex(t *runtime.Task, n int) int {
	var fs []runtime.Future[int]
	for i := range n {
		fs = append(fs, doWork(i))
	}
	s := 0
	for i := range fs {
		if i > 0 {
			s += runtime.Await(t, fs[i])
		} else {
			s -= runtime.Await(t, fs[i])
		}
	}
	return s
}

// Still reported: an iteration can end without awaiting its element, the
// loop can be left early, or it sees only part of the slice.

func breakFirst(t *runtime.Task, stop bool) int {
	var fs []runtime.Future[int]
	for i := range 3 {
		fs = append(fs, doWork(i)) // want `future returned by doWork is not awaited on every path`
	}
	s := 0
	for _, f := range fs {
		if stop {
			break
		}
		s += runtime.Await(t, f)
	}
	return s
}

func skipSome(t *runtime.Task) int {
	var fs []runtime.Future[int]
	for i := range 3 {
		fs = append(fs, doWork(i)) // want `future returned by doWork is not awaited on every path`
	}
	s := 0
	for i, f := range fs {
		if i%2 == 1 {
			continue
		}
		s += runtime.Await(t, f)
	}
	return s
}

func partOfSlice(t *runtime.Task) int {
	var fs []runtime.Future[int]
	for i := range 3 {
		fs = append(fs, doWork(i)) // want `future returned by doWork is not awaited on every path`
	}
	s := 0
	for _, f := range fs[1:] {
		s += runtime.Await(t, f)
	}
	return s
}

func firstOnly(t *runtime.Task) int {
	var fs []runtime.Future[int]
	for i := range 3 {
		fs = append(fs, doWork(i)) // want `future returned by doWork is not awaited on every path`
	}
	s := 0
	for range fs {
		s += runtime.Await(t, fs[0])
	}
	return s
}
