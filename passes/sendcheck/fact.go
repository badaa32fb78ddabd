package sendcheck

import (
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
)

// capturesParams is the fact of a future constructor: the indices of the
// parameters (the receiver of a method is index 0, as in an SSA static call)
// whose values flow into the future it returns, captured by its Async or
// PollFunc closure or stored in the returned struct. Spawning the result of a
// call shares those arguments with the task.
type capturesParams struct {
	Params []int // sorted, unique
}

func (*capturesParams) AFact() {}

func (f *capturesParams) String() string { return paramsString("capturesParams", f.Params) }

// spawnsParams is the fact of a spawn helper: the indices of its future
// parameters that it spawns with runtime.Spawn or SpawnOn (directly or
// through another helper), so that a call of the helper is checked like a
// spawn. Example: func Go[T any](t *runtime.Task, f runtime.Future[T]) has
// spawnsParams(1) when it calls runtime.Spawn(t, f).
type spawnsParams struct {
	Params []int // sorted, unique
}

func (*spawnsParams) AFact() {}

func (f *spawnsParams) String() string { return paramsString("spawnsParams", f.Params) }

// awaitsParams is the fact of a function that waits for a future parameter
// on every path to its return: it awaits (Await, Join2, Join3, BlockOn) the
// parameter, or passes it to another function with this fact. A call of it
// joins the task whose JoinHandle it receives, as an Await would. Example:
// func awaitH(t *runtime.Task, h *runtime.JoinHandle[int]) int { return
// runtime.Await(t, h) } has awaitsParams(1).
type awaitsParams struct {
	Params []int // sorted, unique
}

func (*awaitsParams) AFact() {}

func (f *awaitsParams) String() string { return paramsString("awaitsParams", f.Params) }

// paramsString spells a fact that lists parameter indices: name(1,2).
func paramsString(name string, params []int) string {
	s := make([]string, len(params))
	for i, p := range params {
		s[i] = strconv.Itoa(p)
	}
	return name + "(" + strings.Join(s, ",") + ")"
}

// factComputer builds capturesParams facts for one package by induction: it
// iterates over the package's named functions in source order until no fact
// grows, so that call-graph cycles converge deterministically.
type factComputer struct {
	pass  *analysis.Pass
	api   *asyncapi.API
	local map[*types.Func][]int // this package's capturesParams, as they grow
	spawn map[*types.Func][]int // this package's spawnsParams, as they grow
	await map[*types.Func][]int // this package's awaitsParams, as they grow

	access map[*types.Func][]paramAccess // this package's paramAccesses (accessfact.go)
	locked map[*types.Func][]lockedCall  // this package's lockedCalls (lockfact.go)
	calls  map[*types.Func][]int         // this package's callsParams (lockfact.go)
}

