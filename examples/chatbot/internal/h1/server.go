package h1

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Handler computes the answer to a request: a status code and a plain-text
// body. It runs on the connection's reader goroutine as soon as the request
// is parsed, so it must be quick; the Server delays the answer itself.
type Handler func(r *http.Request) (status int, body string)

// Server is an HTTP/1.1 server that answers every request a fixed delay after
// it arrived, serving the requests pipelined on one connection concurrently:
// a thousand requests written back to back on one connection are all
// answered one delay later, not a thousand delays later. It stands in for a
// slow remote API.
//
// Each connection has two goroutines: a reader that parses requests as they
// come (with http.ReadRequest), notes their arrival time and runs the
// Handler; and a writer that writes each response at its arrival plus the
// delay, in request order as HTTP/1.1 requires, coalescing the responses
// that fall due together into one write. Due times grow along a connection,
// so one timer per connection suffices, whatever the number of requests.
//
// A request that asks for Connection: close (or an HTTP/1.0 request without
// keep-alive) gets its answer and then the connection is closed; a request
// that does not parse gets a 400 and the connection is closed. Close stops
// the server and every connection's goroutines.
//
// A Server is created with Serve; it must not be copied.
type Server struct {
	ln      net.Listener
	delay   time.Duration
	handler Handler
	stop    chan struct{} // closed by Close: every goroutine exits

	mu     sync.Mutex            // protects conns and closed
	conns  map[net.Conn]struct{} // open connections, closed by Close
	closed bool

	wg sync.WaitGroup // the accept loop and every connection goroutine
}

// Serve starts serving ln in the background and returns the server; Close
// stops it. Every request is answered delay after it was read.
func Serve(ln net.Listener, delay time.Duration, h Handler) *Server {
	s := &Server{ln: ln, delay: delay, handler: h, stop: make(chan struct{}), conns: make(map[net.Conn]struct{})}
	s.wg.Go(s.acceptLoop)
	return s
}

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close stops the server: it closes the listener and every connection, and
// returns once all the server's goroutines have exited. Responses not yet
// written are dropped.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.stop)
	err := s.ln.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

func (s *Server) acceptLoop() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return // the listener is closed
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		sc := &serverConn{s: s, c: c, kick: make(chan struct{}, 1)}
		s.wg.Go(sc.readLoop)
		s.wg.Go(sc.writeLoop)
	}
}

// forget closes c and removes it from the set that Close closes.
func (s *Server) forget(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.Close()
}

// serverConn is one connection of a Server.
type serverConn struct {
	s    *Server
	c    net.Conn
	kick chan struct{} // wakes the writer when the queue was empty, or the reader ended

	mu    sync.Mutex // protects queue, ended and gone
	queue []answer   // parsed requests not yet answered, in arrival order
	ended bool       // the reader reads no more: the writer closes after the queue
	gone  bool       // the client closed or broke the connection: nobody reads the answers
}

// answer is a response waiting for its due time.
type answer struct {
	due    time.Time
	status int
	body   string
	close  bool // the connection ends after this response
	head   bool // the request was HEAD: the body is announced, not sent
}

// maxRequestBody bounds the request body the server reads and discards: a
// joke request has none, and a larger one is answered with 400.
const maxRequestBody = 1 << 20

// readLoop parses the requests of the connection as they arrive and queues
// their answers. It ends at the end of the input, at a request after which
// the connection closes, or at a request that does not parse.
//
// Like net/http, it takes the end of the input for a client that left, not
// for a half-closed connection waiting for its answers: the writer then
// drops them, rather than holding the connection until they fall due.
func (sc *serverConn) readLoop() {
	gone := false
	defer func() { sc.end(gone) }()
	sr := &stampedReader{r: sc.c}
	br := bufio.NewReaderSize(sr, 64<<10)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			if gone = isConnError(err); !gone {
				sc.push(answer{due: time.Now(), status: http.StatusBadRequest, body: "bad request\n", close: true})
			}
			return
		}
		if req.Body != http.NoBody {
			if n, err := io.Copy(io.Discard, io.LimitReader(req.Body, maxRequestBody+1)); err != nil || n > maxRequestBody {
				if gone = err != nil && isConnError(err); !gone {
					sc.push(answer{due: time.Now(), status: http.StatusBadRequest, body: "bad request body\n", close: true})
				}
				return
			}
		}
		// The request arrived with the last read that brought its bytes:
		// bufio reads only when the bytes it holds do not finish a request.
		arrived := sr.at
		status, body := sc.s.handler(req)
		a := answer{due: arrived.Add(sc.s.delay), status: status, body: body, close: req.Close, head: req.Method == http.MethodHead}
		sc.push(a)
		if a.close {
			return
		}
	}
}

