package main

import (
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// guardRun returns run with a panic turned into an error naming the check,
// the package and where it panicked: a panic in a pass must give exit code 1
// and a message, not kill the process with a stack trace.
func guardRun(run func(*analysis.Pass) (any, error)) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (result any, err error) {
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("internal error: panic: %v (at %s)", v, panicSite())
			}
		}()
		return run(pass)
	}
}

// panicSite returns the file:line of the innermost frame outside the Go
// runtime, where the panic was raised.
func panicSite() string {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") {
			return fmt.Sprintf("%s:%d", f.File, f.Line)
		}
		if !more {
			return "unknown location"
		}
	}
}
