// Package lib blocks in a helper: lib.Mid's call of Slow lies below the
// last line that go vet's export data tells the caller's package about.
package lib

import "time"

func Slow() {
	x := 1
	_ = x
	time.Sleep(time.Second)
}

func Mid() {
	y := 2
	_ = y
	Slow()
}
