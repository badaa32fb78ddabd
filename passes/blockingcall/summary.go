package blockingcall

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/config"
	"github.com/asynclint/asynclint/internal/directive"
	"github.com/asynclint/asynclint/internal/report"
)

// kind says what makes a finding block.
type kind uint8

const (
	leafCall      kind = iota // a call of a catalog or configured function
	nestedRuntime             // runtime.BlockOn or runtime.Run
	chanRecv                  // <-ch, for range ch
	chanSend                  // ch <- v
	selectOp                  // select without default, select {}
	viaCall                   // a call of a function that may block (fact or summary)
	viaClosure                // a synchronous call of a closure that may block
	annotated                 // the function is marked //asynclint:blocking
)

// finding is one blocking operation in a function body: the instruction,
// and the chain from it to what blocks.
type finding struct {
	kind  kind
	tier  int
	pos   token.Pos // the instruction in the function being looked at
	order int       // the instruction's index in the function, for ties
	tail  []step    // the chain after that function; empty for annotated
	hint  string    // leafCall, nestedRuntime, channel operations

	callee  *types.Func   // leafCall, viaCall: the function called
	closure *ssa.Function // viaClosure
	via     token.Pos     // viaClosure: the call inside the closure where the chain goes on
	dynType types.Type    // leafCall through an interface: the dynamic type

	// Where the callee's own chain starts and where it ends: a position in
	// this package, or a file:line:col from a fact.
	inner, leaf       token.Pos
	innerLoc, leafLoc string
	reason            string // the //asynclint:blocking reason at the chain's end
}

// better reports whether f is a better witness than g: a lower tier, then
// a shorter chain, then an earlier instruction.
func (f *finding) better(g *finding) bool {
	if g == nil {
		return true
	}
	if f.tier != g.tier {
		return f.tier < g.tier
	}
	if len(f.tail) != len(g.tail) {
		return len(f.tail) < len(g.tail)
	}
	return f.order < g.order
}

// start returns the position in the function where summary f's chain
// starts: its instruction, or for a call of a closure, the instruction
// inside the closure.
func (f *finding) start() token.Pos {
	if f.via.IsValid() {
		return f.via
	}
	return f.pos
}

