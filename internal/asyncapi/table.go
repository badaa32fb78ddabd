package asyncapi

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Spawn says how a runtime call starts a task.
type Spawn uint8

const (
	NoSpawn       Spawn = iota
	SpawnAnywhere       // Spawn, SpawnOn: the task may run on any worker, concurrently with its spawner
	SpawnPinned         // SpawnLocal: the task stays on the spawner's worker
	SpawnOffload        // SpawnBlocking: a plain closure on the blocking pool, not task context
)

// Entry describes one runtime function or method. It is the one table of the
// runtime API that every pass consults.
type Entry struct {
	Name string // "Await", "Mutex.Lock", ...

	// Suspends reports whether a call is an await point: the calling task may
	// suspend inside it.
	Suspends bool

	// Consumes lists the parameter indices whose future argument the call
	// consumes (awaits, spawns, joins, returns to a poller). Variadic reports
	// that the last parameter's elements are consumed too.
	Consumes []int
	Variadic bool

	// Spawn says whether and how the call starts a task; SpawnArg is the
	// index of the future (or, for SpawnOffload, the closure) it starts.
	Spawn    Spawn
	SpawnArg int

	// BodyArg is the index of a task-body closure argument (Async), or -1.
	BodyArg int

	// Blocks reports whether the call blocks its goroutine until a whole
	// runtime finishes: BlockOn and Run, a nested runtime inside a task.
	Blocks bool
}

// ConsumesArg reports whether the call consumes its i'th argument (for a
// variadic entry, every argument at or past the last parameter).
func (e *Entry) ConsumesArg(i, nparams int) bool {
	if e == nil {
		return false
	}
	if e.Variadic && i >= nparams-1 {
		return true
	}
	for _, c := range e.Consumes {
		if c == i {
			return true
		}
	}
	return false
}

// The runtime API table. Functions are keyed by name in the runtime's scope,
// methods by "Type.Method". Runtime functions and methods that take a *Task
// and are not listed here suspend (the async sync types: Mutex.Lock(t),
// Chan.Recv(t), ...), so new suspending methods need no entry.
var table = []Entry{
	{Name: "Await", Suspends: true, Consumes: []int{1}},
	{Name: "Join2", Suspends: true, Consumes: []int{1, 2}},
	{Name: "Join3", Suspends: true, Consumes: []int{1, 2, 3}},
	{Name: "JoinAll", Variadic: true},
	{Name: "Race", Variadic: true},
	{Name: "Timeout", Consumes: []int{1}},
	{Name: "Spawn", Consumes: []int{1}, Spawn: SpawnAnywhere, SpawnArg: 1},
	{Name: "SpawnOn", Consumes: []int{1}, Spawn: SpawnAnywhere, SpawnArg: 1},
	{Name: "SpawnLocal", Consumes: []int{1}, Spawn: SpawnPinned, SpawnArg: 1},
	{Name: "SpawnBlocking", Spawn: SpawnOffload, SpawnArg: 1},
	{Name: "BlockOn", Consumes: []int{1}, Blocks: true},
	{Name: "Run", Consumes: []int{0}, Blocks: true},
	{Name: "Async", BodyArg: 0},
}

func buildTable(a *API) map[*types.Func]*Entry {
	m := make(map[*types.Func]*Entry)
	byName := make(map[string]*Entry, len(table))
	for i := range table {
		e := table[i] // copy: the table is shared by concurrent passes
		if e.BodyArg == 0 && e.Name != "Async" {
			e.BodyArg = -1
		}
		byName[e.Name] = &e
	}
	scope := a.pkg.Scope()
	add := func(fn *types.Func, name string) {
		if e, ok := byName[name]; ok {
			m[fn] = e
			return
		}
		// Unlisted: it suspends exactly when it takes the task.
		e := &Entry{Name: name, BodyArg: -1, Suspends: a.hasTaskParam(fn.Signature())}
		m[fn] = e
	}
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch obj := obj.(type) {
		case *types.Func:
			add(obj, name)
		case *types.TypeName:
			n, ok := obj.Type().(*types.Named)
			if !ok {
				continue
			}
			for i := 0; i < n.NumMethods(); i++ {
				if meth := n.Method(i); meth.Exported() {
					add(meth, name+"."+meth.Name())
				}
			}
		}
	}
	return m
}

