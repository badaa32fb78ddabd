package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/asynclint/asynclint/examples/chatbot/internal/h1"
	"github.com/asynclint/asynclint/runtime"
)

// Config describes one run of the chat bot.
type Config struct {
	Users     int           // users who each send one message at once
	Workers   int           // runtime worker threads
	JokeDelay time.Duration // how long the joke server takes to answer
	PrefDelay time.Duration // how long a preference lookup takes
	Blocking  bool          // run the naive version that blocks its workers
	// HTTP is the HTTP stack between the bot and the joke server: "pipelined"
	// (HTTP/1.1 pipelined on a few connections, package h1 on both ends) or
	// "nethttp" (net/http on both ends, unencrypted HTTP/2 on one
	// connection). The -blocking version always uses net/http.
	HTTP  string
	Conns int // connections of the pipelined client
	// GC is the GOGC percentage during the run: -1 turns the collector off,
	// 0 leaves the process's setting alone. See DefaultConfig.
	GC int
}

// DefaultConfig is the story's setup: 1,000 users, 2 workers, a joke server
// answering after 200 ms and a preference store taking 5 ms.
//
// The collector is off during the run. A run is a burst of a few hundred
// milliseconds whose memory is mostly goroutine stacks that stay live until
// the replies are in (the task coroutines and, with net/http, the server's
// handlers and the HTTP client's requests): a collection then frees little,
// yet scans every one of those stacks and charges mark assists to the
// requests in flight. With 10,000 users the collector took about a quarter
// of the run's CPU time with net/http and 30% with the pipelined stack, and
// turning it off changed the peak memory by a few percent (10% pipelined).
func DefaultConfig() Config {
	return Config{Users: 1000, Workers: 2, JokeDelay: 200 * time.Millisecond, PrefDelay: 5 * time.Millisecond, GC: -1,
		HTTP: HTTPPipelined, Conns: 2}
}

// The HTTP stacks of Config.HTTP.
const (
	HTTPPipelined = "pipelined"
	HTTPNet       = "nethttp"
)

// Report is what a run measured.
type Report struct {
	Total         time.Duration   // from the first message to the last reply
	CPU           time.Duration   // process CPU time (user + system) during Total, 0 if unknown
	Latencies     []time.Duration // per user, from the message to its reply, sorted
	PeakRSSKB     int64           // VmHWM of the process after the run, in KB (0 if unknown)
	SampleReplies []string        // the first replies, to show the bot works
}

// Percentile returns the p-th percentile (0 < p <= 100) of the latencies.
func (r Report) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.Latencies))*p/100+0.5) - 1
	return r.Latencies[min(max(i, 0), len(r.Latencies)-1)]
}

// Simulate starts the joke server on loopback, lets cfg.Users users each send
// one message to the bot at the same moment, and measures the replies.
func Simulate(cfg Config) (Report, error) {
	if cfg.Users <= 0 || cfg.Workers <= 0 {
		return Report{}, errors.New("users and workers must be positive")
	}
	bot := &bot{store: newPrefStore(cfg.PrefDelay)}
	opts := []runtime.Option{runtime.WithWorkers(cfg.Workers)}
	switch {
	case cfg.HTTP == HTTPPipelined && !cfg.Blocking:
		// The server starts before the clock; the client dials its
		// connections on the first requests, inside it.
		srv, err := startPipelinedJokeServer(cfg.JokeDelay)
		if err != nil {
			return Report{}, err
		}
		defer srv.Close()
		bot.h1 = h1.NewClient(srv.Addr().String(), h1.Options{Conns: cfg.Conns, Timeout: fetchTimeout})
		defer bot.h1.Close()
	case cfg.HTTP == HTTPPipelined || cfg.HTTP == HTTPNet:
		srv, err := startJokeServer(cfg.JokeDelay, max(cfg.Users, 100))
		if err != nil {
			return Report{}, err
		}
		defer srv.close()
		bot.jokes, bot.client = srv.url, srv.client()
		// Each request in flight holds a blocking thread.
		opts = append(opts, runtime.WithBlockingThreads(cfg.Users))
	default:
		return Report{}, fmt.Errorf("unknown HTTP stack %q (want %q or %q)", cfg.HTTP, HTTPPipelined, HTTPNet)
	}

	rt := runtime.New(opts...)
	defer rt.Close()
	if cfg.GC != 0 {
		defer debug.SetGCPercent(debug.SetGCPercent(cfg.GC))
	}

	cpu0 := cpuTime()
	start := time.Now()
	type outcome struct {
		reply   string
		latency time.Duration
		err     error
	}
	outcomes := runtime.BlockOn(rt, runtime.Async(func(t *runtime.Task) []outcome {
		handles := make([]*runtime.JoinHandle[outcome], cfg.Users)
		for u := range handles {
			handles[u] = runtime.Spawn(t, runtime.Async(func(t *runtime.Task) outcome {
				var reply string
				var err error
				switch {
				case cfg.Blocking:
					//asynclint:ignore blockingcall the -blocking mode freezes workers on purpose, to show the collapse
					reply, err = bot.answerBlocking(u)
				case bot.h1 != nil:
					reply, err = bot.answer(t, u)
				default:
					reply, err = bot.answerNetHTTP(t, u)
				}
				return outcome{reply, time.Since(start), err}
			}))
		}
		out := make([]outcome, len(handles))
		for i, h := range handles {
			out[i] = runtime.Await(t, h)
		}
		return out
	}))
	rep := Report{Total: time.Since(start), PeakRSSKB: peakRSSKB()}
	if cpu0 > 0 {
		rep.CPU = cpuTime() - cpu0
	}
	for i, o := range outcomes {
		if o.err != nil {
			return rep, fmt.Errorf("user %d: %w", i, o.err)
		}
		rep.Latencies = append(rep.Latencies, o.latency)
		if i < 3 {
			rep.SampleReplies = append(rep.SampleReplies, o.reply)
		}
	}
	slices.Sort(rep.Latencies)
	return rep, nil
}

