package h1

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

// Client is an HTTP/1.1 client for tasks of the asynclint runtime. A request
// is a Call, whose reply a task awaits; no goroutine waits for it. The
// Client keeps a few keep-alive connections to one server and pipelines the
// requests on them. Get pushes the Call onto a connection's queue without a
// lock (a compare-and-swap), so it never blocks nor suspends its task; the
// connection's writer goroutine sends what accumulated in one write, and its
// reader goroutine parses the responses in order (with http.ReadResponse)
// and completes the pending Calls first in, first out. Connections are
// dialed on first use, by their writer goroutine.
//
// A connection error, a timeout or a malformed response fails every Call
// pending on that connection, and the connection leaves the pool; the next
// Get dials a new one. Requests that a server left unanswered when it closed
// the connection after a response marked Connection: close are sent again on
// another connection (they are GETs, which may be repeated; RFC 9112,
// section 9.3.2). A response with a status outside 2xx completes its Call
// with a *StatusError.
//
// A Client is created with NewClient and must not be copied. Its methods are
// safe for concurrent use by tasks and goroutines.
type Client struct {
	addr    string // host:port to dial, also the Host header
	timeout time.Duration
	maxBody int64

	pool []atomic.Pointer[clientConn] // a nil or dead slot is replaced on use, under mu
	next atomic.Uint32                // requests go round the pool

	mu     sync.Mutex // protects closed and the replacement of pool slots
	closed bool

	wg sync.WaitGroup // every connection goroutine
}

// Options configure a Client. The zero value asks for the defaults.
type Options struct {
	// Conns is the number of connections the requests are spread over
	// (default 2).
	Conns int
	// Timeout bounds a request from the moment it is written to the end of
	// its response, and a dial (default 30 s). A request that exceeds it
	// fails its connection and every request pending on it: responses come
	// in order, so a late one holds up all those behind it.
	Timeout time.Duration
	// MaxBody bounds the size of a response body (default 1 MB). A larger
	// body is read and discarded, and its Call fails.
	MaxBody int64
}

// NewClient returns a Client for the server at addr (host:port). It dials
// nothing until the first request.
func NewClient(addr string, opts Options) *Client {
	c := &Client{addr: addr, timeout: opts.Timeout, maxBody: opts.MaxBody}
	if opts.Conns <= 0 {
		opts.Conns = 2
	}
	if c.timeout <= 0 {
		c.timeout = 30 * time.Second
	}
	if c.maxBody <= 0 {
		c.maxBody = 1 << 20
	}
	c.pool = make([]atomic.Pointer[clientConn], opts.Conns)
	return c
}

// ErrClosed completes the Calls that were pending when the Client was closed,
// and the Calls made after.
var ErrClosed = errors.New("h1: client closed")

// ErrBodyTooLarge completes a Call whose response body exceeded
// Options.MaxBody.
var ErrBodyTooLarge = errors.New("h1: response body too large")

// StatusError is the error of a Call whose response status is not 2xx.
type StatusError struct {
	Code   int
	Status string // the status line's text after the protocol, e.g. "500 Internal Server Error"
	Body   []byte
}

func (e *StatusError) Error() string { return "h1: server answered " + e.Status }

// Reply is the outcome of a Call: the response body, or the error.
type Reply struct {
	Body []byte
	Err  error
}

// Call is a request in flight. Get has already queued it for sending; the
// Call only delivers the reply, so a task that is not interested any more
// can drop it: its response is still read, and discarded, which keeps the
// later responses of the connection matched with their requests.
type Call struct {
	reply runtime.Oneshot[Reply]
	path  string
	next  *Call     // the Call pushed before it, while in a connection's incoming stack
	sent  time.Time // when the writer took it: the timeout counts from here
}

// errTaken is returned by a second Wait on the same Call.
var errTaken = errors.New("h1: Call's reply already received")

