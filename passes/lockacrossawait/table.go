package lockacrossawait

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/config"
)

// opKind says what a call does to a lock.
type opKind uint8

const (
	acquire    opKind = iota + 1 // Lock, RLock, LockOSThread, a guard's constructor
	release                      // Unlock, RUnlock, UnlockOSThread, a guard's End
	tryAcquire                   // TryLock, TryRLock: held on the true branch of the If on its result
)

// identity says which value a lock operation acts on.
type identity uint8

const (
	byReceiver identity = iota // the method's receiver: s.mu in s.mu.Lock()
	byResult                   // the call's result: the *trace.Region of trace.StartRegion
	byNothing                  // a pseudo-lock with one instance, such as the OS thread lock
)

// lockOp describes one acquire or release function.
type lockOp struct {
	kind     opKind
	read     bool     // a read hold, released only by the read release
	ident    identity // which value the operation acts on
	pseudo   string   // for byNothing: the lock's name in messages and keys
	class    string   // the lock's type as messages show it: "sync.Mutex"
	reason   string   // the consequence and the fix, in the message's parentheses
	category string   // Diagnostic.Category
}

const (
	mutexReason   = "a task that locks it blocks this worker; unlock before awaiting or use runtime.Mutex"
	rwWriteReason = "a task that locks it blocks this worker; unlock before awaiting or use runtime.RWMutex"
	rwReadReason  = "a task that write-locks it blocks this worker; unlock before awaiting or use runtime.RWMutex"
	threadReason  = "suspending an async body wired to its OS thread crashes the program; call runtime.UnlockOSThread before awaiting"
)

// builtinOps is the table of the standard library's locks, keyed by
// types.Func.FullName. The runtime's own Mutex and RWMutex are deliberately
// absent: they are made to be held across an await.
//
// Configured must-not-hold types add entries at run time (see configOp), so
// that one mechanism covers mutex-like types, the OS thread lock and guard
// values such as *trace.Region.
var builtinOps = map[string]lockOp{
	"(*sync.Mutex).Lock":       {kind: acquire, class: "sync.Mutex", reason: mutexReason, category: "mutex"},
	"(*sync.Mutex).TryLock":    {kind: tryAcquire, class: "sync.Mutex", reason: mutexReason, category: "mutex"},
	"(*sync.Mutex).Unlock":     {kind: release, class: "sync.Mutex"},
	"(*sync.RWMutex).Lock":     {kind: acquire, class: "sync.RWMutex", reason: rwWriteReason, category: "mutex"},
	"(*sync.RWMutex).TryLock":  {kind: tryAcquire, class: "sync.RWMutex", reason: rwWriteReason, category: "mutex"},
	"(*sync.RWMutex).Unlock":   {kind: release, class: "sync.RWMutex"},
	"(*sync.RWMutex).RLock":    {kind: acquire, read: true, class: "sync.RWMutex", reason: rwReadReason, category: "rlock"},
	"(*sync.RWMutex).TryRLock": {kind: tryAcquire, read: true, class: "sync.RWMutex", reason: rwReadReason, category: "rlock"},
	"(*sync.RWMutex).RUnlock":  {kind: release, read: true, class: "sync.RWMutex"},
	"(sync.Locker).Lock":       {kind: acquire, class: "sync.Locker", reason: mutexReason, category: "locker"},
	"(sync.Locker).Unlock":     {kind: release, class: "sync.Locker"},
	"runtime.LockOSThread":     {kind: acquire, ident: byNothing, pseudo: "the OS thread lock", class: "runtime.LockOSThread", reason: threadReason, category: "thread"},
	"runtime.UnlockOSThread":   {kind: release, ident: byNothing, pseudo: "the OS thread lock"},
}

// guardReleases are the method names that end a configured guard value
// (a type without a Lock method, such as *trace.Region): the spellings Go
// libraries use for "this scope is over".
var guardReleases = []string{"End", "Close", "Finish", "Release", "Stop", "Unlock"}

// mutexMethods maps the method names of a configured mutex-like type (one
// with a Lock method) to what they do.
var mutexMethods = map[string]struct {
	kind opKind
	read bool
}{
	"Lock":     {acquire, false},
	"TryLock":  {tryAcquire, false},
	"Unlock":   {release, false},
	"RLock":    {acquire, true},
	"TryRLock": {tryAcquire, true},
	"RUnlock":  {release, true},
}

// opOf returns what call does to a lock, or nil.
func (a *analyzer) opOf(call *ssa.CallCommon) *lockOp {
	var fn *types.Func
	if call.IsInvoke() {
		fn = asyncapi.InvokedMethod(call)
	} else {
		fn = asyncapi.Callee(call)
	}
	if fn == nil {
		return nil
	}
	if op, ok := builtinOps[config.FuncName(fn)]; ok {
		return &op
	}
	if len(a.mustNotHold) == 0 {
		return nil
	}
	return a.configOp(fn, call)
}

// configOp matches the configured must-not-hold types:
//
//   - a method of a type with a Lock method acts like sync.Mutex's;
//   - otherwise the type is a guard: a call returning one acquires it, and
//     one of guardReleases called on it releases it.
func (a *analyzer) configOp(fn *types.Func, call *ssa.CallCommon) *lockOp {
	sig := fn.Signature()
	if recv := sig.Recv(); recv != nil {
		named := namedOf(recv.Type())
		reason, ok := a.configured(named)
		if !ok {
			return nil
		}
		class := qualifiedName(named)
		if hasMethod(named, "Lock") {
			m, ok := mutexMethods[fn.Name()]
			if !ok {
				return nil
			}
			return &lockOp{kind: m.kind, read: m.read, class: class, reason: reason, category: "configured"}
		}
		if slices.Contains(guardReleases, fn.Name()) {
			return &lockOp{kind: release, class: class}
		}
		return nil
	}
	if sig.Results().Len() != 1 {
		return nil
	}
	named := namedOf(sig.Results().At(0).Type())
	reason, ok := a.configured(named)
	if !ok || hasMethod(named, "Lock") {
		return nil
	}
	return &lockOp{kind: acquire, ident: byResult, class: qualifiedName(named), reason: reason, category: "configured"}
}

// configured returns the reason of a configured must-not-hold type.
func (a *analyzer) configured(named *types.Named) (string, bool) {
	if named == nil {
		return "", false
	}
	name := config.TypeName(named)
	for _, tr := range a.mustNotHold {
		if tr.Type == name {
			if tr.Reason == "" {
				return "it is configured as must-not-hold; release it before awaiting", true
			}
			return tr.Reason, true
		}
	}
	return "", false
}

// namedOf returns the named type of t or of *t.
func namedOf(t types.Type) *types.Named {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, _ := t.(*types.Named)
	return n
}

func hasMethod(named *types.Named, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(named), false, named.Obj().Pkg(), name)
	_, ok := obj.(*types.Func)
	return ok
}

// qualifiedName spells a named type as its users do: "trace.Region".
func qualifiedName(named *types.Named) string {
	return types.TypeString(named.Origin(), func(p *types.Package) string { return p.Name() })
}