// bot answers a user's message: a joke from the joke server, the user's
// preferences from the store, and a formatted reply.
type bot struct {
	h1     *h1.Client   // the pipelined client, or nil
	jokes  string       // the joke URL for client
	client *http.Client // the net/http client, when h1 is nil
	store  *prefStore
}

// answer is the async version. The joke request is queued on a connection
// at once (Get does not suspend), and the task awaits its Call after the
// store lookup, so a reply takes max(200 ms, 5 ms) instead of the sum. The
// client's Timeout (fetchTimeout) bounds the wait. If the user's task is
// cancelled while it waits, it drops its Call: the client still reads the
// response, and discards it.
//
// It is kept apart from answerNetHTTP so that the stack of every user's task
// holds a frame sized for this version only.
func (b *bot) answer(t *runtime.Task, user int) (string, error) {
	call := b.h1.Get(jokePath(user))
	prefs := b.store.lookup(t, user)
	joke, err := call.Wait(t)
	if err != nil {
		return "", err
	}
	return format(user, prefs, string(joke)), nil
}

// answerNetHTTP is the async version with net/http. The HTTP call starts on
// the blocking pool first, and the store lookup suspends the task (not its
// worker) while the call is in flight.
// If the user's task is cancelled, its unwinding cancels ctx, which stops
// the HTTP call (AwaitBlocking does the same for a call awaited at once).
// The same context bounds the call in time: http.Client's own Timeout would
// cost a timer and a goroutine per request, a context deadline only a timer.
func (b *bot) answerNetHTTP(t *runtime.Task, user int) (string, error) {
	type fetched struct {
		joke string
		err  error
	}
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	joke := runtime.SpawnBlocking(t, func() fetched {
		j, err := b.fetchJoke(ctx, user)
		return fetched{j, err}
	})
	prefs := b.store.lookup(t, user)
	f := runtime.Await(t, joke)
	if f.err != nil {
		return "", f.err
	}
	return format(user, prefs, f.joke), nil
}

// answerBlocking is the naive version: the same steps with time.Sleep and a
// synchronous HTTP call inside the task. Each call freezes a worker, so the
// users are served a few at a time (the pitfalls the analyzers catch).
func (b *bot) answerBlocking(user int) (string, error) {
	prefs := b.store.lookupBlocking(user)
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	joke, err := b.fetchJoke(ctx, user)
	if err != nil {
		return "", err
	}
	return format(user, prefs, joke), nil
}

// fetchTimeout bounds one joke request.
const fetchTimeout = 30 * time.Second

func (b *bot) fetchJoke(ctx context.Context, user int) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.jokes+"?user="+strconv.Itoa(user), nil)
	if err != nil {
		return "", err
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("joke server: %s", resp.Status)
	}
	return string(body), nil
}

// prefs are a user's reply preferences.
type prefs struct {
	name  string
	shout bool
}

// prefStore is a local preference store whose lookups take a fixed time.
type prefStore struct {
	delay time.Duration
}

func newPrefStore(delay time.Duration) *prefStore { return &prefStore{delay: delay} }

func (s *prefStore) lookup(t *runtime.Task, user int) prefs {
	runtime.Await(t, runtime.Sleep(s.delay))
	return s.prefsOf(user)
}

func (s *prefStore) lookupBlocking(user int) prefs {
	time.Sleep(s.delay)
	return s.prefsOf(user)
}

func (s *prefStore) prefsOf(user int) prefs {
	return prefs{name: "user" + strconv.Itoa(user), shout: user%10 == 0}
}