// Wait suspends t until the reply arrives and returns the body, or the
// error. A Call's reply is delivered once: a second Wait returns an error.
// It is cancel-safe: if t is cancelled while it waits, the reply is left in
// the Call.
func (c *Call) Wait(t *runtime.Task) ([]byte, error) {
	r, ok := c.reply.Recv(t)
	if !ok {
		return nil, errTaken
	}
	return r.Body, r.Err
}

// Future returns the reply as a future, for Race, Timeout and code that
// implements Poll. The runtime cancels it when it abandons it; code that drops
// it pending itself calls its Cancel method.
func (c *Call) Future() *runtime.OneshotFuture[Reply] { return c.reply.RecvFuture() }

// Get sends a GET request for path (which starts with "/", and may carry a
// query) and returns its Call at once. It never blocks nor suspends: the
// request waits in a connection's queue for that connection's writer.
func (c *Client) Get(path string) *Call {
	call := &Call{path: path}
	if err := checkPath(path); err != nil {
		call.reply.Send(Reply{Err: err})
		return call
	}
	c.send(call)
	return call
}

// checkPath rejects what cannot go on a request line as is.
func checkPath(path string) error {
	if len(path) == 0 || path[0] != '/' {
		return fmt.Errorf("h1: path %q does not start with /", path)
	}
	for i := 0; i < len(path); i++ {
		if b := path[i]; b <= ' ' || b == 0x7f {
			return fmt.Errorf("h1: path %q has a control or space byte", path)
		}
	}
	return nil
}

// send queues call on a connection of the pool.
func (c *Client) send(call *Call) {
	for {
		cc := c.pick()
		if cc == nil {
			call.reply.Send(Reply{Err: ErrClosed})
			return
		}
		if cc.push(call) {
			return
		}
		// cc ended after pick chose it: pick replaces it now.
	}
}

// pick returns the connection of the next slot, or nil once the Client is
// closed.
func (c *Client) pick() *clientConn {
	i := int(c.next.Add(1)) % len(c.pool)
	if cc := c.pool[i].Load(); cc != nil && !cc.dead() {
		return cc
	}
	return c.replace(i)
}

// replace starts a new connection in slot i unless another Get just did.
func (c *Client) replace(i int) *clientConn {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	cc := c.pool[i].Load()
	if cc == nil || cc.dead() {
		cc = newClientConn(c)
		c.pool[i].Store(cc)
		c.wg.Go(cc.writeLoop)
	}
	return cc
}

// forget removes cc from the pool, if it is still there.
func (c *Client) forget(cc *clientConn) {
	for i := range c.pool {
		c.pool[i].CompareAndSwap(cc, nil)
	}
}

// Close fails every pending Call with ErrClosed, closes the connections and
// returns once their goroutines have exited. Later Calls fail with ErrClosed.
func (c *Client) Close() {
	c.mu.Lock()
	c.closed = true
	var pool []*clientConn
	for i := range c.pool {
		if cc := c.pool[i].Load(); cc != nil {
			pool = append(pool, cc)
		}
	}
	c.mu.Unlock()
	for _, cc := range pool {
		cc.fail(ErrClosed)
	}
	c.wg.Wait()
}

// clientConn is one connection of a Client's pool. Its life: the writer
// goroutine dials it, starts the reader goroutine, then sends the requests
// that Get pushes; shut ends it once (on an error, Close, or a server that
// closes it), after which no request is queued on it.
type clientConn struct {
	cl *Client
	// in is a lock-free stack of the Calls that Get pushed and the writer
	// has not taken yet, newest first; connDead once the connection ended.
	in     atomic.Pointer[Call]
	kick   chan struct{} // wakes the writer: in was empty and got a Call
	done   chan struct{} // closed by shut: the writer exits
	ctx    context.Context
	cancel context.CancelFunc // cancels ctx, which stops a dial in progress

	mu          sync.Mutex
	nc          net.Conn // once dialed; guarded by mu
	pending     []*Call  // Calls taken by the writer and not yet answered, in order; guarded by mu
	err         error    // why the connection ended, nil while it serves; guarded by mu
	deadlineSet bool     // a read deadline covers pending[0]; guarded by mu
}

