package gallerytest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestProgramsShowTheirPitfall runs every gallery program and checks that
// it behaves as its doc comment says: each bad program shows its symptom,
// and each good one does not.
func TestProgramsShowTheirPitfall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the gallery programs")
	}
	dir := gallery(t)
	bin := t.TempDir()
	build := func(args ...string) {
		cmd := exec.Command("go", append([]string{"build"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(cmd.Args[1:], " "), err, out)
		}
	}
	for _, p := range pitfalls {
		for _, v := range []string{"bad", "good"} {
			build("-o", filepath.Join(bin, p.dir+"-"+v), "./"+p.dir+"/"+v)
		}
	}
	// The data race is certain, but whether it crashes the plain build is
	// up to the scheduler; the race detector reports it every time.
	build("-race", "-o", filepath.Join(bin, "unsafecapture-bad-race"), "./unsafecapture/bad")

	replies := regexp.MustCompile(`5 replies in (\S+) `)
	elapsed := func(t *testing.T, out string) time.Duration {
		m := replies.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no timing in output:\n%s", out)
		}
		d, err := time.ParseDuration(m[1])
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		program  string
		wantCode int                            // -1: any failure
		want     string                         // in the combined output
		check    func(t *testing.T, out string) // more checks, or nil
	}{
		{"forgottenawait-bad", 0, "audit log holds 0 of 3 messages", nil},
		{"forgottenawait-good", 0, "audit log holds 3 of 3 messages", nil},
		{"blockingintask-bad", 0, "5 replies in", func(t *testing.T, out string) {
			// Five 50 ms sleeps on one worker cannot overlap.
			if d := elapsed(t, out); d < 250*time.Millisecond {
				t.Errorf("blocking sleeps took %v, want at least 250ms", d)
			}
		}},
		{"blockingintask-good", 0, "5 replies in", func(t *testing.T, out string) {
			// The five suspended sleeps overlap: far less than serial.
			if d := elapsed(t, out); d >= 200*time.Millisecond {
				t.Errorf("suspending sleeps took %v, want well under 250ms", d)
			}
		}},
		{"mutexacrossawait-bad", 1, "deadlock: the worker is blocked on cache.mu", nil},
		{"mutexacrossawait-good", 0, "[lang=en for ana lang=en for bo]", nil},
		{"unsafecapture-bad-race", -1, "", func(t *testing.T, out string) {
			// Which one comes first depends on the scheduler: the race
			// detector's report, or the map's own check, which Go spells
			// "concurrent map writes" or "concurrent map read and map write".
			if !strings.Contains(out, "WARNING: DATA RACE") && !strings.Contains(out, "fatal error: concurrent map ") {
				t.Errorf("no data race reported:\n%s", out)
			}
		}},
		{"unsafecapture-good", 0, `13 distinct words, "async" appears 98462 times`, nil},
	} {
		t.Run(tc.program, func(t *testing.T) {
			var out bytes.Buffer
			cmd := exec.Command(filepath.Join(bin, tc.program))
			cmd.Stdout, cmd.Stderr = &out, &out
			code := 0
			var exit *exec.ExitError
			if err := cmd.Run(); errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			codeOK := code == tc.wantCode || tc.wantCode == -1 && code != 0
			if !codeOK || !strings.Contains(out.String(), tc.want) {
				t.Fatalf("exit code %d, want %d; output should contain %q:\n%s", code, tc.wantCode, tc.want, &out)
			}
			if tc.check != nil {
				tc.check(t, out.String())
			}
		})
	}
}
