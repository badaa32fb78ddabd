package fixes

import . "github.com/asynclint/asynclint/runtime"

// With a dot import the fix calls Await unqualified.
func dotImport(t *Task) {
	doWork(20) // want `future returned by doWork is never awaited`
}

// No fix: Await is shadowed.
func dotShadowed(t *Task) {
	Await := 1
	_ = Await
	doWork(21) // want `future returned by doWork is never awaited`
}
