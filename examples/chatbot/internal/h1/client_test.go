package h1

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

// run runs body as a task on a fresh two-worker runtime.
func run[T any](t *testing.T, body func(t *runtime.Task) T) T {
	t.Helper()
	rt := runtime.New(runtime.WithWorkers(2))
	defer rt.Close()
	return runtime.BlockOn(rt, runtime.Async(body))
}

// waitAll waits for each Call in turn, each for at most 5 s: a Call that
// never completes shows as timed out instead of hanging the test.
func waitAll(t *runtime.Task, calls []*Call) []runtime.Timed[result] {
	out := make([]runtime.Timed[result], len(calls))
	for i, call := range calls {
		out[i] = runtime.Await(t, runtime.Timeout(5*time.Second, runtime.Async(func(t *runtime.Task) result {
			b, err := call.Wait(t)
			return result{string(b), err}
		})))
	}
	return out
}

func newClient(t *testing.T, addr string, opts Options) *Client {
	t.Helper()
	c := NewClient(addr, opts)
	t.Cleanup(c.Close)
	return c
}

// result is what a test task got for one Call.
type result struct {
	body string
	err  error
}

// getAll sends one Get per path at once and awaits them all.
func getAll(t *runtime.Task, c *Client, paths ...string) []result {
	calls := make([]*Call, len(paths))
	for i, p := range paths {
		calls[i] = c.Get(p)
	}
	out := make([]result, len(calls))
	for i, call := range calls {
		b, err := call.Wait(t)
		out[i] = result{string(b), err}
	}
	return out
}

// netHTTPServer is a plain net/http HTTP/1.1 server: it answers the requests
// pipelined on a connection one after the other. It counts its connections.
func netHTTPServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/u":
			io.WriteString(w, "user "+r.URL.Query().Get("user"))
		case "/chunked":
			// Flushing before the end makes net/http send the body chunked.
			for i := range 3 {
				fmt.Fprintf(w, "part%d;", i)
				w.(http.Flusher).Flush()
			}
		case "/fail":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "/close":
			w.Header().Set("Connection", "close")
			io.WriteString(w, "closing "+r.URL.Query().Get("user"))
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

func addrOf(srv *httptest.Server) string { return strings.TrimPrefix(srv.URL, "http://") }

func TestClientAgainstNetHTTPServer(t *testing.T) {
	srv, _ := netHTTPServer(t)
	c := newClient(t, addrOf(srv), Options{Conns: 1})
	paths := make([]string, 20)
	for i := range paths {
		paths[i] = "/u?user=" + strconv.Itoa(i)
	}
	paths = append(paths, "/chunked")
	got := run(t, func(t *runtime.Task) []result { return getAll(t, c, paths...) })
	for i, r := range got[:20] {
		if want := "user " + strconv.Itoa(i); r.err != nil || r.body != want {
			t.Errorf("Get(%s): got %q, %v; want %q", paths[i], r.body, r.err, want)
		}
	}
	if r := got[20]; r.err != nil || r.body != "part0;part1;part2;" {
		t.Errorf("Get(/chunked): got %q, %v; want %q", r.body, r.err, "part0;part1;part2;")
	}
}

func TestClientStatusNot2xxIsAnError(t *testing.T) {
	srv, _ := netHTTPServer(t)
	c := newClient(t, addrOf(srv), Options{Conns: 1})
	got := run(t, func(t *runtime.Task) []result { return getAll(t, c, "/fail", "/nowhere", "/u?user=1") })
	var se *StatusError
	if !errors.As(got[0].err, &se) || se.Code != 500 || !strings.Contains(string(se.Body), "boom") {
		t.Errorf("Get(/fail): got %q, %v; want a *StatusError with code 500 and the body", got[0].body, got[0].err)
	}
	if !errors.As(got[1].err, &se) || se.Code != 404 {
		t.Errorf("Get(/nowhere): got %v; want a *StatusError with code 404", got[1].err)
	}
	// An error status does not disturb the connection.
	if got[2].err != nil || got[2].body != "user 1" {
		t.Errorf("Get(/u?user=1) after the errors: got %q, %v; want %q", got[2].body, got[2].err, "user 1")
	}
}

