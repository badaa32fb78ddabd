package main

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestGuardTurnsPanicsIntoErrors(t *testing.T) {
	boom := &analysis.Analyzer{Name: "boom", Doc: "boom: panics", Run: func(*analysis.Pass) (any, error) {
		var m map[string]int
		m["x"] = 1 // assignment to entry in nil map
		return nil, nil
	}}
	failing := &analysis.Analyzer{Name: "failing", Doc: "failing: fails", Run: func(*analysis.Pass) (any, error) {
		return nil, errors.New("plain failure")
	}}
	_, err := guardRun(boom.Run)(&analysis.Pass{})
	if err == nil || !strings.Contains(err.Error(), "internal error: panic: assignment to entry in nil map") ||
		!strings.Contains(err.Error(), "guard_test.go:") {
		t.Errorf("guarded panic gave %v, want an error naming the panic and its site", err)
	}
	if _, err := guardRun(failing.Run)(&analysis.Pass{}); err == nil || err.Error() != "plain failure" {
		t.Errorf("guarded error = %v, want it unchanged", err)
	}
}
