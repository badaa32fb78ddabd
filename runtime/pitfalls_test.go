package runtime

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The pitfalls the analyzers report are real on this runtime, not theory:
// a sync.Mutex held across an await deadlocks a one-worker runtime
// (lockacrossawait), and a variable written by a task spawned with Spawn and
// by its spawner is a data race (sendcheck). Each proof runs the broken
// program in a child process (this test binary, re-executed with
// pitfallChildEnv set), so that a stuck worker or a race report cannot leak
// into the test process; the corrected program runs in-process.

const pitfallChildEnv = "ASYNCLINT_PITFALL_CHILD"

// pitfallStallThreshold is how long the only worker must be stuck in one
// poll before the stall detector reports it.
const pitfallStallThreshold = 100 * time.Millisecond

// pitfallChild re-executes the test binary to run only the named test, in
// child mode.
func pitfallChild(test, mode string) *exec.Cmd { return testChild(test, pitfallChildEnv, mode) }

// testChild re-executes the test binary to run only the named test, with
// env set to value: how a test runs a program that must crash, hang or race
// without taking the test process with it.
func testChild(test, env, value string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env+"="+value)
	return cmd
}

// pitfallLockHolder locks mu, tells the waiter, then suspends while still
// holding it: the bug lockacrossawait reports.
func pitfallLockHolder(t *Task, mu *sync.Mutex, locked *Notify) int {
	mu.Lock()
	locked.NotifyOne()
	Await(t, Sleep(20*time.Millisecond)) // mu is held across this await
	mu.Unlock()
	return 1
}

// pitfallLockWaiter waits until the holder has mu, then locks it too. On a
// one-worker runtime that blocks the worker the holder needs to resume.
func pitfallLockWaiter(t *Task, mu *sync.Mutex, locked *Notify) int {
	locked.Wait(t)
	mu.Lock()
	mu.Unlock()
	return 2
}

// pitfallDeadlockChild runs the deadlocking program and prints the stall
// report. It never returns when the deadlock is real.
func pitfallDeadlockChild() {
	var rtp atomic.Pointer[Runtime]
	var out sync.Mutex // one report at a time on stdout
	report := func(s Stall) {
		var b strings.Builder
		for _, st := range s.Tasks {
			fmt.Fprintf(&b, "stalled task=%d worker=%d running=%v site=%s\n", st.TaskID, st.Worker, st.Running, st.SpawnSite)
			for _, line := range strings.Split(strings.TrimSpace(string(st.Stack)), "\n") {
				fmt.Fprintf(&b, "stack: %s\n", line)
			}
		}
		if rt := rtp.Load(); rt != nil {
			for _, ti := range rt.Tasks() {
				fmt.Fprintf(&b, "live task=%d state=%s site=%s\n", ti.ID, ti.State, ti.SpawnSite)
			}
		}
		b.WriteString("end of stall report\n")
		out.Lock()
		defer out.Unlock()
		os.Stdout.WriteString(b.String())
		// The task dump above is one instant. The holder's timer fires on
		// the timer goroutine, which a loaded machine may run late: dump
		// the live tasks again now and then, so that the test sees the
		// holder once it is woken.
		go func() {
			for range time.Tick(pitfallStallThreshold / 2) {
				var b strings.Builder
				for _, ti := range rtp.Load().Tasks() {
					fmt.Fprintf(&b, "live task=%d state=%s site=%s\n", ti.ID, ti.State, ti.SpawnSite)
				}
				out.Lock()
				os.Stdout.WriteString(b.String())
				out.Unlock()
			}
		}()
	}
	rt := New(WithWorkers(1), WithStallReport(pitfallStallThreshold, report))
	rtp.Store(rt)
	var mu sync.Mutex
	var locked Notify
	BlockOn(rt, Async(func(t *Task) int {
		holder := Spawn(t, Async(func(t *Task) int { return pitfallLockHolder(t, &mu, &locked) }))
		waiter := Spawn(t, Async(func(t *Task) int { return pitfallLockWaiter(t, &mu, &locked) }))
		out.Lock()
		fmt.Printf("spawned holder=%d waiter=%d\n", holder.ID(), waiter.ID())
		out.Unlock()
		return Await(t, holder) + Await(t, waiter)
	}))
	fmt.Println("finished: no deadlock")
	os.Exit(0)
}