func TestClientResendsRequestsLeftBehindConnectionClose(t *testing.T) {
	srv, conns := netHTTPServer(t)
	c := newClient(t, addrOf(srv), Options{Conns: 1})
	// Pipelined behind /close, /u?user=2 and /u?user=3 reach a server that
	// closes the connection after /close: they must be sent again.
	got := run(t, func(t *runtime.Task) []result {
		return getAll(t, c, "/u?user=1", "/close?user=9", "/u?user=2", "/u?user=3")
	})
	for i, want := range []string{"user 1", "closing 9", "user 2", "user 3"} {
		if got[i].err != nil || got[i].body != want {
			t.Errorf("request %d: got %q, %v; want %q", i, got[i].body, got[i].err, want)
		}
	}
	if n := conns.Load(); n < 2 {
		t.Errorf("got %d connections; want at least 2 (the first ends with Connection: close)", n)
	}
}

// countingListener counts the connections it accepts.
type countingListener struct {
	net.Listener
	n atomic.Int32
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

func TestClientPipelinesOnOneConnection(t *testing.T) {
	const n, delay = 200, 100 * time.Millisecond
	ln := &countingListener{Listener: listen(t)}
	s := Serve(ln, delay, userHandler)
	t.Cleanup(func() { s.Close() })
	c := newClient(t, s.Addr().String(), Options{Conns: 1})
	start := time.Now()
	got := run(t, func(t *runtime.Task) []result {
		// Each request from its own task, all at once.
		hs := make([]*runtime.JoinHandle[result], n)
		for i := range hs {
			hs[i] = runtime.Spawn(t, runtime.Async(func(t *runtime.Task) result {
				b, err := c.Get("/u?user=" + strconv.Itoa(i)).Wait(t)
				return result{string(b), err}
			}))
		}
		out := make([]result, n)
		for i, h := range hs {
			out[i] = runtime.Await(t, h)
		}
		return out
	})
	elapsed := time.Since(start)
	for i, r := range got {
		if want := "user " + strconv.Itoa(i); r.err != nil || r.body != want {
			t.Fatalf("user %d: got %q, %v; want %q", i, r.body, r.err, want)
		}
	}
	if elapsed > 3*delay {
		t.Errorf("got %v for %d requests; want about one delay (%v), not one per request", elapsed, n, delay)
	}
	if got := ln.n.Load(); got != 1 {
		t.Errorf("got %d connections; want 1", got)
	}
}

// rawServer accepts connections on a loopback listener and hands each to
// serve, on its own goroutine. serve must return once done is closed, which
// happens when the test ends; the test waits for it.
func rawServer(t *testing.T, serve func(c net.Conn, done <-chan struct{})) string {
	t.Helper()
	ln := listen(t)
	done := make(chan struct{})
	var wg sync.WaitGroup
	t.Cleanup(func() {
		close(done)
		ln.Close()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				serve(c, done)
			})
		}
	})
	return ln.Addr().String()
}

// readRequests reads n requests from c.
func readRequests(c net.Conn, n int) error {
	br := bufio.NewReader(c)
	for range n {
		if _, err := http.ReadRequest(br); err != nil {
			return err
		}
	}
	return nil
}

// awaitAllFail awaits the Calls of paths (sent at once) and checks that each
// fails, within a bound: none may hang.
func awaitAllFail(t *testing.T, c *Client, paths ...string) []error {
	t.Helper()
	got := run(t, func(t *runtime.Task) []runtime.Timed[result] {
		calls := make([]*Call, len(paths))
		for i, p := range paths {
			calls[i] = c.Get(p)
		}
		return waitAll(t, calls)
	})
	errs := make([]error, len(got))
	for i, r := range got {
		switch {
		case r.TimedOut:
			t.Errorf("request %d: still pending after 5 s; want it failed", i)
		case r.Value.err == nil:
			t.Errorf("request %d: got %q; want an error", i, r.Value.body)
		}
		errs[i] = r.Value.err
	}
	return errs
}