// summarize computes the best finding of each function in funcs. Calls
// within the package read the callee's current summary, so those calls are
// classified again until nothing improves. Summaries only improve in the
// order (tier, chain length, position), which is finite, so this ends;
// sweeping in source order keeps the result deterministic, including across
// call-graph cycles. Findings that do not depend on another summary are
// computed once, in the first sweep.
func (c *checker) summarize(funcs []*ssa.Function) {
	type pending struct {
		instr ssa.Instruction
		order int
	}
	fixed := make(map[*ssa.Function]bool)
	base := make(map[*ssa.Function]*finding)  // best finding independent of other summaries
	deps := make(map[*ssa.Function][]pending) // instructions that read another summary
	for _, fn := range funcs {
		if obj, ok := fn.Object().(*types.Func); ok && fn.Parent() == nil {
			c.local[obj.Origin()] = fn
		}
		fd, _ := fn.Syntax().(*ast.FuncDecl)
		if d := blockingDirective(fd); d != nil {
			c.sums[fn] = &finding{kind: annotated, tier: 1, pos: fd.Name.Pos(), reason: d.Reason}
			fixed[fn] = true
		} else if d := directive.FuncDirective(fd, directive.Nonblocking); d != nil && d.Valid() {
			fixed[fn] = true // the chain stops here
		}
	}
	for sweep := 0; ; sweep++ {
		changed := false
		for _, fn := range funcs {
			if fixed[fn] {
				continue
			}
			best := base[fn]
			if sweep == 0 {
				order := 0
				for _, b := range fn.Blocks {
					for _, instr := range b.Instrs {
						c.consulted = false
						f := c.classify(instr)
						if c.consulted {
							deps[fn] = append(deps[fn], pending{instr, order})
						} else if f != nil {
							f.order = order
							if f.better(best) {
								best = f
							}
						}
						order++
					}
				}
				base[fn] = best
			}
			for _, p := range deps[fn] {
				if f := c.classify(p.instr); f != nil {
					f.order = p.order
					if f.better(best) {
						best = f
					}
				}
			}
			if best != nil && best.better(c.sums[fn]) {
				c.sums[fn] = best
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

// exportFacts exports a mayBlock fact for each named function of the
// package whose summary blocks.
func (c *checker) exportFacts(funcs []*ssa.Function) {
	for _, fn := range funcs {
		obj, ok := fn.Object().(*types.Func)
		s := c.sums[fn]
		if !ok || fn.Parent() != nil || s == nil {
			continue
		}
		fact := &mayBlock{
			Chain:  append([]step{stepOf(obj)}, s.tail...),
			Tier:   s.tier,
			Reason: s.reason,
		}
		if s.kind != annotated {
			fact.First = c.loc(s.start())
			fact.Leaf = s.leafLoc
			if s.leaf.IsValid() {
				fact.Leaf = c.loc(s.leaf)
			}
		}
		c.pass.ExportObjectFact(obj, fact)
	}
}

// classify returns the blocking finding of one instruction, or nil.
func (c *checker) classify(instr ssa.Instruction) *finding {
	switch instr := instr.(type) {
	case *ssa.Call:
		return c.classifyCall(instr.Common())
	case *ssa.Defer: // runs before the function returns, on the same thread
		return c.classifyCall(instr.Common())
	case *ssa.UnOp:
		if instr.Op == token.ARROW {
			f := c.op(chanRecv, instr.Pos(), "channel receive")
			f.hint = "use runtime.Chan or a future"
			if timerChannel(instr.X) {
				f.hint = "use runtime.Sleep"
			}
			return f
		}
	case *ssa.Send:
		f := c.op(chanSend, instr.Pos(), "channel send")
		f.hint = "use runtime.Chan"
		return f
	case *ssa.Select:
		if instr.Blocking {
			f := c.op(selectOp, instr.Pos(), "select")
			f.hint = "use runtime.Race or runtime.Chan"
			return f
		}
	}
	return nil
}

func (c *checker) op(k kind, pos token.Pos, what string) *finding {
	return &finding{kind: k, tier: 1, pos: pos, leaf: pos, tail: []step{{Name: what}}}
}

// classifyCall classifies a call or defer.
func (c *checker) classifyCall(common *ssa.CallCommon) *finding {
	pos := common.Pos()
	if common.IsInvoke() {
		if fn, dyn := concreteMethod(common); fn != nil {
			f := c.callFinding(fn, pos, nil)
			if f != nil && f.kind == leafCall {
				f.dynType = dyn
			}
			return f
		}
		// The receiver's static type is a listed interface (net.Conn).
		return c.callFinding(common.Method, pos, nil)
	}
	if fn := asyncapi.StaticFunction(common); fn != nil && fn.Parent() != nil {
		return c.closureFinding(fn, pos)
	}
	callee := asyncapi.Callee(common)
	if callee == nil {
		return nil // a dynamic call: unknown, so not reported
	}
	best := c.callFinding(callee, pos, common.Args)
	// once.Do(func() { ... }), sort.Slice(xs, less): the callee runs the
	// closures right here, so their blocking is the caller's.
	for _, fn := range asyncapi.CallbackClosures(common) {
		if f := c.closureFinding(fn, pos); f != nil && f.better(best) {
			best = f
		}
	}
	return best
}

// closureFinding is the finding of a call at pos that runs closure fn
// synchronously. A closure is part of its parent: the chain goes through it
// without naming it.
func (c *checker) closureFinding(fn *ssa.Function, pos token.Pos) *finding {
	c.consulted = true
	s := c.sums[fn]
	if s == nil {
		return nil
	}
	return &finding{
		kind: viaClosure, tier: s.tier, pos: pos, tail: s.tail, closure: fn, via: s.start(),
		inner: s.inner, innerLoc: s.innerLoc, leaf: s.leaf, leafLoc: s.leafLoc, reason: s.reason,
	}
}

// callFinding classifies a call of fn at pos with args (nil when unknown):
// an allowed or offload function, a runtime function, a catalog entry, a
// function of this package with a blocking summary, or one of another
// package with a mayBlock fact.
func (c *checker) callFinding(fn *types.Func, pos token.Pos, args []ssa.Value) *finding {
	if fn.Pkg() == nil {
		return nil // error.Error and other universe methods
	}
	name := config.FuncName(fn)
	if c.set.allow[name] || c.set.offload[name] {
		return nil
	}
	path := fn.Pkg().Path()
	if path == asyncapi.RuntimePath || strings.HasPrefix(path, asyncapi.RuntimePath+"/") {
		if e := c.api.Lookup(fn); e != nil && e.Blocks {
			return &finding{kind: nestedRuntime, tier: 1, pos: pos, leaf: pos, callee: fn,
				tail: []step{stepOf(fn)}, hint: "use runtime.Await"}
		}
		return nil // the runtime's own functions suspend rather than block
	}
	if e := c.set.funcs[name]; e != nil {
		if e.OnStdin && (len(args) == 0 || !readsStdin(args[0])) {
			return nil
		}
		if e.NotOnStdout && len(args) > 0 && isStdout(args[0]) {
			return nil
		}
		return &finding{kind: leafCall, tier: e.Tier, pos: pos, leaf: pos, callee: fn,
			tail: []step{stepOf(fn)}, hint: e.Hint}
	}
	fn = fn.Origin()
	if local := c.local[fn]; local != nil {
		c.consulted = true
		s := c.sums[local]
		if s == nil {
			return nil
		}
		f := &finding{kind: viaCall, tier: s.tier, pos: pos, callee: fn,
			tail: append([]step{stepOf(fn)}, s.tail...), leaf: s.leaf, leafLoc: s.leafLoc, reason: s.reason}
		if s.kind != annotated {
			f.inner = s.start()
		}
		return f
	}
	if fn.Pkg() == c.pass.Pkg || isStdPath(path) {
		return nil
	}
	var fact mayBlock
	if !c.pass.ImportObjectFact(fn, &fact) || len(fact.Chain) == 0 {
		return nil
	}
	return &finding{kind: viaCall, tier: fact.Tier, pos: pos, callee: fn, tail: fact.Chain,
		innerLoc: fact.First, leafLoc: fact.Leaf, reason: fact.Reason}
}

// concreteMethod returns the method an interface call runs when more is
// known about the receiver within the function than its static type, and
// the dynamic type when that is known.
//
// Matched shapes: the receiver is a MakeInterface of a concrete value, or an
// interface value of another (listed) interface type, possibly converted
// between interfaces (ChangeInterface) on the way:
//
//	var r io.Reader = f // f *os.File: (*os.File).Read
//	var r io.Reader = c // c net.Conn: (net.Conn).Read
//	r.Read(buf)
func concreteMethod(common *ssa.CallCommon) (*types.Func, types.Type) {
	v := common.Value
	for {
		switch x := v.(type) {
		case *ssa.ChangeInterface:
			v = x.X
			continue
		case *ssa.MakeInterface:
			fn := lookupMethod(x.X.Type(), common.Method)
			if fn == nil {
				return nil, nil
			}
			return fn, x.X.Type()
		}
		if v == common.Value {
			return nil, nil // nothing more than the static type
		}
		return lookupMethod(v.Type(), common.Method), nil
	}
}

// lookupMethod returns the method of t's method set that has m's name.
func lookupMethod(t types.Type, m *types.Func) *types.Func {
	sel := types.NewMethodSet(t).Lookup(m.Pkg(), m.Name())
	if sel == nil {
		return nil
	}
	fn, _ := sel.Obj().(*types.Func)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// timerChannel reports whether ch is a channel of the time package: the
// result of time.After or time.Tick, or the C field of a time.Timer or
// time.Ticker.
//
// Matched shapes: time.After(d), time.Tick(d), timer.C, ticker.C.
func timerChannel(ch ssa.Value) bool {
	switch x := ch.(type) {
	case *ssa.Call:
		if callee := asyncapi.Callee(x.Common()); callee != nil {
			switch config.FuncName(callee) {
			case "time.After", "time.Tick":
				return true
			}
		}
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL {
			return timeField(fa.X.Type(), fa.Field)
		}
	case *ssa.Field:
		return timeField(x.X.Type(), x.Field)
	}
	return false
}

// timeField reports whether field i of t (or of what t points to) is the C
// of time.Timer or time.Ticker.
func timeField(t types.Type, i int) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	switch config.TypeName(t) {
	case "time.Timer", "time.Ticker":
	default:
		return false
	}
	st, ok := t.Underlying().(*types.Struct)
	return ok && i < st.NumFields() && st.Field(i).Name() == "C"
}

// readsStdin reports whether v is os.Stdin, or a bufio reader or scanner
// made from it, seen through interface conversions.
//
// Matched shapes: os.Stdin, bufio.NewReader(os.Stdin),
// bufio.NewScanner(os.Stdin), as an argument or a receiver.
func readsStdin(v ssa.Value) bool {
	for {
		v = asyncapi.Unconvert(v)
		x, ok := v.(*ssa.Call)
		if !ok {
			return osFile(v) == "Stdin"
		}
		callee := asyncapi.Callee(x.Common())
		if callee == nil || len(x.Call.Args) == 0 {
			return false
		}
		switch config.FuncName(callee) {
		case "bufio.NewReader", "bufio.NewReaderSize", "bufio.NewScanner":
			v = x.Call.Args[0]
		default:
			return false
		}
	}
}

// isStdout reports whether v is os.Stdout or os.Stderr, seen through
// conversions.
func isStdout(v ssa.Value) bool {
	name := osFile(asyncapi.Unconvert(v))
	return name == "Stdout" || name == "Stderr"
}

// osFile returns the name of the package os variable that v loads (Stdin,
// Stdout, Stderr...), or "".
func osFile(v ssa.Value) string {
	x, ok := v.(*ssa.UnOp)
	if !ok || x.Op != token.MUL {
		return ""
	}
	g, ok := x.X.(*ssa.Global)
	if !ok || g.Object() == nil || g.Object().Pkg() == nil || g.Object().Pkg().Path() != "os" {
		return ""
	}
	return g.Name()
}

// opMessage is the message of a channel operation or select.
func (f *finding) opMessage(fset *token.FileSet, node ast.Node) string {
	switch f.kind {
	case chanSend:
		return "channel send blocks the worker thread; " + f.hint
	case selectOp:
		if s, ok := node.(*ast.SelectStmt); ok && len(s.Body.List) == 0 {
			return "select {} blocks the worker thread forever; " + f.hint
		}
		return "select without default blocks the worker thread; " + f.hint
	}
	switch n := node.(type) {
	case *ast.RangeStmt:
		return fmt.Sprintf("range over channel %s blocks the worker thread; %s", report.Render(fset, n.X), f.hint)
	case *ast.UnaryExpr:
		if call, ok := ast.Unparen(n.X).(*ast.CallExpr); ok {
			return fmt.Sprintf("receive from %s blocks the worker thread; %s", report.Render(fset, call), f.hint)
		}
	}
	return "channel receive blocks the worker thread; " + f.hint
}

// stepOf returns fn as a chain step.
func stepOf(fn *types.Func) step {
	s := step{Name: fn.Name()}
	if fn.Pkg() != nil {
		s.Pkg = fn.Pkg().Path()
	}
	if recv := fn.Signature().Recv(); recv != nil {
		t, ptr := recv.Type(), ""
		if p, ok := types.Unalias(t).(*types.Pointer); ok {
			t, ptr = p.Elem(), "*"
		}
		name := "?"
		if n, ok := types.Unalias(t).(*types.Named); ok {
			name = n.Obj().Name()
		}
		s.Recv = ptr + name
	}
	return s
}

// blockingDirective returns fd's well-formed //asynclint:blocking
// directive, if any.
func blockingDirective(fd *ast.FuncDecl) *directive.Directive {
	if d := directive.FuncDirective(fd, directive.Blocking); d != nil && d.Valid() {
		return d
	}
	return nil
}

// loc renders pos as "file:line:col" for a fact, at the start of the node
// that SSA position pos stands for (a call starts at its callee, not at the
// parenthesis SSA records), as the same-package related positions do.
func (c *checker) loc(pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	if node := c.node(pos); node != nil {
		pos = node.Pos()
	}
	p := c.pass.Fset.Position(pos)
	return p.Filename + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
}

// splitLoc splits a fact's "file:line:col", taking the numbers from the
// right so that file names containing ':' survive.
func splitLoc(loc string) (file string, line, col int, ok bool) {
	rest, colText, found := cutLast(loc, ":")
	if !found {
		return "", 0, 0, false
	}
	file, lineText, found := cutLast(rest, ":")
	if !found {
		return "", 0, 0, false
	}
	line, err1 := strconv.Atoi(lineText)
	col, err2 := strconv.Atoi(colText)
	return file, line, col, err1 == nil && err2 == nil && line > 0 && col > 0
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}