// TestPitfallSyncMutexAcrossAwaitDeadlocks: on a one-worker runtime, two
// tasks sharing a sync.Mutex held across an Await deadlock, and the stall
// detector reports it, naming both tasks.
func TestPitfallSyncMutexAcrossAwaitDeadlocks(t *testing.T) {
	if os.Getenv(pitfallChildEnv) == "deadlock" {
		pitfallDeadlockChild()
		return
	}
	cmd := pitfallChild("TestPitfallSyncMutexAcrossAwaitDeadlocks", "deadlock")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1000)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var output []string
	killed := false
	kill := func() {
		if !killed {
			killed = true
			cmd.Process.Kill()
			for l := range lines { // drain to EOF before Wait
				output = append(output, l)
			}
			cmd.Wait()
		}
	}
	defer kill()
	fail := func(format string, args ...any) {
		t.Helper()
		kill()
		t.Fatalf("%s\nchild stdout:\n%s\nchild stderr:\n%s", fmt.Sprintf(format, args...), strings.Join(output, "\n"), stderr.String())
	}

	// Read until the first complete stall report.
	timeout := time.After(30 * time.Second)
	for reported := false; !reported; {
		select {
		case l, ok := <-lines:
			if !ok {
				fail("the child exited before any stall report")
			}
			output = append(output, l)
			reported = l == "end of stall report"
		case <-timeout:
			fail("got no stall report within 30s")
		}
	}
	var holder, waiter uint64
	for _, l := range output {
		if _, err := fmt.Sscanf(l, "spawned holder=%d waiter=%d", &holder, &waiter); err == nil {
			break
		}
	}
	if holder == 0 || waiter == 0 {
		fail("the child did not print the task ids")
	}
	// The deadlock is permanent: the child neither finishes nor exits, for
	// at least three thresholds, and until the holder shows up woken (its
	// timer fires on a goroutine of its own: see pitfallDeadlockChild).
	grace := time.After(3 * pitfallStallThreshold)
	holderWoken := fmt.Sprintf("live task=%d state=scheduled site=", holder)
	for waiting, woken := true, false; waiting || !woken; {
		select {
		case l, ok := <-lines:
			if !ok {
				fail("the child exited after the stall report; want it stuck until killed")
			}
			output = append(output, l)
			if strings.HasPrefix(l, "finished") {
				fail("the program finished; want a deadlock")
			}
			woken = woken || strings.HasPrefix(l, holderWoken)
		case <-grace:
			waiting = false
		case <-timeout:
			waiting, woken = false, true // the checks below say what is missing
		}
	}
	kill()

	// The only worker is stuck in the waiter's poll, inside sync.Mutex.Lock.
	stalled := fmt.Sprintf("stalled task=%d worker=0 ", waiter)
	var stalledLine string
	var stack []string
	for _, l := range output {
		switch {
		case strings.HasPrefix(l, "stalled task="):
			stalledLine = l
		case strings.HasPrefix(l, "stack: "):
			stack = append(stack, l)
		}
	}
	if !strings.HasPrefix(stalledLine, stalled) || !strings.Contains(stalledLine, "pitfalls_test.go:") {
		fail("got stall %q; want the waiter (task %d) stuck on worker 0, spawned in pitfalls_test.go", stalledLine, waiter)
	}
	running, err := time.ParseDuration(strings.Fields(strings.TrimPrefix(stalledLine, stalled))[0][len("running="):])
	if err != nil || running < pitfallStallThreshold {
		fail("got stall %q; want it running for at least %v", stalledLine, pitfallStallThreshold)
	}
	joined := strings.Join(stack, "\n")
	if !strings.Contains(joined, "sync.(*Mutex).Lock") || !strings.Contains(joined, "pitfallLockWaiter") {
		fail("got the stalled stack:\n%s\nwant sync.(*Mutex).Lock called from pitfallLockWaiter", joined)
	}
	// The holder, woken by its timer while holding the lock, waits for the
	// worker that the waiter blocks: it is scheduled and never polled.
	for id, state := range map[uint64]string{holder: "scheduled", waiter: "running"} {
		want := fmt.Sprintf("live task=%d state=%s site=", id, state)
		found := false
		for _, l := range output {
			found = found || (strings.HasPrefix(l, want) && strings.Contains(l, "pitfalls_test.go:"))
		}
		if !found {
			fail("want a live task line starting %q, spawned in pitfalls_test.go", want)
		}
	}
}

