// Command chatbot is the motivating story of asynclint: a chat bot that, for
// each user's message, fetches a joke from an HTTP server (200 ms), looks up
// the user's preferences in a local store (5 ms) and formats a reply.
//
//	go run ./examples/chatbot              # 1,000 users on 2 workers
//	go run ./examples/chatbot -users 10000
//	go run ./examples/chatbot -blocking -users 20
//
// The async version suspends tasks while they wait, so every user is served
// in about 205 ms however many there are. The -blocking version calls
// time.Sleep and a synchronous HTTP client inside its tasks: each call
// freezes a worker, so users are served two at a time and the total grows as
// users / workers x 205 ms.
package main

import (
	"flag"
	"fmt"
	"os"
	goruntime "runtime"
	"time"
)

func main() {
	cfg := DefaultConfig()
	flag.IntVar(&cfg.Users, "users", cfg.Users, "number of users sending a message at once")
	flag.IntVar(&cfg.Workers, "workers", cfg.Workers, "runtime worker threads")
	flag.BoolVar(&cfg.Blocking, "blocking", false, "run the naive version that blocks its workers")
	flag.IntVar(&cfg.GC, "gc", cfg.GC, "GOGC during the run (-1: collector off; 0: leave the process setting)")
	flag.Parse()

	mode := "async"
	if cfg.Blocking {
		mode = "blocking"
		fmt.Printf("expect about %v: %d users / %d workers x 205 ms\n",
			(time.Duration(cfg.Users) * 205 * time.Millisecond / time.Duration(cfg.Workers)).Round(time.Millisecond), cfg.Users, cfg.Workers)
	}
	rep, err := Simulate(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chatbot:", err)
		os.Exit(1)
	}
	for _, r := range rep.SampleReplies {
		fmt.Println(r)
	}
	fmt.Printf("%s: %d users on %d workers\n", mode, cfg.Users, cfg.Workers)
	fmt.Printf("total %v (ideal %v)\n", rep.Total.Round(time.Millisecond), cfg.JokeDelay+cfg.PrefDelay)
	fmt.Printf("latency p50 %v  p90 %v  p99 %v\n",
		rep.Percentile(50).Round(time.Millisecond), rep.Percentile(90).Round(time.Millisecond), rep.Percentile(99).Round(time.Millisecond))
	if rep.CPU > 0 {
		fmt.Printf("cpu %v (%.0f%% of %d cores over the run)\n", rep.CPU.Round(time.Millisecond),
			100*float64(rep.CPU)/float64(rep.Total)/float64(goruntime.NumCPU()), goruntime.NumCPU())
	}
	fmt.Printf("peak memory (VmHWM) %.1f MB\n", float64(rep.PeakRSSKB)/1024)
}
