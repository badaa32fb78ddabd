package main

import (
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// guard returns copies of analyzers whose Run turns a panic into an error
// naming the check, the package and where it panicked. The checker runs
// passes on goroutines of its own, where a panic would kill the process
// with a stack trace instead of giving exit code 1 and a message.
func guard(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(analyzers))
	for i, a := range analyzers {
		g := *a
		g.Run = guardRun(a.Run)
		out[i] = &g
	}
	return out
}

// guardRun returns run with a panic turned into an error.
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
