// Package testutil locates the shared analysistest module, testdata/, whose
// go.work puts the real runtime next to the test packages.
package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// TestData returns the absolute path of the repository's testdata module.
// analysistest needs it absolute because it passes go.work to the go
// command through GOWORK.
func TestData(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "testdata", "go.work")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return filepath.Join(dir, "testdata")
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("testutil: no testdata/go.work above the working directory")
		}
		dir = parent
	}
}
