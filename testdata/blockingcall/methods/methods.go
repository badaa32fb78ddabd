// Package methods follows blocking through methods, embedded methods and
// method values.
package methods

import (
	"net/http"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

type Service struct {
	client *http.Client
}

func (s *Service) Fetch(url string) { // want Fetch:"mayBlock\\(\\(\\*Service\\)\\.Fetch -> \\(\\*net/http\\.Client\\)\\.Get\\)"
	s.client.Get(url)
}

func (s Service) Nap() { // want Nap:"mayBlock\\(\\(Service\\)\\.Nap -> time\\.Sleep\\)"
	time.Sleep(time.Millisecond)
}

func (s *Service) Name() string { return "svc" }

// Handle is a method in task context.
func (s *Service) Handle(t *runtime.Task) { // want Handle:"mayBlock\\(\\(\\*Service\\)\\.Handle -> \\(\\*Service\\)\\.Fetch -> \\(\\*net/http\\.Client\\)\\.Get\\)"
	s.Fetch("https://example.com") // want `call to s.Fetch blocks the worker \(\(\*Service\).Fetch -> \(\*net/http.Client\).Get\)`
	s.Nap()                        // want `call to s.Nap blocks the worker \(\(Service\).Nap -> time.Sleep\)`
	_ = s.Name()
}

// Embedded promotes Nap and Fetch.
type Embedded struct {
	*Service
}

func embedded(t *runtime.Task, e Embedded) { // want embedded:"mayBlock\\(embedded -> \\(Service\\)\\.Nap -> time\\.Sleep\\)"
	e.Nap() // want `call to e.Nap blocks the worker \(\(Service\).Nap -> time.Sleep\)`
}

// A method value bound here still calls a known method.
func methodValue(t *runtime.Task, s *Service) { // want methodValue:"mayBlock\\(methodValue -> \\(Service\\)\\.Nap -> time\\.Sleep\\)"
	f := s.Nap
	f() // want `call to f blocks the worker \(\(Service\).Nap -> time.Sleep\)`
}

// A method that takes the task is checked in its own body, not at calls.
func (s *Service) Step(t *runtime.Task) { // want Step:"mayBlock\\(\\(\\*Service\\)\\.Step -> time\\.Sleep\\)"
	time.Sleep(time.Millisecond) // want `time.Sleep blocks the worker thread; use runtime.Sleep`
}

func callsStep(t *runtime.Task, s *Service) { // want callsStep:"mayBlock\\(callsStep -> \\(\\*Service\\)\\.Step -> time\\.Sleep\\)"
	s.Step(t) // reported inside Step
}
