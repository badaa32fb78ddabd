package h1

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	goruntime "runtime"
	"strings"
	"testing"
	"time"
)

// userHandler answers /u?user=N with "user N", and /fail with a 500.
func userHandler(r *http.Request) (int, string) {
	if r.URL.Path == "/fail" {
		return http.StatusInternalServerError, "failed\n"
	}
	return http.StatusOK, "user " + r.URL.Query().Get("user")
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func startServer(t *testing.T, delay time.Duration) *Server {
	t.Helper()
	s := Serve(listen(t), delay, userHandler)
	t.Cleanup(func() { s.Close() })
	return s
}

func dial(t *testing.T, s *Server) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

func get(path string) string { return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n" }

func TestServerAnswersPipelinedRequestsTogetherInOrder(t *testing.T) {
	const delay = 100 * time.Millisecond
	s := startServer(t, delay)
	c := dial(t, s)
	start := time.Now()
	if _, err := io.WriteString(c, get("/u?user=1")+get("/u?user=2")+get("/u?user=3")); err != nil {
		t.Fatal(err)
	}
	// The three requests came in one read, so they fall due together and
	// their responses go out in one write: one read gets them all.
	buf := make([]byte, 4096)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < delay || elapsed > 2*delay {
		t.Errorf("got the responses after %v; want about %v (concurrently, not one delay after the other)", elapsed, delay)
	}
	br := bufio.NewReader(bytes.NewReader(buf[:n]))
	for i := 1; i <= 3; i++ {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("response %d: %v (got %q in the first read)", i, err, buf[:n])
		}
		body, _ := io.ReadAll(resp.Body)
		if want := "user " + string(rune('0'+i)); resp.StatusCode != 200 || string(body) != want {
			t.Errorf("response %d: got %d %q; want 200 %q", i, resp.StatusCode, body, want)
		}
		if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/plain") {
			t.Errorf("response %d: got Content-Type %q; want text/plain", i, got)
		}
	}
}

func TestServerAnswersBadRequestWith400AndCloses(t *testing.T) {
	s := startServer(t, time.Millisecond)
	c := dial(t, s)
	// A good request, then garbage: the first is answered, then the 400.
	if _, err := io.WriteString(c, get("/u?user=7")+"NOT HTTP AT ALL\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, body := readResponse(t, br)
	if resp.StatusCode != 200 || body != "user 7" {
		t.Fatalf("first response: got %d %q; want 200 %q", resp.StatusCode, body, "user 7")
	}
	resp, _ = readResponse(t, br)
	if resp.StatusCode != http.StatusBadRequest || !resp.Close {
		t.Fatalf("got %d (close %v); want 400 with Connection: close", resp.StatusCode, resp.Close)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("after the 400: got %v; want io.EOF (connection closed)", err)
	}
}

func TestServerHonorsConnectionClose(t *testing.T) {
	s := startServer(t, time.Millisecond)
	c := dial(t, s)
	req := "GET /u?user=1 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
	if _, err := io.WriteString(c, req+get("/u?user=2")); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, body := readResponse(t, br)
	if body != "user 1" || !resp.Close {
		t.Fatalf("got %q (close %v); want %q with Connection: close", body, resp.Close, "user 1")
	}
	// The request behind it is not answered.
	if rest, err := io.ReadAll(br); err != nil || len(rest) != 0 {
		t.Fatalf("after Connection: close: got %q, %v; want the connection closed with nothing more", rest, err)
	}
}

func TestServerAnswersHeadWithoutBody(t *testing.T) {
	s := startServer(t, time.Millisecond)
	c := dial(t, s)
	if _, err := io.WriteString(c, "HEAD /u?user=5 HTTP/1.1\r\nHost: test\r\n\r\n"+get("/u?user=6")); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	head, err := http.ReadResponse(br, &http.Request{Method: http.MethodHead})
	if err != nil {
		t.Fatal(err)
	}
	head.Body.Close()
	if head.StatusCode != 200 || head.ContentLength != int64(len("user 5")) {
		t.Fatalf("HEAD: got %d with Content-Length %d; want 200 with %d", head.StatusCode, head.ContentLength, len("user 5"))
	}
	// Had the HEAD response carried a body, this would read it instead.
	_, body := readResponse(t, br)
	if body != "user 6" {
		t.Fatalf("GET after HEAD: got %q; want %q", body, "user 6")
	}
}

// readResponse reads the next response from br, with its body.
func readResponse(t *testing.T, br *bufio.Reader) (*http.Response, string) {
	t.Helper()
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// waitGoroutines waits until at most n goroutines run, and fails the test
// with their stacks if that does not happen within a few seconds.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for goruntime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:goruntime.Stack(buf, true)]
			t.Fatalf("got %d goroutines; want at most %d. Stacks:\n%s", goruntime.NumGoroutine(), n, buf)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestServerCloseEndsConnectionGoroutines(t *testing.T) {
	before := goruntime.NumGoroutine()
	s := Serve(listen(t), time.Hour, userHandler)
	busy, idle := dial(t, s), dial(t, s)
	if _, err := io.WriteString(busy, get("/u?user=1")+get("/u?user=2")); err != nil {
		t.Fatal(err)
	}
	_ = idle
	// Wait until both connections are served (reader and writer each).
	deadline := time.Now().Add(5 * time.Second)
	for goruntime.NumGoroutine() < before+5 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	done := make(chan struct{})
	go func() {
		s.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return: a connection goroutine is stuck")
	}
	if _, err := busy.Read(make([]byte, 1)); err == nil {
		t.Fatal("got a response after Close; want the connection closed")
	}
	waitGoroutines(t, before)
}

func TestServerConnectionGoroutinesEndWhenClientLeaves(t *testing.T) {
	// Its answer is due in an hour: the server must not wait for it.
	s := startServer(t, time.Hour)
	before := goruntime.NumGoroutine()
	c := dial(t, s)
	if _, err := io.WriteString(c, get("/u?user=1")); err != nil {
		t.Fatal(err)
	}
	c.Close() // gone before its answer is due
	waitGoroutines(t, before)
}
