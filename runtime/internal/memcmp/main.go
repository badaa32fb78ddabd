// Command memcmp compares the peak memory of many concurrent sleeps: N
// runtime.Sleep futures in one runtime.JoinAll, against N goroutines each
// calling time.Sleep. Run each mode in its own process:
//
//	go run ./runtime/internal/memcmp -mode=runtime
//	go run ./runtime/internal/memcmp -mode=goroutine
//
// It prints the peak resident set size (VmHWM from /proc/self/status). The
// sleep must outlast the spawning of all the goroutines (several seconds for
// a million on two loaded cores), or the goroutine mode never has them all
// alive at once and its peak is understated; hence the 20 s default.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func main() {
	mode := flag.String("mode", "runtime", "runtime or goroutine")
	n := flag.Int("n", 1_000_000, "number of concurrent sleeps")
	d := flag.Duration("d", 20*time.Second, "sleep duration")
	flag.Parse()

	start := time.Now()
	switch *mode {
	case "runtime":
		runtime.Run(runtime.Async(func(t *runtime.Task) int {
			fs := make([]runtime.Future[struct{}], *n)
			for i := range fs {
				fs[i] = runtime.Sleep(*d)
			}
			return len(runtime.Await(t, runtime.JoinAll(fs...)))
		}))
	case "goroutine":
		var wg sync.WaitGroup
		wg.Add(*n)
		for range *n {
			go func() {
				defer wg.Done()
				time.Sleep(*d)
			}()
		}
		wg.Wait()
	default:
		fmt.Fprintf(os.Stderr, "memcmp: unknown mode %q\n", *mode)
		os.Exit(2)
	}
	fmt.Printf("mode=%s n=%d wall=%v peakRSS=%s\n", *mode, *n, time.Since(start).Round(time.Millisecond), vmHWM())
}

// vmHWM returns the peak resident set size of this process.
func vmHWM() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
