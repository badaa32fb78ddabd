package lintfuzz

import (
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/asynclint/asynclint/internal/checks"
)

var (
	envOnce sync.Once
	env     *Env
	envErr  error
)

func loadEnv(t testing.TB) *Env {
	envOnce.Do(func() {
		wd, _ := os.Getwd()
		env, envErr = Load(wd)
	})
	if envErr != nil {
		t.Fatal(envErr)
	}
	return env
}

// seeds cover every fragment at least once, nested and flat.
var seeds = [][]byte{
	{},
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
	{10, 11, 12, 13, 14, 15, 16, 17, 18, 19},
	{20, 21, 22, 23, 24, 25, 26, 27, 28, 29},
	{30, 31, 32, 33, 34, 35, 36, 37, 38, 39},
	{11, 8, 17, 13, 0, 16, 5, 34},
	{15, 33, 5, 17, 16, 9, 21, 0, 2},
	{13, 14, 11, 12, 15, 16, 3, 6, 8, 0, 1, 2},
	{0, 1, 2, 3, 4},
}

// FuzzPasses checks that no pass panics or fails on any assembled program,
// and that diagnostics are the same from run to run.
func FuzzPasses(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	e := loadEnv(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64 {
			data = data[:64]
		}
		src := Build(data)
		first, err := e.Check(src, checks.Analyzers(nil))
		if err != nil {
			t.Fatalf("analysis failed: %v\n%s", err, Numbered(src))
		}
		if len(first.TypeErrors) > 0 {
			t.Fatalf("generated program does not type-check: %v\n%s", first.TypeErrors, Numbered(src))
		}
		second, err := e.Check(src, checks.Analyzers(nil))
		if err != nil {
			t.Fatalf("second analysis failed: %v", err)
		}
		if !slices.Equal(first.Diagnostics, second.Diagnostics) {
			t.Fatalf("diagnostics differ between runs:\nfirst:  %q\nsecond: %q\n%s", first.Diagnostics, second.Diagnostics, Numbered(src))
		}
	})
}

// TestSeedsFindPitfalls guards the harness itself: a program with a
// forgotten future and a blocking call must type-check, so the fuzz target
// is not silently exercising nothing.
func TestSeedsTypeCheck(t *testing.T) {
	e := loadEnv(t)
	for _, s := range seeds {
		res, err := e.Check(Build(s), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.TypeErrors) > 0 {
			t.Errorf("seed %v: %v\n%s", s, res.TypeErrors, Numbered(Build(s)))
		}
	}
}
