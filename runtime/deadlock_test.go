package runtime

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	goruntime "runtime"
	"strings"
	"testing"
	"time"
)

const deadlockChildEnv = "ASYNCLINT_DEADLOCK_CHILD"

// deadlockChild locks a Mutex twice from one task: nothing can ever run
// again, and no timer is armed.
func deadlockChild() {
	var m Mutex
	Run(Async(func(t *Task) int {
		m.Lock(t)
		m.Lock(t) // deadlock: the second Lock
		return 0
	}))
}

// TestDeadlockIsNotSilent checks that a program whose tasks all wait for
// each other, with no timer armed, does not hang: the runtime's goroutines
// then all wait on channels, and Go's runtime stops the program with its
// deadlock error and every goroutine's stack, the stuck task's included.
// (A test binary's -test.timeout timer would keep Go from seeing the
// deadlock; the child runs without one.)
func TestDeadlockIsNotSilent(t *testing.T) {
	if raceDetectorOn {
		// A program built with -race hangs in the same deadlock: Go's
		// deadlock check does not fire with the race detector's runtime.
		t.Skip("Go does not report deadlocks in -race builds")
	}
	if os.Getenv(deadlockChildEnv) != "" {
		deadlockChild()
		fmt.Println("no deadlock?")
		os.Exit(0)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestDeadlockIsNotSilent$", "-test.count=1", "-test.timeout=0")
	cmd.Env = append(os.Environ(), deadlockChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the deadlocked child hung (killed after a minute):\n%s", out)
	}
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "fatal error: all goroutines are asleep - deadlock!") {
		t.Fatalf("child: %v; want Go's deadlock error (exit 2). Output:\n%s", err, out)
	}
	// The stacks show where the task is stuck: the line of the second Lock.
	_, file, _, _ := goruntime.Caller(0)
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	line := 1 + strings.Count(string(src[:strings.Index(string(src), "// deadlock: the second Lock")]), "\n")
	if want := fmt.Sprintf("%s:%d", file, line); !strings.Contains(string(out), want) {
		t.Errorf("the stacks do not show the stuck Lock at %s:\n%s", want, out)
	}
}
