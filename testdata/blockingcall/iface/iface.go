// Package iface reports interface calls whose dynamic type is known.
package iface

import (
	"bytes"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

func fileAsReader(t *runtime.Task, f *os.File, buf []byte) { // want fileAsReader:"mayBlock\\(fileAsReader -> \\(\\*os\\.File\\)\\.Read\\)"
	var r io.Reader = f
	r.Read(buf) // want `r.Read on \*os.File blocks the worker thread; use runtime.SpawnBlocking`
}

func connAsWriter(t *runtime.Task, c *net.TCPConn, buf []byte) { // want connAsWriter:"mayBlock\\(connAsWriter -> \\(\\*net\\.conn\\)\\.Write\\)"
	var w io.Writer = c
	w.Write(buf) // want `w.Write on \*net.TCPConn blocks the worker thread; use runtime.SpawnBlocking`
}

func netConnAsReader(t *runtime.Task, c net.Conn, buf []byte) { // want netConnAsReader:"mayBlock\\(netConnAsReader -> \\(net\\.Conn\\)\\.Read\\)"
	var r io.Reader = c // a net.Conn converted to io.Reader
	r.Read(buf)         // want `r.Read blocks the worker thread; use runtime.SpawnBlocking`
}

func unknownReader(t *runtime.Task, r io.Reader, buf []byte) {
	r.Read(buf) // the dynamic type is not known here
}

func memoryReader(t *runtime.Task, buf []byte) {
	var r io.Reader = strings.NewReader("hello")
	r.Read(buf) // *strings.Reader is in memory
	var w io.Writer = new(bytes.Buffer)
	w.Write(buf)
}

// slowReader is a user type whose Read blocks.
type slowReader struct{}

func (slowReader) Read(p []byte) (int, error) { // want Read:"mayBlock\\(\\(slowReader\\)\\.Read -> time\\.Sleep\\)"
	time.Sleep(time.Millisecond)
	return 0, io.EOF
}

func userReader(t *runtime.Task, buf []byte) { // want userReader:"mayBlock\\(userReader -> \\(slowReader\\)\\.Read -> time\\.Sleep\\)"
	var r io.Reader = slowReader{}
	r.Read(buf) // want `call to r.Read blocks the worker \(\(slowReader\).Read -> time.Sleep\)`
}
