package asyncapi_test

import (
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/testutil"
)

// probe reports what asyncapi says about every function and call in the
// package, so that testdata/asyncapi/model states the model as // want lines.
var probe = funcProbe("probe", func(pass *analysis.Pass, res *asyncapi.Result, fn *ssa.Function) {
	api := res.API
	ctx := res.Contexts()
	if fn.Synthetic != "" && !asyncapi.IsRangeBody(fn) || !fn.Pos().IsValid() {
		return
	}
	if c := ctx[fn]; c != asyncapi.NoContext || fn.Parent() != nil {
		pass.Reportf(fn.Pos(), "context %s", c)
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			common := call.Common()
			if _, isGo := instr.(*ssa.Go); isGo {
				continue
			}
			var notes []string
			if v := call.Value(); v != nil && fn.Parent() == nil && fn.Name() == "futures" || v != nil && api.IsFuture(v.Type()) {
				name := "?"
				if callee := asyncapi.Callee(common); callee != nil {
					name = callee.Name()
					if callee.Pkg() == api.Package() {
						name = "runtime." + name
					}
				}
				if api.IsFuture(v.Type()) {
					notes = append(notes, "future "+name)
				} else {
					notes = append(notes, "notfuture "+name)
				}
			}
			if e := api.CallEntry(common); e != nil && e.Spawn == asyncapi.SpawnAnywhere {
				notes = append(notes, "spawn anywhere")
			}
			if e := api.CallEntry(common); e != nil && !e.Suspends && (e.Name == "Sleep" || e.Name == "YieldNow" || e.Name == "Async") {
				notes = append(notes, "entry "+e.Name)
			}
			switch s, callee := api.Suspension(common); s {
			case asyncapi.Suspends:
				notes = append(notes, "suspends "+api.CallEntry(common).Name)
			case asyncapi.AskFact:
				notes = append(notes, "askfact "+callee.Name())
			case asyncapi.Inline:
				notes = append(notes, "inline")
			case asyncapi.MaySuspend:
				notes = append(notes, "maysuspend")
			case asyncapi.NoSuspend:
				if e := api.CallEntry(common); e != nil && strings.Contains(e.Name, ".") {
					notes = append(notes, "nosuspend "+e.Name)
				} else if callee := asyncapi.Callee(common); callee != nil && callee.Name() == "quiet" {
					notes = append(notes, "nosuspend quiet")
				}
			}
			for _, n := range notes {
				pass.Reportf(instr.Pos(), "%s", n)
			}
		}
	}
})

// funcProbe returns a test analyzer that calls each for every source
// function of the package with asyncapi's result, so that testdata states
// what asyncapi says as // want lines.
func funcProbe(name string, each func(pass *analysis.Pass, res *asyncapi.Result, fn *ssa.Function)) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     name,
		Doc:      name + ": report asyncapi's view of each function",
		Requires: []*analysis.Analyzer{asyncapi.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			res := pass.ResultOf[asyncapi.Analyzer].(*asyncapi.Result)
			_, funcs := res.SSA()
			for _, fn := range funcs {
				each(pass, res, fn)
			}
			return nil, nil
		},
	}
}

func TestModel(t *testing.T) {
	analysistest.Run(t, testutil.TestData(t), probe, "./asyncapi/model")
}

func TestNoRuntime(t *testing.T) {
	if api := asyncapi.For(types.NewPackage("example.com/x", "x")); api != nil {
		t.Fatalf("For(package without runtime) = %v, want nil", api)
	}
	var api *asyncapi.API // nil API: everything is false, nothing panics
	if api.IsFuture(types.Typ[types.Int]) || api.IsTask(nil) || api.Lookup(nil) != nil {
		t.Error("nil API recognized something")
	}
}
