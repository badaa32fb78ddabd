// Package lintfuzz assembles small async programs from fragments, for the
// analyzers' fuzz test: each byte of the fuzz input picks the next fragment,
// so the fuzzer explores branches, loops, closures, defers, generics,
// goroutines, selects and method values in every combination, and every
// program type-checks against the real runtime.
package lintfuzz

import (
	"fmt"
	"strings"
)

// Header is the fixed part of every program: types and helpers the
// fragments use.
const Header = `package fuzz

import (
	"os"
	"sync"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

type state struct {
	mu  sync.Mutex
	rw  sync.RWMutex
	amu runtime.Mutex
	m   map[int]int
	n   int
	buf []runtime.Future[int]
}

type local struct {
	runtime.NoSend
	v int
}

type fut struct{ v int }

func (f *fut) Poll(cx *runtime.Cx) runtime.Poll[int] { return runtime.Ready(f.v) }

func mk(i int) runtime.Future[int] {
	return runtime.Async(func(t *runtime.Task) int { return i })
}

func gen[T any](v T) runtime.Future[T] {
	return runtime.Async(func(t *runtime.Task) T { return v })
}

func sleepy() { time.Sleep(time.Millisecond) }

func chain() { sleepy() }

func drop(f runtime.Future[int]) {}

func keep(t *runtime.Task, f runtime.Future[int]) int { return runtime.Await(t, f) }

func (s *state) method(t *runtime.Task) int { return runtime.Await(t, mk(s.n)) }

func id[T any](v T) T { return v }

var _ = os.Getpid
`

// Build returns the Go source of the program that data selects. The same
// data always gives the same program.
func Build(data []byte) string {
	g := &gen{data: data}
	var b strings.Builder
	b.WriteString(Header)
	b.WriteString("\nfunc body(t *runtime.Task, s *state, xs []int, ch chan int, ok bool) int {\n")
	g.block(&b, 1, 0)
	b.WriteString("\treturn 0\n}\n")
	b.WriteString("\nfunc poller(cx *runtime.Cx) runtime.Poll[int] {\n")
	g.pollBlock(&b)
	b.WriteString("\treturn runtime.Pending[int]()\n}\n")
	return b.String()
}

type gen struct {
	data []byte
	pos  int
	vars int
}

func (g *gen) next() (byte, bool) {
	if g.pos >= len(g.data) {
		return 0, false
	}
	c := g.data[g.pos]
	g.pos++
	return c, true
}

func (g *gen) fresh() string {
	g.vars++
	return fmt.Sprintf("v%d", g.vars)
}

const maxDepth = 4

// block writes statements until the input runs out or a block-closing byte
// appears; depth bounds nesting.
func (g *gen) block(b *strings.Builder, indent, depth int) {
	for i := 0; i < 12; i++ {
		c, ok := g.next()
		if !ok || (depth > 0 && c%17 == 0) {
			return
		}
		g.stmt(b, indent, depth, c)
	}
}