func computeFacts(pass *analysis.Pass, api *asyncapi.API, funcs []*ssa.Function) *factComputer {
	fc := &factComputer{pass: pass, api: api, local: make(map[*types.Func][]int), spawn: make(map[*types.Func][]int), await: make(map[*types.Func][]int), access: make(map[*types.Func][]paramAccess), locked: make(map[*types.Func][]lockedCall), calls: make(map[*types.Func][]int)}
	var ctors, helpers []*ssa.Function
	for _, fn := range funcs {
		if _, ok := fn.Object().(*types.Func); !ok || fn.Parent() != nil {
			continue
		}
		if fc.returnsFuture(fn) {
			ctors = append(ctors, fn)
		}
		if fc.takesFuture(fn) {
			helpers = append(helpers, fn)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, fn := range ctors {
			obj := fn.Object().(*types.Func)
			got := fc.captured(fn)
			if !slices.Equal(got, fc.local[obj]) {
				fc.local[obj] = got
				changed = true
			}
		}
		for _, fn := range helpers {
			obj := fn.Object().(*types.Func)
			got := fc.spawned(fn)
			if !slices.Equal(got, fc.spawn[obj]) {
				fc.spawn[obj] = got
				changed = true
			}
			got = fc.awaited(fn)
			if !slices.Equal(got, fc.await[obj]) {
				fc.await[obj] = got
				changed = true
			}
		}
	}
	for _, fn := range ctors {
		obj := fn.Object().(*types.Func)
		if ps := fc.local[obj]; len(ps) > 0 {
			pass.ExportObjectFact(obj, &capturesParams{Params: ps})
		}
	}
	for _, fn := range helpers {
		obj := fn.Object().(*types.Func)
		if ps := fc.spawn[obj]; len(ps) > 0 {
			pass.ExportObjectFact(obj, &spawnsParams{Params: ps})
		}
		if ps := fc.await[obj]; len(ps) > 0 {
			pass.ExportObjectFact(obj, &awaitsParams{Params: ps})
		}
	}
	return fc
}

// factFor returns what a summary of callee (a generic origin) records:
// this package's own, in local, or the fact of type F that callee's
// package exported, read with get.
func factFor[E, F any, PF interface {
	*F
	analysis.Fact
}](fc *factComputer, local map[*types.Func][]E, callee *types.Func, get func(PF) []E) []E {
	if callee == nil {
		return nil
	}
	if es, ok := local[callee]; ok {
		return es
	}
	var f F
	if callee.Pkg() == fc.pass.Pkg || !fc.pass.ImportObjectFact(callee, PF(&f)) {
		return nil
	}
	return get(&f)
}

// awaitsOf returns the parameter indices a call to callee waits for, from
// this package's facts or an imported fact.
func (fc *factComputer) awaitsOf(callee *types.Func) []int {
	return factFor(fc, fc.await, callee, func(f *awaitsParams) []int { return f.Params })
}

// awaitedArgs returns the indices of the arguments that call waits for
// before it returns: those a suspending or blocking runtime call consumes
// (Await, Join2, Join3, BlockOn), or those of a callee's awaitsParams.
func (fc *factComputer) awaitedArgs(call *ssa.CallCommon) []int {
	e := fc.api.CallEntry(call)
	if e == nil {
		return fc.awaitsOf(asyncapi.Callee(call))
	}
	if !(e.Suspends || e.Blocks) {
		return nil
	}
	var out []int
	for i := range call.Args {
		if e.ConsumesArg(i, len(call.Args)) {
			out = append(out, i)
		}
	}
	return out
}

// awaited returns the sorted indices of fn's parameters that fn waits for
// on every path to a return: the waiting call's block dominates every
// returning block.
func (fc *factComputer) awaited(fn *ssa.Function) []int {
	var rets []*ssa.BasicBlock
	for _, b := range fn.Blocks {
		if n := len(b.Instrs); n > 0 {
			if _, ok := b.Instrs[n-1].(*ssa.Return); ok {
				rets = append(rets, b)
			}
		}
	}
	var out []int
	for _, b := range fn.Blocks {
		if len(rets) == 0 || slices.ContainsFunc(rets, func(r *ssa.BasicBlock) bool { return !b.Dominates(r) }) {
			continue // some path returns without passing here
		}
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			for _, i := range fc.awaitedArgs(call.Common()) {
				if i < len(call.Call.Args) {
					if p := paramOf(fn, call.Call.Args[i]); p >= 0 {
						out = append(out, p)
					}
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (fc *factComputer) takesFuture(fn *ssa.Function) bool {
	for _, p := range fn.Params {
		if fc.api.IsFuture(p.Type()) {
			return true
		}
	}
	return false
}

// spawnsOf returns the parameter indices a call to callee spawns, from this
// package's facts or an imported fact.
func (fc *factComputer) spawnsOf(callee *types.Func) []int {
	return factFor(fc, fc.spawn, callee, func(f *spawnsParams) []int { return f.Params })
}

// spawned returns the sorted indices of fn's parameters that fn spawns on
// any worker: passed, possibly converted, to Spawn, SpawnOn or a helper
// with a spawnsParams fact.
func (fc *factComputer) spawned(fn *ssa.Function) []int {
	var out []int
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			common := call.Common()
			var args []int
			if e := fc.api.CallEntry(common); e != nil {
				if e.Spawn == asyncapi.SpawnAnywhere {
					args = []int{e.SpawnArg}
				}
			} else {
				args = fc.spawnsOf(asyncapi.Callee(common))
			}
			for _, i := range args {
				if i < len(common.Args) {
					if p := paramOf(fn, common.Args[i]); p >= 0 {
						out = append(out, p)
					}
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// paramOf returns the index of the parameter of fn that v is, up to
// interface and type conversions, or -1.
func paramOf(fn *ssa.Function, v ssa.Value) int {
	if p, ok := asyncapi.Unconvert(v).(*ssa.Parameter); ok {
		return slices.Index(fn.Params, p)
	}
	return -1
}

func (fc *factComputer) returnsFuture(fn *ssa.Function) bool {
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		if fc.api.IsFuture(res.At(i).Type()) {
			return true
		}
	}
	return false
}

// paramsOf returns the parameter indices captured by a call to callee (a
// generic origin), from this package's facts or an imported fact.
func (fc *factComputer) paramsOf(callee *types.Func) []int {
	return factFor(fc, fc.local, callee, func(f *capturesParams) []int { return f.Params })
}

// captured returns the sorted parameter indices of fn that flow into a
// future fn returns.
func (fc *factComputer) captured(fn *ssa.Function) []int {
	var out []int
	seen := make(map[ssa.Value]bool)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ret, ok := instr.(*ssa.Return)
			if !ok {
				continue
			}
			for _, r := range ret.Results {
				if !fc.api.IsFuture(r.Type()) {
					continue
				}
				for _, src := range fc.futureSources(r, seen) {
					out = append(out, paramsIn(fn, src)...)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// futureSources returns the values a future value f holds on to: the
// bindings of its closures, the fields stored into its struct, the captured
// arguments of the constructors and combinators that made it.
//
// Matched shapes: Async(func(...){ uses x }), PollFunc[T](func(cx){ uses x }),
// &myFuture{a: x}, myFuture{a: x}, ctor(x) with a fact, runtime combinators
// over such futures, and phis and interface conversions of those.
func (fc *factComputer) futureSources(v ssa.Value, seen map[ssa.Value]bool) []ssa.Value {
	if seen[v] {
		return nil
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.MakeInterface:
		return fc.futureSources(v.X, seen)
	case *ssa.ChangeInterface:
		return fc.futureSources(v.X, seen)
	case *ssa.ChangeType:
		return fc.futureSources(v.X, seen)
	case *ssa.Convert:
		return fc.futureSources(v.X, seen)
	case *ssa.Phi:
		var out []ssa.Value
		for _, e := range v.Edges {
			out = append(out, fc.futureSources(e, seen)...)
		}
		return out
	case *ssa.MakeClosure:
		return v.Bindings
	case *ssa.UnOp:
		if alloc, ok := v.X.(*ssa.Alloc); ok {
			return storedInto(alloc)
		}
	case *ssa.Alloc:
		return storedInto(v)
	case *ssa.Slice:
		if alloc, ok := v.X.(*ssa.Alloc); ok { // the variadic futures of JoinAll or Race
			var out []ssa.Value
			for _, st := range storedInto(alloc) {
				out = append(out, fc.futureSources(st, seen)...)
			}
			return out
		}
	case *ssa.Call:
		common := v.Common()
		if e := fc.api.CallEntry(common); e != nil {
			if e.Spawn != asyncapi.NoSpawn {
				return nil // spawned inside the constructor: checked there
			}
			var out []ssa.Value
			for _, a := range common.Args {
				out = append(out, fc.futureSources(a, seen)...)
			}
			return out
		}
		var out []ssa.Value
		for _, i := range fc.paramsOf(asyncapi.Callee(common)) {
			if i < len(common.Args) {
				out = append(out, common.Args[i])
			}
		}
		return out
	}
	return nil
}

// storedInto returns the values stored into alloc or its fields and elements:
// the contents of a composite literal.
func storedInto(alloc *ssa.Alloc) []ssa.Value {
	var out []ssa.Value
	var walk func(addr ssa.Value, depth int)
	walk = func(addr ssa.Value, depth int) {
		if depth > 3 || addr.Referrers() == nil {
			return
		}
		for _, u := range *addr.Referrers() {
			switch u := u.(type) {
			case *ssa.Store:
				if u.Addr == addr {
					out = append(out, u.Val)
				}
			case *ssa.FieldAddr:
				walk(u, depth+1)
			case *ssa.IndexAddr:
				walk(u, depth+1)
			case *ssa.Slice:
				walk(u, depth+1) // variadic arguments: a slice of an array literal
			}
		}
	}
	walk(alloc, 0)
	return out
}

// paramsIn returns the indices of fn's parameters that v derives from: the
// parameter itself, a conversion, field or load of it, or a heap cell
// holding it (a captured parameter that is reassigned).
func paramsIn(fn *ssa.Function, v ssa.Value) []int {
	var out []int
	seen := make(map[ssa.Value]bool)
	var walk func(v ssa.Value)
	walk = func(v ssa.Value) {
		if v == nil || seen[v] {
			return
		}
		seen[v] = true
		if _, plain := v.Type().Underlying().(*types.Basic); plain {
			if _, isParam := v.(*ssa.Parameter); !isParam {
				return // a copied number or string shares nothing with the argument
			}
		}
		switch v := v.(type) {
		case *ssa.Parameter:
			if i := slices.Index(fn.Params, v); i >= 0 {
				out = append(out, i)
			}
		case *ssa.Alloc:
			for _, s := range storedInto(v) {
				walk(s)
			}
		case *ssa.UnOp:
			walk(v.X)
		case *ssa.FieldAddr:
			walk(v.X)
		case *ssa.Field:
			walk(v.X)
		case *ssa.MakeInterface:
			walk(v.X)
		case *ssa.ChangeInterface:
			walk(v.X)
		case *ssa.ChangeType:
			walk(v.X)
		case *ssa.Convert:
			walk(v.X)
		case *ssa.Slice:
			walk(v.X)
		case *ssa.Phi:
			for _, e := range v.Edges {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}