func TestClientReadsChunkedBodyAndStaysInStep(t *testing.T) {
	addr := rawServer(t, func(c net.Conn, done <-chan struct{}) {
		if readRequests(c, 2) != nil {
			return
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"+
			"5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n"+
			"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nuser 2")
		<-done
	})
	c := newClient(t, addr, Options{Conns: 1})
	got := run(t, func(t *runtime.Task) []result { return getAll(t, c, "/u?user=1", "/u?user=2") })
	for i, want := range []string{"hello, world", "user 2"} {
		if got[i].err != nil || got[i].body != want {
			t.Errorf("request %d: got %q, %v; want %q", i, got[i].body, got[i].err, want)
		}
	}
}

func TestClientBoundsBodySize(t *testing.T) {
	addr := rawServer(t, func(c net.Conn, done <-chan struct{}) {
		if readRequests(c, 2) != nil {
			return
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n01234567890123456789"+
			"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nuser 2")
		<-done
	})
	c := newClient(t, addr, Options{Conns: 1, MaxBody: 10})
	got := run(t, func(t *runtime.Task) []result { return getAll(t, c, "/u?user=1", "/u?user=2") })
	if !errors.Is(got[0].err, ErrBodyTooLarge) {
		t.Errorf("20-byte body with MaxBody 10: got %q, %v; want ErrBodyTooLarge", got[0].body, got[0].err)
	}
	if got[1].err != nil || got[1].body != "user 2" {
		t.Errorf("the response after it: got %q, %v; want %q", got[1].body, got[1].err, "user 2")
	}
}

func TestClientFailsPendingCallsWhenConnectionDies(t *testing.T) {
	addr := rawServer(t, func(c net.Conn, _ <-chan struct{}) {
		readRequests(c, 3) // then close without a word
	})
	c := newClient(t, addr, Options{Conns: 1})
	awaitAllFail(t, c, "/u?user=1", "/u?user=2", "/u?user=3")
}

func TestClientFailsPendingCallsWhenServerCloses(t *testing.T) {
	s := Serve(listen(t), time.Hour, userHandler)
	c := newClient(t, s.Addr().String(), Options{Conns: 2})
	go func() {
		time.Sleep(50 * time.Millisecond)
		s.Close()
	}()
	awaitAllFail(t, c, "/u?user=1", "/u?user=2", "/u?user=3", "/u?user=4")
}

func TestClientFailsPendingCallsOnMalformedResponse(t *testing.T) {
	addr := rawServer(t, func(c net.Conn, done <-chan struct{}) {
		if readRequests(c, 3) != nil {
			return
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nuser 1")
		io.WriteString(c, "HTTP/1.1 banana\r\n\r\n")
		// Keep the connection open: the client must not wait for more.
		<-done
	})
	c := newClient(t, addr, Options{Conns: 1})
	got := run(t, func(t *runtime.Task) []runtime.Timed[result] {
		calls := []*Call{c.Get("/u?user=1"), c.Get("/u?user=2"), c.Get("/u?user=3")}
		return waitAll(t, calls)
	})
	if r := got[0]; r.TimedOut || r.Value.err != nil || r.Value.body != "user 1" {
		t.Errorf("request 0: got %+v; want %q (its response was well formed)", r, "user 1")
	}
	for i, r := range got[1:] {
		if r.TimedOut || r.Value.err == nil {
			t.Errorf("request %d: got %+v; want an error, at once", i+1, r)
		}
	}
}

func TestClientTimeoutFailsSilentConnection(t *testing.T) {
	addr := rawServer(t, func(c net.Conn, done <-chan struct{}) {
		readRequests(c, 2)
		<-done
	})
	c := newClient(t, addr, Options{Conns: 1, Timeout: 100 * time.Millisecond})
	start := time.Now()
	for i, err := range awaitAllFail(t, c, "/u?user=1", "/u?user=2") {
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("request %d: got %v; want os.ErrDeadlineExceeded", i, err)
		}
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("got the errors after %v; want them about the 100 ms timeout", elapsed)
	}
}