func (a *API) hasTaskParam(sig *types.Signature) bool {
	for i := 0; i < sig.Params().Len(); i++ {
		if a.IsTask(sig.Params().At(i).Type()) {
			return true
		}
	}
	return false
}

// Lookup returns the table entry of fn (any instantiation of a runtime
// function or method), or nil if fn is not part of the runtime API.
func (a *API) Lookup(fn *types.Func) *Entry {
	if a == nil || fn == nil {
		return nil
	}
	return a.funcs[fn.Origin()]
}

// CallEntry returns the table entry of call's static callee, or nil.
func (a *API) CallEntry(call *ssa.CallCommon) *Entry {
	return a.Lookup(Callee(call))
}

// Unconvert strips interface and type conversions from v (MakeInterface,
// ChangeInterface, ChangeType): the value they convert is the same value.
func Unconvert(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
}

// Callee returns the generic origin of call's static callee: a package-level
// function or a concrete method, possibly an instantiation. It returns nil for
// dynamic calls (closures are not objects; see StaticFunction).
func Callee(call *ssa.CallCommon) *types.Func {
	if call == nil || call.IsInvoke() {
		return nil
	}
	fn := call.StaticCallee()
	if fn == nil {
		return nil
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil {
		return nil
	}
	return obj.Origin()
}

// InvokedMethod returns the interface method of an invoke-mode call, or nil.
func InvokedMethod(call *ssa.CallCommon) *types.Func {
	if call == nil || !call.IsInvoke() {
		return nil
	}
	return call.Method.Origin()
}

// StaticFunction returns call's static callee as an SSA function, including
// anonymous functions (closures), or nil for dynamic calls.
func StaticFunction(call *ssa.CallCommon) *ssa.Function {
	if call == nil || call.IsInvoke() {
		return nil
	}
	return call.StaticCallee()
}

// Suspension says whether a call may suspend the calling task.
type Suspension uint8

const (
	NoSuspend  Suspension = iota // the call never suspends
	Suspends                     // a runtime await point (Await, Join2, Mutex.Lock(t), ...)
	MaySuspend                   // a dynamic call that receives the task: assume it suspends
	AskFact                      // a static call to a user function that receives the task: its fact decides
	Inline                       // a call to a closure that takes or captures the task: analyze its body
)

// Suspension classifies call and returns its static callee when that matters.
//
// A static call to a named user function that takes a *Task returns AskFact,
// so that a pass consults its interprocedural fact: a function taking a task
// may only spawn, never suspend. A call to a closure that takes or captures
// the task returns Inline with the closure, whose body is in the same package.
// Calls that neither pass nor capture a *Task cannot suspend: only the task's
// own body may park it.
func (a *API) Suspension(call *ssa.CallCommon) (Suspension, *ssa.Function) {
	if a == nil || call == nil {
		return NoSuspend, nil
	}
	if e := a.CallEntry(call); e != nil {
		if e.Suspends {
			return Suspends, nil
		}
		return NoSuspend, nil
	}
	takesTask := false
	for _, arg := range call.Args {
		if a.IsTask(arg.Type()) {
			takesTask = true
			break
		}
	}
	fn := StaticFunction(call)
	if fn != nil && fn.Parent() != nil { // a closure
		if takesTask || a.capturesTask(fn) {
			return Inline, fn
		}
		return NoSuspend, nil
	}
	if !takesTask {
		return NoSuspend, nil
	}
	if fn != nil && fn.Object() != nil {
		return AskFact, fn
	}
	return MaySuspend, nil
}

// capturesTask reports whether closure fn, or a closure nested in it,
// captures a *Task.
func (a *API) capturesTask(fn *ssa.Function) bool {
	for _, fv := range fn.FreeVars {
		if a.IsTask(fv.Type()) || a.IsTask(derefVar(fv.Type())) {
			return true
		}
	}
	return false
}

// derefVar strips the pointer SSA adds for a captured variable that is
// assigned after capture.
func derefVar(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return nil
}
