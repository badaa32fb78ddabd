// Package config exercises lockacrossawait's must-not-hold configuration:
// the test configures SpinLock (a type with Lock and Unlock) and
// runtime/trace.Region (a guard that trace.StartRegion returns and End
// releases).
package config

import (
	"context"
	"runtime/trace"

	"github.com/asynclint/asynclint/runtime"
)

// SpinLock is a user lock that the configuration says must not be held
// across an await.
type SpinLock struct{ state int32 }

func (l *SpinLock) Lock()         {}
func (l *SpinLock) TryLock() bool { return true }
func (l *SpinLock) Unlock()       {}

// Plain is not configured.
type Plain struct{}

func (p *Plain) Lock()   {}
func (p *Plain) Unlock() {}

type server struct {
	spin SpinLock
}

// InvalidSpin holds a configured lock across an await.
func InvalidSpin(t *runtime.Task, s *server, f runtime.Future[int]) { // want InvalidSpin:"maySuspend"
	s.spin.Lock() // want `^s\.spin \(config\.SpinLock\) is held across an await \(spinning blocks the worker\)$`
	runtime.Await(t, f)
	s.spin.Unlock()
}

// ValidSpin releases it first.
func ValidSpin(t *runtime.Task, s *server, f runtime.Future[int]) { // want ValidSpin:"maySuspend"
	s.spin.Lock()
	s.spin.Unlock()
	runtime.Await(t, f)
}

// InvalidSpinTry holds it on the TryLock success branch.
func InvalidSpinTry(t *runtime.Task, s *server, f runtime.Future[int]) { // want InvalidSpinTry:"maySuspend"
	if s.spin.TryLock() { // want `s\.spin \(config\.SpinLock\) is held across an await`
		runtime.Await(t, f)
		s.spin.Unlock()
	}
}

// ValidPlain holds a lock type that is not configured.
func ValidPlain(t *runtime.Task, p *Plain, f runtime.Future[int]) { // want ValidPlain:"maySuspend"
	p.Lock()
	runtime.Await(t, f)
	p.Unlock()
}

// InvalidRegion awaits inside a trace region.
func InvalidRegion(ctx context.Context, t *runtime.Task, f runtime.Future[int]) int { // want InvalidRegion:"maySuspend"
	region := trace.StartRegion(ctx, "load") // want `^region \(trace\.Region\) is held across an await \(a region must end on the goroutine that began it\)$`
	v := runtime.Await(t, f)
	region.End()
	return v
}

// InvalidRegionDeferred ends the region only at return.
func InvalidRegionDeferred(ctx context.Context, t *runtime.Task, f runtime.Future[int]) int { // want InvalidRegionDeferred:"maySuspend"
	defer trace.StartRegion(ctx, "load").End() // want `trace\.StartRegion\(ctx, "load"\) \(trace\.Region\) is held across an await`
	return runtime.Await(t, f)
}

// ValidRegion ends the region before awaiting.
func ValidRegion(ctx context.Context, t *runtime.Task, f runtime.Future[int]) int { // want ValidRegion:"maySuspend"
	region := trace.StartRegion(ctx, "prepare")
	region.End()
	return runtime.Await(t, f)
}

// ValidWithRegion runs a closure inside a region, without awaiting in it.
func ValidWithRegion(ctx context.Context, t *runtime.Task, f runtime.Future[int]) int { // want ValidWithRegion:"maySuspend"
	trace.WithRegion(ctx, "prepare", func() {})
	return runtime.Await(t, f)
}