// connDead marks the incoming stack of a connection that ended.
var connDead = new(Call)

func newClientConn(cl *Client) *clientConn {
	ctx, cancel := context.WithCancel(context.Background())
	return &clientConn{cl: cl, kick: make(chan struct{}, 1), done: make(chan struct{}), ctx: ctx, cancel: cancel}
}

func (cc *clientConn) dead() bool { return cc.in.Load() == connDead }

// push queues call for the writer and reports whether it did: false when
// the connection has ended.
func (cc *clientConn) push(call *Call) bool {
	for {
		head := cc.in.Load()
		if head == connDead {
			return false
		}
		call.next = head
		if cc.in.CompareAndSwap(head, call) {
			if head == nil {
				select {
				case cc.kick <- struct{}{}:
				default: // the writer has a wake pending
				}
			}
			return true
		}
	}
}

// take empties the incoming stack and returns its Calls in the order they
// were pushed; nil if it was empty or the connection ended.
func (cc *clientConn) take() *Call {
	for {
		head := cc.in.Load()
		if head == nil || head == connDead {
			return nil
		}
		if cc.in.CompareAndSwap(head, nil) {
			return reverse(head)
		}
	}
}

// reverse reverses a list of Calls linked by next.
func reverse(c *Call) *Call {
	var prev *Call
	for c != nil {
		c.next, prev, c = prev, c, c.next
	}
	return prev
}

// shut ends the connection with err and returns the requests it leaves
// unanswered, in order; nil if it had ended already.
func (cc *clientConn) shut(err error) []*Call {
	cc.mu.Lock()
	if cc.err != nil {
		cc.mu.Unlock()
		return nil
	}
	cc.err = err
	calls := cc.pending
	cc.pending = nil
	nc := cc.nc
	close(cc.done)
	cc.mu.Unlock()
	// Calls the writer has not taken; one it takes from now on finds err set
	// and fails it itself.
	for c := reverse(cc.in.Swap(connDead)); c != nil; {
		next := c.next
		c.next = nil
		calls = append(calls, c)
		c = next
	}
	cc.cancel()
	if nc != nil {
		nc.Close()
	}
	cc.cl.forget(cc)
	return calls
}

// fail ends the connection with err and fails its pending Calls.
func (cc *clientConn) fail(err error) {
	if !errors.Is(err, ErrClosed) {
		err = fmt.Errorf("h1: connection to %s: %w", cc.cl.addr, err)
	}
	for _, call := range cc.shut(err) {
		call.reply.Send(Reply{Err: err})
	}
}

// writeLoop dials, starts the reader, and writes the queued requests, all
// that accumulated since the last write in one write.
func (cc *clientConn) writeLoop() {
	d := net.Dialer{Timeout: cc.cl.timeout}
	nc, err := d.DialContext(cc.ctx, "tcp", cc.cl.addr)
	if err != nil {
		cc.fail(err)
		return
	}
	cc.mu.Lock()
	if cc.err != nil {
		cc.mu.Unlock()
		nc.Close()
		return
	}
	cc.nc = nc
	cc.mu.Unlock()
	cc.cl.wg.Go(func() { cc.readLoop(nc) })
	var buf []byte
	for {
		select {
		case <-cc.kick:
		case <-cc.done:
			return
		}
		batch := cc.take()
		if batch == nil {
			continue
		}
		buf = buf[:0]
		now := time.Now()
		cc.mu.Lock()
		if err := cc.err; err != nil {
			// shut ran after take: these Calls are ours to fail.
			cc.mu.Unlock()
			for c := batch; c != nil; c = c.next {
				c.reply.Send(Reply{Err: err})
			}
			return
		}
		for c := batch; c != nil; {
			buf = append(buf, "GET "...)
			buf = append(buf, c.path...)
			buf = append(buf, " HTTP/1.1\r\nHost: "...)
			buf = append(buf, cc.cl.addr...)
			buf = append(buf, "\r\n\r\n"...)
			c.sent = now
			cc.pending = append(cc.pending, c)
			next := c.next
			c.next = nil
			c = next
		}
		cc.mu.Unlock()
		nc.SetWriteDeadline(now.Add(cc.cl.timeout))
		if _, err := nc.Write(buf); err != nil {
			cc.fail(err)
			return
		}
		cc.mu.Lock()
		if !cc.deadlineSet && cc.err == nil && len(cc.pending) > 0 {
			cc.armLocked()
		}
		cc.mu.Unlock()
	}
}