func TestClientCancelledWaitKeepsResponsesMatched(t *testing.T) {
	s := startServer(t, 100*time.Millisecond)
	c := newClient(t, s.Addr().String(), Options{Conns: 1})
	got := run(t, func(t *runtime.Task) []result {
		c0 := c.Get("/u?user=0")
		waiter := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) result {
			b, err := c0.Wait(t)
			return result{string(b), err}
		}))
		c1, c2 := c.Get("/u?user=1"), c.Get("/u?user=2")
		runtime.Await(t, runtime.Sleep(20*time.Millisecond))
		waiter.Abort() // while it waits: the response of user 0 is not in yet
		var out []result
		for _, call := range []*Call{c1, c2, c.Get("/u?user=3"), c0} {
			b, err := call.Wait(t)
			out = append(out, result{string(b), err})
		}
		return out
	})
	// The aborted wait left user 0's reply in its Call; the others got theirs.
	for i, want := range []string{"user 1", "user 2", "user 3", "user 0"} {
		if got[i].err != nil || got[i].body != want {
			t.Errorf("call %d: got %q, %v; want %q", i, got[i].body, got[i].err, want)
		}
	}
}

func TestCallFutureUnderTimeoutLeavesReplyInCall(t *testing.T) {
	s := startServer(t, 100*time.Millisecond)
	c := newClient(t, s.Addr().String(), Options{Conns: 1})
	type outcome struct {
		timedOut bool
		late     result
		next     result
	}
	got := run(t, func(t *runtime.Task) outcome {
		call := c.Get("/u?user=4")
		timed := runtime.Await(t, runtime.Timeout(10*time.Millisecond, call.Future()))
		next := c.Get("/u?user=5")
		var o outcome
		o.timedOut = timed.TimedOut
		b, err := call.Wait(t) // the expired Timeout dropped its receive only
		o.late = result{string(b), err}
		b, err = next.Wait(t)
		o.next = result{string(b), err}
		return o
	})
	if !got.timedOut {
		t.Errorf("got a reply within 10 ms from a server that answers after 100 ms; want a timeout")
	}
	if got.late.err != nil || got.late.body != "user 4" {
		t.Errorf("Wait after the timeout: got %q, %v; want %q", got.late.body, got.late.err, "user 4")
	}
	if got.next.err != nil || got.next.body != "user 5" {
		t.Errorf("the next call: got %q, %v; want %q", got.next.body, got.next.err, "user 5")
	}
}

func TestClientCloseFailsPendingAndEndsGoroutines(t *testing.T) {
	before := goruntime.NumGoroutine()
	s := startServer(t, time.Hour)
	c := NewClient(s.Addr().String(), Options{Conns: 2})
	calls := []*Call{c.Get("/u?user=1"), c.Get("/u?user=2")}
	time.Sleep(20 * time.Millisecond) // the requests are on their way
	c.Close()                         // it blocks: not inside a task
	got := run(t, func(t *runtime.Task) []result {
		var out []result
		for _, call := range append(calls, c.Get("/u?user=3")) { // the last after Close
			b, err := call.Wait(t)
			out = append(out, result{string(b), err})
		}
		return out
	})
	for i, r := range got {
		if !errors.Is(r.err, ErrClosed) {
			t.Errorf("call %d: got %q, %v; want ErrClosed", i, r.body, r.err)
		}
	}
	waitGoroutines(t, before+1) // the server's accept loop remains
}