// format makes the reply. It concatenates rather than calling fmt.Sprintf,
// whose deep call chain would grow the stack of every user's task once.
// jokePath and format are kept out of line: inlined into answer, their
// temporary buffers would sit in answer's frame while the task is suspended,
// and push each user's task past the 2 KB goroutine stack it starts on (a
// stack copy and 4 KB of fresh memory per user; see the runtime's "Costs").
//
//go:noinline
func jokePath(user int) string { return "/joke?user=" + strconv.Itoa(user) }

// format builds the reply in one allocation of the right size. It runs at
// the deepest point of a user's task, and the + operator's helpers for four
// strings need some 240 bytes of stack below it: enough to overflow the
// 2 KB stack the task started on, for a copy that was 15% of the run's CPU
// time with 10,000 users.
//
//go:noinline
func format(user int, p prefs, joke string) string {
	var b strings.Builder
	b.Grow(len("@") + len(p.name) + len(": ") + len(joke))
	b.WriteString("@")
	b.WriteString(p.name)
	b.WriteString(": ")
	b.WriteString(joke)
	if p.shout {
		return strings.ToUpper(b.String())
	}
	return b.String()
}

var jokes = []string{
	"I would tell you a UDP joke, but you might not get it.",
	"There are 10 kinds of people: those who read binary and those who do not.",
	"A goroutine walks into a bar. And a bar. And a bar.",
	"Why do Rust programmers never get lost? They always borrow a map.",
}

// startPipelinedJokeServer starts the joke server of the pipelined stack on a
// random loopback port: an h1.Server, which answers each request of a
// connection delay after it arrived, however many are pipelined before it.
func startPipelinedJokeServer(delay time.Duration) (*h1.Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return h1.Serve(ln, delay, func(r *http.Request) (int, string) {
		if r.Method != http.MethodGet || r.URL.Path != "/joke" {
			return http.StatusNotFound, "no such joke\n"
		}
		// The query is "user=N": cutting it is cheaper than r.URL.Query's map.
		q, _ := strings.CutPrefix(r.URL.RawQuery, "user=")
		user, err := strconv.Atoi(q)
		if err != nil || user < 0 {
			return http.StatusBadRequest, "user must be a number\n"
		}
		return http.StatusOK, jokes[user%len(jokes)]
	}), nil
}

// jokeServer is a real HTTP server on loopback that answers after a delay. It
// speaks unencrypted HTTP/2 so that thousands of concurrent requests share
// one connection instead of needing a socket pair each. (HTTP/1.1 would need
// a connection per concurrent request: net/http serves the requests
// pipelined on one connection one after the other, so each would wait for
// the 200 ms of the one before. That is what the pipelined stack's server,
// h1.Server, does differently.)
type jokeServer struct {
	url string
	srv *http.Server
	tr  *http.Transport
	wg  sync.WaitGroup
}

// startJokeServer listens on a random loopback port. streams bounds the
// concurrent requests per connection: the bot sets it to its number of users
// so that one connection carries them all.
func startJokeServer(delay time.Duration, streams int) (*jokeServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	var protos http.Protocols
	protos.SetUnencryptedHTTP2(true)
	js := &jokeServer{url: "http://" + ln.Addr().String() + "/joke"}
	js.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(delay) // the server is plain Go: sleeping here blocks nobody
			user, _ := strconv.Atoi(r.URL.Query().Get("user"))
			io.WriteString(w, jokes[user%len(jokes)])
		}),
		Protocols:         &protos,
		HTTP2:             &http.HTTP2Config{MaxConcurrentStreams: streams},
		ReadHeaderTimeout: 10 * time.Second,
	}
	js.tr = &http.Transport{
		Protocols: &protos,
		// One dial at a time: the requests that find no connection wait for
		// the first dial, then all share its connection. Without a limit each
		// of the first burst of requests dials its own connection, and all but
		// one are closed again after the HTTP/2 handshake (with 10,000 users,
		// about 10% more CPU time).
		MaxConnsPerHost: 1,
		HTTP2: &http.HTTP2Config{
			MaxConcurrentStreams: streams,
			// Every request has its own path (?user=N), so an HPACK dynamic
			// table only churns: each new path is inserted and evicts an old
			// one on both ends (with 10,000 users, about 10% more CPU time).
			// Without it the headers are sent as literals.
			MaxEncoderHeaderTableSize: 1,
		},
	}
	js.wg.Add(1)
	go func() {
		defer js.wg.Done()
		js.srv.Serve(ln)
	}()
	return js, nil
}

// client returns the bot's HTTP client. It has no Timeout: the bot bounds
// each request with its context (see bot.answer).
func (js *jokeServer) client() *http.Client {
	return &http.Client{Transport: js.tr}
}

func (js *jokeServer) close() {
	js.tr.CloseIdleConnections()
	js.srv.Close()
	js.wg.Wait()
}

// peakRSSKB reads the process's peak resident set size (VmHWM) in KB.
func peakRSSKB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}
