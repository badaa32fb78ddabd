package direct

import (
	"crypto/tls"
	"net"
	"net/smtp"

	"github.com/asynclint/asynclint/runtime"
)

func dial(t *runtime.Task) (net.Conn, error) { // want dial:"mayBlock\\(dial -> net\\.Dial\\)"
	return net.Dial("tcp", "example.com:80") // want `net.Dial blocks the worker thread; use runtime.SpawnBlocking`
}

func dialer(t *runtime.Task, d *net.Dialer) { // want dialer:"mayBlock\\(dialer -> \\(\\*net\\.Dialer\\)\\.Dial\\)"
	d.Dial("tcp", "example.com:80") // want `d.Dial blocks the worker thread; use runtime.SpawnBlocking`
}

func accept(t *runtime.Task, l *net.TCPListener) { // want accept:"mayBlock\\(accept -> \\(\\*net\\.TCPListener\\)\\.Accept\\)"
	l.Accept() // want `l.Accept blocks the worker thread; use runtime.SpawnBlocking`
}

func tcpRead(t *runtime.Task, c *net.TCPConn, buf []byte) { // want tcpRead:"mayBlock\\(tcpRead -> \\(\\*net\\.conn\\)\\.Read\\)"
	c.Read(buf) // want `c.Read blocks the worker thread; use runtime.SpawnBlocking`
}

func connWrite(t *runtime.Task, c net.Conn, buf []byte) { // want connWrite:"mayBlock\\(connWrite -> \\(net\\.Conn\\)\\.Write\\)"
	c.Write(buf) // want `c.Write blocks the worker thread; use runtime.SpawnBlocking`
}

func lookup(t *runtime.Task) { // want lookup:"mayBlock\\(lookup -> net\\.LookupHost\\)"
	net.LookupHost("example.com") // want `net.LookupHost blocks the worker thread; use runtime.SpawnBlocking`
}

func tlsHandshake(t *runtime.Task, c *tls.Conn) error { // want tlsHandshake:"mayBlock\\(tlsHandshake -> \\(\\*crypto/tls\\.Conn\\)\\.Handshake\\)"
	return c.Handshake() // want `c.Handshake blocks the worker thread; use runtime.SpawnBlocking`
}

func sendMail(t *runtime.Task) error { // want sendMail:"mayBlock\\(sendMail -> net/smtp\\.SendMail\\)"
	return smtp.SendMail("mail:25", nil, "a@b", []string{"c@d"}, nil) // want `smtp.SendMail blocks the worker thread; use runtime.SpawnBlocking`
}

func parseIP(t *runtime.Task) net.IP {
	return net.ParseIP("127.0.0.1") // no I/O
}
