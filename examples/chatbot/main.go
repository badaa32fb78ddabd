// Command chatbot is the motivating story of asynclint: a chat bot that, for
// each user's message, fetches a joke from an HTTP server (200 ms), looks up
// the user's preferences in a local store (5 ms) and formats a reply.
//
//	go run ./examples/chatbot              # 1,000 users on 2 workers
//	go run ./examples/chatbot -users 10000
//	go run ./examples/chatbot -blocking -users 20
//
// The async version suspends tasks while they wait: each user's joke request
// starts on the blocking pool and the preference lookup suspends the task
// meanwhile, so no user waits for another and a reply needs the 200 ms of
// the joke server plus the CPU time of the HTTP traffic. The -blocking
// version calls time.Sleep and a synchronous HTTP client inside its tasks:
// each call freezes a worker, so users are served two at a time and the
// total grows as users / workers x 205 ms (100 users: 10.4 s instead of
// 0.21 s, 50 times slower).
//
// # Where the time goes
//
// Past a few thousand users the run is bound by CPU time, not by waiting.
// On 2 cores, 1,000 users take about 265 ms and 10,000 users 0.65 s at
// best, for about 0.85 s of CPU time (the "cpu" line; it is the better
// number to compare on a busy machine). Nearly all of that CPU time is
// net/http: the same 10,000 requests made from plain goroutines, without
// the runtime, take about as much (BenchmarkChatbot/goroutines-10000). In
// a CPU profile of the 10,000-user run, the HTTP/2 client (per user, one
// goroutine blocked in the request and one writing it) takes 43%, the
// HTTP/2 server 25%, the Go scheduler switching among some 40,000
// goroutines 11%, and the runtime's workers and task coroutines, with the
// bot's own code, 13%; growing goroutine stacks is 14% of the total, spread
// over all of these.
//
// The 256 ms (1.25 x 205 ms) that one might hope for with 10,000 users is
// out of reach on 2 cores with a net/http server, whatever the client: the
// server alone, fed by a client that only writes pre-encoded HTTP/2 frames,
// spends 20 to 25 µs of CPU per reply once the 200 ms are up and all the
// replies fall due together: 10,000 replies on 2 cores end 100 ms or more
// past the 200 ms mark even if the bot cost nothing. HTTP/1.1 does not help:
// net/http serves the requests pipelined on one connection one after the
// other, so 10,000 overlapping 200 ms requests need 10,000 connections,
// and a connection per request costs 100 µs of CPU or more against about
// 65 µs for an HTTP/2 stream.
package main

import (
	"flag"
	"fmt"
	"os"
	goruntime "runtime"
	"runtime/pprof"
	"time"
)

func main() {
	cfg := DefaultConfig()
	flag.IntVar(&cfg.Users, "users", cfg.Users, "number of users sending a message at once")
	flag.IntVar(&cfg.Workers, "workers", cfg.Workers, "runtime worker threads")
	flag.BoolVar(&cfg.Blocking, "blocking", false, "run the naive version that blocks its workers")
	flag.StringVar(&cfg.HTTP, "http", cfg.HTTP, "HTTP stack: pipelined (HTTP/1.1 pipelining, no goroutine per request) or nethttp (net/http, h2c); -blocking always uses nethttp")
	flag.IntVar(&cfg.Conns, "conns", cfg.Conns, "connections of the pipelined HTTP client")
	flag.IntVar(&cfg.GC, "gc", cfg.GC, "GOGC during the run (-1: collector off; 0: leave the process setting)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "chatbot:", err)
			os.Exit(1)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}

	mode := "async"
	if cfg.Blocking {
		mode = "blocking"
		fmt.Printf("expect about %v: %d users / %d workers x 205 ms\n",
			(time.Duration(cfg.Users) * 205 * time.Millisecond / time.Duration(cfg.Workers)).Round(time.Millisecond), cfg.Users, cfg.Workers)
	}
	rep, err := Simulate(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chatbot:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	for _, r := range rep.SampleReplies {
		fmt.Println(r)
	}
	stack := cfg.HTTP
	if cfg.Blocking {
		stack = HTTPNet
	} else if stack == HTTPPipelined {
		stack = fmt.Sprintf("%s, %d connections", stack, cfg.Conns)
	}
	fmt.Printf("%s: %d users on %d workers (HTTP: %s)\n", mode, cfg.Users, cfg.Workers, stack)
	// The async bot looks up the preferences while the joke is on its way;
	// the blocking one does one after the other.
	ideal := max(cfg.JokeDelay, cfg.PrefDelay)
	if cfg.Blocking {
		ideal = cfg.JokeDelay + cfg.PrefDelay
	}
	fmt.Printf("total %v (ideal %v)\n", rep.Total.Round(time.Millisecond), ideal)
	fmt.Printf("latency p50 %v  p90 %v  p99 %v\n",
		rep.Percentile(50).Round(time.Millisecond), rep.Percentile(90).Round(time.Millisecond), rep.Percentile(99).Round(time.Millisecond))
	if rep.CPU > 0 {
		fmt.Printf("cpu %v (%.0f%% of %d cores over the run)\n", rep.CPU.Round(time.Millisecond),
			100*float64(rep.CPU)/float64(rep.Total)/float64(goruntime.NumCPU()), goruntime.NumCPU())
	}
	fmt.Printf("peak memory (VmHWM) %.1f MB\n", float64(rep.PeakRSSKB)/1024)
}