func (g *gen) stmt(b *strings.Builder, indent, depth int, c byte) {
	tab := strings.Repeat("\t", indent)
	w := func(format string, args ...any) { fmt.Fprintf(b, tab+format+"\n", args...) }
	nested := func(open string, close string) {
		if depth >= maxDepth {
			w("_ = %d", c)
			return
		}
		w("%s", open)
		g.block(b, indent+1, depth+1)
		w("%s", close)
	}
	switch c % 40 {
	case 0:
		w("mk(%d)", c)
	case 1:
		v := g.fresh()
		w("%s := mk(1)", v)
		w("_ = runtime.Await(t, %s)", v)
	case 2:
		v := g.fresh()
		w("%s := mk(2)", v)
		w("if ok {")
		w("\t_ = runtime.Await(t, %s)", v)
		w("}")
	case 3:
		w("_ = mk(3)")
	case 4:
		w("runtime.Sleep(time.Millisecond)")
	case 5:
		w("runtime.Await(t, runtime.Sleep(time.Millisecond))")
	case 6:
		w("time.Sleep(time.Millisecond)")
	case 7:
		w("chain()")
	case 8:
		w("s.mu.Lock()")
		w("runtime.Await(t, runtime.YieldNow())")
		w("s.mu.Unlock()")
	case 9:
		w("s.mu.Lock()")
		w("s.n++")
		w("s.mu.Unlock()")
		w("runtime.Await(t, runtime.YieldNow())")
	case 10:
		w("s.amu.Lock(t)")
		w("runtime.Await(t, runtime.YieldNow())")
		w("s.amu.Unlock()")
	case 11:
		nested("if ok {", "}")
	case 12:
		nested("if len(xs) > 1 {", "} else {\n"+tab+"\t_ = len(xs)\n"+tab+"}")
	case 13:
		nested("for i := 0; i < len(xs); i++ {", "}")
	case 14:
		nested("for _, x := range xs {\n"+tab+"\t_ = x", "}")
	case 15:
		nested("func() {", "}()")
	case 16:
		nested("defer func() {", "}()")
	case 17:
		nested("go func() {", "}()")
	case 18:
		w("select {")
		w("case v := <-ch:")
		w("\t_ = v")
		w("default:")
		w("}")
	case 19:
		w("select {")
		w("case ch <- 1:")
		w("case <-ch:")
		w("}")
	case 20:
		w("<-ch")
	case 21:
		v := g.fresh()
		w("%s := 0", v)
		w("h%s := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {", v)
		w("\t%s++", v)
		w("\treturn %s", v)
		w("}))")
		w("%s++", v)
		w("_ = runtime.Await(t, h%s)", v)
	case 22:
		v := g.fresh()
		w("%s := &local{}", v)
		w("runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int { return %s.v }))", v)
	case 23:
		v := g.fresh()
		w("%s := &local{}", v)
		w("runtime.SpawnLocal(t, runtime.Async(func(t *runtime.Task) int { return %s.v }))", v)
	case 24:
		w("_ = runtime.Await(t, runtime.SpawnBlocking(t, func() int { sleepy(); return 1 }))")
	case 25:
		w("a%d, b%d := runtime.Join2(t, mk(1), gen(\"x\"))", c, g.pos)
		w("_, _ = a%d, b%d", c, g.pos)
	case 26:
		w("s.buf = append(s.buf, mk(4))")
	case 27:
		v := g.fresh()
		w("var %s []runtime.Future[int]", v)
		w("%s = append(%s, mk(5))", v, v)
		w("_ = len(%s)", v)
	case 28:
		v := g.fresh()
		w("var %s []runtime.Future[int]", v)
		w("%s = append(%s, mk(6))", v, v)
		w("_ = runtime.Await(t, runtime.JoinAll(%s...))", v)
	case 29:
		w("drop(mk(7))")
	case 30:
		w("_ = keep(t, mk(8))")
	case 31:
		v := g.fresh()
		w("%s := s.method", v)
		w("_ = %s(t)", v)
	case 32:
		w("_ = runtime.Await(t, gen(id(%d)))", c)
	case 33:
		w("defer s.mu.Unlock()")
		w("s.mu.Lock()")
	case 34:
		w("s.rw.RLock()")
		w("_ = keep(t, mk(9))")
		w("s.rw.RUnlock()")
	case 35:
		w("if s.mu.TryLock() {")
		w("\truntime.Await(t, runtime.YieldNow())")
		w("\ts.mu.Unlock()")
		w("}")
	case 36:
		w("s.m[%d] = 1", c)
	case 37:
		v := g.fresh()
		w("%s := runtime.Timeout(time.Second, mk(10))", v)
		w("if r := runtime.Await(t, %s); r.TimedOut {", v)
		w("\t_ = r.Value")
		w("}")
	case 38:
		nested("switch len(xs) {\n"+tab+"case 0:", "default:\n"+tab+"\t_ = ok\n"+tab+"}")
	case 39:
		w("f%d := &fut{v: %d}", g.pos, c)
		w("_ = runtime.Await(t, runtime.Race[int](f%d, mk(11)))", g.pos)
	}
}

func (g *gen) pollBlock(b *strings.Builder) {
	for i := 0; i < 4; i++ {
		c, ok := g.next()
		if !ok {
			return
		}
		switch c % 5 {
		case 0:
			b.WriteString("\tmk(12)\n")
		case 1:
			b.WriteString("\ttime.Sleep(time.Millisecond)\n")
		case 2:
			b.WriteString("\tif p := mk(13).Poll(cx); p.IsReady() {\n\t\treturn p\n\t}\n")
		case 3:
			b.WriteString("\t_, _ = os.ReadFile(\"x\")\n")
		case 4:
			b.WriteString("\tcx.Waker().Wake()\n")
		}
	}
}