// armLocked sets the read deadline to the timeout of the oldest pending
// request, or clears it when nothing is pending: an idle connection waits
// for its next request without limit.
func (cc *clientConn) armLocked() {
	if len(cc.pending) == 0 {
		cc.nc.SetReadDeadline(time.Time{})
		cc.deadlineSet = false
		return
	}
	cc.nc.SetReadDeadline(cc.pending[0].sent.Add(cc.cl.timeout))
	cc.deadlineSet = true
}

// errServerClosed ends a connection whose server announced Connection: close.
var errServerClosed = errors.New("h1: server closed the connection")

// readLoop parses the responses and completes the pending Calls in order.
func (cc *clientConn) readLoop(nc net.Conn) {
	br := bufio.NewReaderSize(nc, 64<<10)
	for {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			if errors.Is(err, io.EOF) {
				cc.mu.Lock()
				idle := len(cc.pending) == 0
				cc.mu.Unlock()
				if idle {
					// The server closed an idle connection: nobody waits.
					err = errServerClosed
				} else {
					err = io.ErrUnexpectedEOF
				}
			}
			cc.fail(err)
			return
		}
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
			continue // an informational response precedes the final one
		}
		reply, broken := cc.readReply(resp)
		cc.mu.Lock()
		if cc.err != nil {
			cc.mu.Unlock()
			return
		}
		if len(cc.pending) == 0 {
			cc.mu.Unlock()
			cc.fail(errors.New("response without a request"))
			return
		}
		call := cc.pending[0]
		cc.pending[0] = nil
		cc.pending = cc.pending[1:]
		if broken == nil && !resp.Close {
			cc.armLocked()
		}
		cc.mu.Unlock()
		if broken != nil {
			call.reply.Send(Reply{Err: fmt.Errorf("h1: connection to %s: %w", cc.cl.addr, broken)})
			cc.fail(broken)
			return
		}
		call.reply.Send(reply)
		if resp.Close {
			// The server answers nothing after this response: send the
			// requests behind it again, on other connections.
			for _, call := range cc.shut(errServerClosed) {
				cc.cl.send(call)
			}
			return
		}
	}
}

// readReply reads resp's body, at most MaxBody bytes of it, and makes the
// Call's reply. broken is not nil when the body could not be read: the
// connection is then out of step.
func (cc *clientConn) readReply(resp *http.Response) (r Reply, broken error) {
	var body []byte
	var err error
	if n := resp.ContentLength; n >= 0 && n <= cc.cl.maxBody {
		// The usual case, with one allocation of the right size.
		body = make([]byte, n)
		_, err = io.ReadFull(resp.Body, body)
	} else {
		body, err = io.ReadAll(io.LimitReader(resp.Body, cc.cl.maxBody+1))
	}
	if err != nil {
		return r, err
	}
	if int64(len(body)) > cc.cl.maxBody {
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return r, err
		}
		return Reply{Err: ErrBodyTooLarge}, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Reply{Err: &StatusError{Code: resp.StatusCode, Status: resp.Status, Body: body}}, nil
	}
	return Reply{Body: body}, nil
}
