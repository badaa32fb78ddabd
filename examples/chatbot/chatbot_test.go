package main

import (
	"context"
	"errors"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAsyncBotServesUsersConcurrently(t *testing.T) {
	for _, stack := range []string{HTTPPipelined, HTTPNet} {
		t.Run(stack, func(t *testing.T) { testAsyncBot(t, stack) })
	}
}

func testAsyncBot(t *testing.T, stack string) {
	cfg := DefaultConfig()
	cfg.Users = 50
	cfg.HTTP = stack
	rep, err := Simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Latencies) != cfg.Users {
		t.Fatalf("got %d replies; want %d", len(rep.Latencies), cfg.Users)
	}
	perUser := cfg.JokeDelay + cfg.PrefDelay
	// One user at a time would take Users x 205 ms (10 s); concurrently, all
	// are served in about 205 ms. Allow a loaded machine ten times that.
	if limit := time.Duration(cfg.Users) * perUser / 5; rep.Total > limit {
		t.Fatalf("got total %v; want far below %v (%d users x %v): the users were not served concurrently",
			rep.Total, time.Duration(cfg.Users)*perUser, cfg.Users, perUser)
	}
	// The joke and the preferences are fetched at the same time, so a reply
	// cannot come before the slower of the two.
	if floor := max(cfg.JokeDelay, cfg.PrefDelay); rep.Percentile(0.1) < floor {
		t.Fatalf("got fastest latency %v; want at least %v (a reply needs the joke and the preferences)", rep.Percentile(0.1), floor)
	}
	if got := rep.SampleReplies[1]; !strings.HasPrefix(got, "@user1: ") {
		t.Fatalf("got reply %q; want it to start with %q", got, "@user1: ")
	}
	if got := rep.SampleReplies[0]; got != strings.ToUpper(got) {
		t.Fatalf("got reply %q; want user 0's reply in capitals", got)
	}
	t.Logf("total %v, p50 %v, p99 %v", rep.Total, rep.Percentile(50), rep.Percentile(99))
}

func TestBlockingBotCollapses(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Users = 6
	cfg.Blocking = true
	rep, err := Simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Each user freezes a worker for 205 ms: 6 users on 2 workers take three
	// rounds.
	rounds := time.Duration((cfg.Users + cfg.Workers - 1) / cfg.Workers)
	if want := rounds * (cfg.JokeDelay + cfg.PrefDelay); rep.Total < want {
		t.Fatalf("got total %v; want at least %v: the naive version should serve %d users at a time", rep.Total, want, cfg.Workers)
	}
}

func TestUnknownHTTPStackIsAnError(t *testing.T) {
	cfg := DefaultConfig()
	cfg.HTTP = "carrier-pigeon"
	if _, err := Simulate(cfg); err == nil || !strings.Contains(err.Error(), "carrier-pigeon") {
		t.Fatalf("got %v; want an error naming the unknown stack", err)
	}
}

func TestPercentile(t *testing.T) {
	var r Report
	for i := 1; i <= 100; i++ {
		r.Latencies = append(r.Latencies, time.Duration(i))
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 50}, {90, 90}, {99, 99}, {100, 100}, {0.1, 1}} {
		if got := r.Percentile(c.p); got != c.want {
			t.Errorf("Percentile(%v): got %v; want %v", c.p, got, c.want)
		}
	}
}

// BenchmarkChatbot runs the whole story once per iteration; ns/op is the wall
// time of a run, cpu-ms the process's CPU time during it and x-ideal the
// wall time over 205 ms (the joke plus the lookup, the yardstick of the
// async version's goal: 10,000 users within 1.25 x 205 ms). The async
// version serves 10,000 users on 2 workers (ideal: 205 ms), with the
// pipelined HTTP/1.1 stack (async-10000) and with net/http
// (async-nethttp-10000); goroutines-nethttp-10000 is the net/http work done
// the plain Go way, a goroutine per user and no runtime, to show what
// net/http alone costs; the blocking version serves 20 users, two at a time
// (ideal for 20 users: 205 ms, expected: 10 x 205 ms).
func BenchmarkChatbot(b *testing.B) {
	for _, c := range []struct {
		name     string
		users    int
		blocking bool
		http     string
		simulate func(Config) (Report, error)
	}{
		{"async-10000", 10000, false, HTTPPipelined, Simulate},
		{"async-nethttp-10000", 10000, false, HTTPNet, Simulate},
		{"goroutines-nethttp-10000", 10000, false, HTTPNet, simulateGoroutines},
		{"blocking-20", 20, true, HTTPNet, Simulate},
	} {
		b.Run(c.name, func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Users, cfg.Blocking, cfg.HTTP = c.users, c.blocking, c.http
			// The metrics are means over the runs (peak-MB: the highest),
			// like ns/op, rather than the last run's.
			var p99, total, cpu time.Duration
			var peakKB int64
			runs := 0
			for b.Loop() {
				rep, err := c.simulate(cfg)
				if err != nil {
					b.Fatal(err)
				}
				p99 += rep.Percentile(99)
				total += rep.Total
				cpu += rep.CPU
				peakKB = max(peakKB, rep.PeakRSSKB)
				runs++
			}
			n := float64(runs)
			b.ReportMetric(float64(p99.Milliseconds())/n, "p99-ms")
			b.ReportMetric(float64(total)/n/float64(cfg.JokeDelay+cfg.PrefDelay), "x-ideal")
			b.ReportMetric(float64(peakKB)/1024, "peak-MB")
			b.ReportMetric(float64(cpu.Milliseconds())/n, "cpu-ms")
		})
	}
}

// simulateGoroutines is Simulate without the runtime: each user is a
// goroutine that fetches the joke while a second goroutine looks up the
// preferences, with the same server, client and collector setting. It is
// the baseline of BenchmarkChatbot.
func simulateGoroutines(cfg Config) (Report, error) {
	srv, err := startJokeServer(cfg.JokeDelay, max(cfg.Users, 100))
	if err != nil {
		return Report{}, err
	}
	defer srv.close()
	bot := &bot{jokes: srv.url, client: srv.client(), store: newPrefStore(cfg.PrefDelay)}
	if cfg.GC != 0 {
		defer debug.SetGCPercent(debug.SetGCPercent(cfg.GC))
	}
	cpu0 := cpuTime()
	start := time.Now()
	latencies := make([]time.Duration, cfg.Users)
	errs := make([]error, cfg.Users)
	replies := make([]string, cfg.Users)
	var wg sync.WaitGroup
	for u := range cfg.Users {
		wg.Go(func() {
			prefsc := make(chan prefs, 1)
			go func() { prefsc <- bot.store.lookupBlocking(u) }()
			ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
			defer cancel()
			joke, err := bot.fetchJoke(ctx, u)
			p := <-prefsc
			if err == nil {
				replies[u] = format(u, p, joke)
			}
			latencies[u], errs[u] = time.Since(start), err
		})
	}
	wg.Wait()
	rep := Report{Total: time.Since(start), PeakRSSKB: peakRSSKB(), CPU: cpuTime() - cpu0}
	if err := errors.Join(errs...); err != nil {
		return rep, err
	}
	rep.Latencies = latencies
	slices.Sort(rep.Latencies)
	rep.SampleReplies = replies[:min(3, len(replies))]
	return rep, nil
}
