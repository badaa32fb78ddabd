//go:build unix

package runtime

import "syscall"

// processCPU returns the CPU time (user + system) this process has used, in
// ns. Benchmarks report it per op beside wall time: on a loaded machine the
// wall time mostly measures waiting for a core.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