// TestPitfallAsyncMutexAcrossAwaitCompletes: the corrected program, with a
// runtime.Mutex, completes on one worker, and the stall detector stays quiet.
func TestPitfallAsyncMutexAcrossAwaitCompletes(t *testing.T) {
	var stalls atomic.Int32
	rt := New(WithWorkers(1), WithStallReport(pitfallStallThreshold, func(Stall) { stalls.Add(1) }))
	defer rt.Close()
	var mu Mutex
	var locked Notify
	var order []string // one worker: the tasks never run at once
	done := make(chan int, 1)
	go func() {
		done <- BlockOn(rt, Async(func(t *Task) int {
			holder := Spawn(t, Async(func(t *Task) int {
				mu.Lock(t)
				locked.NotifyOne()
				order = append(order, "holder locked")
				Await(t, Sleep(20*time.Millisecond)) // held across an await: fine for a runtime.Mutex
				order = append(order, "holder unlocks")
				mu.Unlock()
				return 1
			}))
			waiter := Spawn(t, Async(func(t *Task) int {
				locked.Wait(t)
				mu.Lock(t) // suspends the task, not the worker
				order = append(order, "waiter locked")
				mu.Unlock()
				return 2
			}))
			return Await(t, holder) + Await(t, waiter)
		}))
	}()
	select {
	case got := <-done:
		if got != 3 {
			t.Fatalf("got %d; want 3", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the program with a runtime.Mutex did not complete\n%+v", rt.Tasks())
	}
	if got, want := strings.Join(order, ", "), "holder locked, holder unlocks, waiter locked"; got != want {
		t.Fatalf("got order %q; want %q", got, want)
	}
	if n := stalls.Load(); n != 0 {
		t.Fatalf("got %d stall reports; want none", n)
	}
}

// pitfallRounds and pitfallIncrements size the racy program: enough rounds
// that a spawned task runs on the other worker while its spawner is still
// writing.
const pitfallRounds, pitfallIncrements = 20, 20_000

// pitfallRacyCounter is the program sendcheck reports: a task spawned with
// Spawn and its spawner both write the captured counter, unsynchronized,
// before the spawner joins the task.
func pitfallRacyCounter() int {
	counter := 0
	Run(Async(func(t *Task) int {
		for range pitfallRounds {
			h := Spawn(t, Async(func(t *Task) int {
				for range pitfallIncrements {
					//asynclint:ignore sendcheck the race is the point: this program proves the sendcheck report is real
					counter++ // the task's write
				}
				return 0
			}))
			for range pitfallIncrements {
				counter++ // the spawner's write, concurrent with the task's
			}
			Await(t, h)
		}
		return 0
	}), WithWorkers(2))
	return counter
}

// TestPitfallSpawnedCaptureRaces: the pattern sendcheck reports races for
// real on a two-worker runtime; the race detector says so in a child
// process, which then exits with status 66.
func TestPitfallSpawnedCaptureRaces(t *testing.T) {
	if os.Getenv(pitfallChildEnv) == "race" {
		fmt.Printf("racy program done: counter=%d\n", pitfallRacyCounter())
		os.Exit(0) // with a race reported, the race runtime makes this status 66
	}
	if !raceDetectorOn {
		t.Skip("needs -race: the proof is the race detector's report")
	}
	cmd := pitfallChild("TestPitfallSpawnedCaptureRaces", "race")
	cmd.Env = append(cmd.Env, "GORACE=halt_on_error=0 exitcode=66") // last one wins over the parent's
	out, err := cmd.CombinedOutput()
	code := -1
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err == nil {
		code = 0
	}
	if code != 66 {
		t.Fatalf("got exit status %d (%v); want 66, the race detector's\n%s", code, err, out)
	}
	s := string(out)
	if !strings.Contains(s, "WARNING: DATA RACE") || !strings.Contains(s, "racy program done") {
		t.Fatalf("got output:\n%s\nwant a DATA RACE report from a program that ran to its end", s)
	}
	if !strings.Contains(s, "pitfallRacyCounter") {
		t.Fatalf("got output:\n%s\nwant the race reported in pitfallRacyCounter", s)
	}
}

// TestPitfallSpawnedCaptureFixed: the corrected forms of the racy program are
// race-free under -race, in-process (a race report fails the test), and
// lose no increment.
func TestPitfallSpawnedCaptureFixed(t *testing.T) {
	const want = 2 * pitfallRounds * pitfallIncrements
	spawnerAndTask := func(spawn func(t *Task, f Future[int]) *JoinHandle[int], inc func(t *Task)) {
		Run(Async(func(t *Task) int {
			for range pitfallRounds {
				h := spawn(t, Async(func(t *Task) int {
					inc(t)
					return 0
				}))
				inc(t)
				Await(t, h)
			}
			return 0
		}), WithWorkers(2))
	}
	t.Run("atomic", func(t *testing.T) {
		var counter atomic.Int64
		spawnerAndTask(Spawn[int], func(*Task) {
			for range pitfallIncrements {
				counter.Add(1)
			}
		})
		if got := counter.Load(); got != want {
			t.Fatalf("got %d; want %d", got, want)
		}
	})
	t.Run("runtime.Mutex", func(t *testing.T) {
		var mu Mutex
		counter := 0 // guarded by mu
		spawnerAndTask(Spawn[int], func(t *Task) {
			for i := range pitfallIncrements {
				if i%1000 == 0 {
					mu.Lock(t)
				}
				counter++
				if i%1000 == 999 {
					mu.Unlock()
				}
			}
		})
		if counter != want {
			t.Fatalf("got %d; want %d", counter, want)
		}
	})
	t.Run("SpawnLocal", func(t *testing.T) {
		counter := 0 // the task is pinned to its spawner's worker
		spawnerAndTask(SpawnLocal[int], func(*Task) {
			for range pitfallIncrements {
				counter++
			}
		})
		if counter != want {
			t.Fatalf("got %d; want %d", counter, want)
		}
	})
}
