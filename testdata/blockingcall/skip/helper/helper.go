// Package helper does not import the runtime but blocks: blockingcall
// builds its SSA to export facts.
package helper // want "ssa built"

import "time"

func Nap() { time.Sleep(time.Millisecond) }