// stampedReader notes when each read returned: the arrival time of the
// requests it brought, at the cost of one clock reading per read rather than
// per request.
type stampedReader struct {
	r  io.Reader
	at time.Time // when the last Read returned
}

func (s *stampedReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.at = time.Now()
	return n, err
}

// isConnError reports whether err ends a connection rather than being a
// malformed request: the peer closed or reset it, or the server closed it.
func isConnError(err error) bool {
	var ne net.Error
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || errors.As(err, &ne)
}

func (sc *serverConn) push(a answer) {
	sc.mu.Lock()
	wasEmpty := len(sc.queue) == 0
	sc.queue = append(sc.queue, a)
	sc.mu.Unlock()
	if wasEmpty {
		sc.wake()
	}
}

// end tells the writer that no more requests come, and whether the client
// left.
func (sc *serverConn) end(gone bool) {
	sc.mu.Lock()
	sc.ended, sc.gone = true, gone
	sc.mu.Unlock()
	sc.wake()
}

func (sc *serverConn) wake() {
	select {
	case sc.kick <- struct{}{}:
	default: // a wake is already pending
	}
}

// writeLoop writes the answers in order, each at its due time, all those due
// together in one write. It closes the connection once the reader has ended
// and the queue is empty, after an answer that closes it, when the client
// left, on a write error or when the server closes.
func (sc *serverConn) writeLoop() {
	defer sc.s.forget(sc.c)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var buf []byte
	for {
		sc.mu.Lock()
		if sc.gone {
			sc.mu.Unlock()
			return
		}
		if len(sc.queue) == 0 {
			ended := sc.ended
			sc.mu.Unlock()
			if ended {
				return
			}
			select {
			case <-sc.kick:
			case <-sc.s.stop:
				return
			}
			continue
		}
		now := time.Now()
		if wait := sc.queue[0].due.Sub(now); wait > 0 {
			sc.mu.Unlock()
			// Later answers fall due later: no wake is needed until then,
			// but for the client leaving.
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-sc.kick:
			case <-sc.s.stop:
				return
			}
			continue
		}
		buf = buf[:0]
		closing := false
		n := 0
		for _, a := range sc.queue {
			if a.due.After(now) {
				break
			}
			buf = appendResponse(buf, a)
			n++
			if a.close {
				closing = true
				break
			}
		}
		sc.queue = sc.queue[n:]
		if len(sc.queue) == 0 {
			sc.queue = sc.queue[:0:0] // let the drained backing array go
		}
		sc.mu.Unlock()
		if _, err := sc.c.Write(buf); err != nil {
			return
		}
		if closing {
			sc.linger()
			return
		}
	}
}

// lingerTime bounds how long a closing connection drains its input.
const lingerTime = 500 * time.Millisecond

// linger closes the connection's sending side and discards what the client
// still sends for a while, before the full close. Closing at once, with
// pipelined requests still unread, would make the kernel reset the
// connection, and a reset can destroy the last responses before the client
// has read them.
func (sc *serverConn) linger() {
	if cw, ok := sc.c.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	sc.c.SetReadDeadline(time.Now().Add(lingerTime))
	io.Copy(io.Discard, sc.c)
}

// appendResponse appends a's response to buf.
func appendResponse(buf []byte, a answer) []byte {
	buf = append(buf, "HTTP/1.1 "...)
	buf = strconv.AppendInt(buf, int64(a.status), 10)
	buf = append(buf, ' ')
	buf = append(buf, http.StatusText(a.status)...)
	buf = append(buf, "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "...)
	buf = strconv.AppendInt(buf, int64(len(a.body)), 10)
	if a.close {
		buf = append(buf, "\r\nConnection: close"...)
	}
	buf = append(buf, "\r\n\r\n"...)
	if a.head {
		return buf
	}
	return append(buf, a.body...)
}
