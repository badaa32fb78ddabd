package fix

import (
	"time"

	. "github.com/asynclint/asynclint/runtime"
)

// With a dot import the fix calls Await and Sleep unqualified.
func dotImport(t *Task) { // want dotImport:"mayBlock\\(dotImport -> time\\.Sleep\\)"
	time.Sleep(2 * time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
}

// Sleep is shadowed: reported without a fix.
func dotShadowed(t *Task) { // want dotShadowed:"mayBlock\\(dotShadowed -> time\\.Sleep\\)"
	Sleep := time.Second
	time.Sleep(Sleep) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
}
