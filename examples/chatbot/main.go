// Command chatbot is the motivating story of asynclint: a chat bot that, for
// each user's message, fetches a joke from an HTTP server (200 ms), looks up
// the user's preferences in a local store (5 ms) and formats a reply.
//
//	go run ./examples/chatbot              # 1,000 users on 2 workers
//	go run ./examples/chatbot -users 10000
//	go run ./examples/chatbot -users 10000 -http nethttp
//	go run ./examples/chatbot -blocking -users 20
//
// The async version suspends tasks while they wait: each user's task queues
// its joke request, looks up the preferences (which suspends the task, not
// its worker) and then awaits the joke, so no user waits for another and a
// reply needs the 200 ms of the joke server plus the CPU time of the run.
// The -blocking version calls time.Sleep and a synchronous HTTP client
// inside its tasks: each call freezes a worker, so users are served two at
// a time and the total grows as users / workers x 205 ms (100 users: 10.3 s
// instead of 0.20 s, 50 times slower).
//
// # Why the bot speaks HTTP/1.1 itself
//
// With net/http on both ends (-http nethttp: unencrypted HTTP/2, all
// requests on one connection, each request made on the blocking pool),
// 10,000 users take 0.53 to 0.69 s on 2 cores, for 0.81 to 0.93 s of CPU
// time and 340 to 420 MB of memory. Nearly all of that CPU time is
// net/http: the same requests made from plain goroutines, without the
// runtime, cost about as much (BenchmarkChatbot/goroutines-nethttp-10000).
// In a CPU profile, the HTTP/2 client (per user, one goroutine blocked in
// the request and one writing it) takes 43%, the HTTP/2 server 25%, and the
// Go scheduler switching among some 40,000 goroutines 11%. The server alone
// spends 20 to 25 µs of CPU per reply, so once the 200 ms are up, 10,000
// replies on 2 cores end 100 ms or more past the mark even if the bot cost
// nothing. HTTP/1.1 with net/http is no way out: its server serves the
// requests pipelined on a connection one after the other, so 10,000
// overlapping requests would need 10,000 connections.
//
// So by default (-http pipelined) both ends speak HTTP/1.1 with pipelining,
// through package internal/h1, on net/http's own message parsers. Its joke
// server answers every request of a connection 200 ms after it arrived,
// however many are pipelined before it, with two goroutines and one timer
// per connection. Its client makes each request a Call that the user's task
// awaits, completed by the reader goroutine of the connection: no goroutine
// per request, and a few keep-alive connections (-conns, default 2, dialed
// during the run) carry all the requests, each connection's requests
// coalesced into large writes. On the same machine:
//
//	users   stack       total         cpu            peak memory
//	1,000   nethttp     250-255 ms    75-85 ms       45 MB
//	1,000   pipelined   208-211 ms    15-17 ms       17 MB
//	10,000  nethttp     0.53-0.69 s   0.81-0.93 s    340-420 MB
//	10,000  pipelined   236-257 ms    105-130 ms     65-71 MB
//
// # Where the time goes now
//
// With 10,000 users the pipelined run is within the 256 ms target (1.25 x
// 205 ms) on a quiet machine and up to some 10 ms above it on a busy one
// (BenchmarkChatbot/async-10000: x-ideal 1.19 to 1.23). The replies leave
// the server 200 ms after their requests arrived and reach their tasks
// within a millisecond or two, so the total is 200 ms plus the time it
// takes the last user's request to go out: about 40 ms, nearly all spent
// starting the 10,000 tasks. In a CPU profile of the run, the users' tasks
// are about 25% (their coroutines' creation another 8%), the runtime's
// workers about 20%, and the HTTP traffic, both ends with their parsers,
// about 25%. The joke server's share (about 10%) is an artifact of the
// story: it runs on the bot's two cores, where a remote API would not.
// Growing task stacks, once 20% of the CPU time, is down to 3%: nine tasks
// in ten run on the smallest goroutine stack, 2 KB, from start to end
// (see format, and the runtime's "Costs").
//
// The collector is off during the run (-gc -1, the default; see
// DefaultConfig). With it on (-gc 0) the run takes 255-290 ms: the
// collector scans the 10,000 suspended task stacks at each cycle, and
// charges that work to the tasks that allocate.
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
	if rep.PeakRSSKB > 0 {
		fmt.Printf("peak memory (VmHWM) %.1f MB\n", float64(rep.PeakRSSKB)/1024)
	} else {
		fmt.Println("peak memory: unknown on this system (read from /proc/self/status on Linux)")
	}
}
