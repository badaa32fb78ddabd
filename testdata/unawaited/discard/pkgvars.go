package discard

// Package-level var declarations run in the package initializer: a future
// assigned to the blank identifier there is dropped; one kept in a package
// variable may be awaited by someone else.

var _ = doWork(10) // want `future returned by doWork is never awaited`

var kept = doWork(11)

var _, _ = doWork(12), kept // want `future returned by doWork is never awaited`
