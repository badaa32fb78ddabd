package unawaited

import (
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// consumesParams is the fact exported for an exported function or method
// that takes futures (a future, or a slice or variadic list of futures): the
// indices of the parameters it consumes on some path. Indices count the
// signature's parameters from 0, without the receiver. A caller that passes
// a future to a parameter not listed has dropped it.
//
// Unexported functions get no fact: another package cannot call them
// statically, and a dynamic call counts as consuming anyway. Exported methods
// of unexported types do get one, since a value of such a type can be
// returned to another package and its methods called there.
type consumesParams struct {
	Indices []int // ascending, so that the gob encoding is deterministic
}

func (*consumesParams) AFact() {}

func (f *consumesParams) String() string {
	parts := make([]string, len(f.Indices))
	for i, idx := range f.Indices {
		parts[i] = strconv.Itoa(idx)
	}
	return "consumes(" + strings.Join(parts, ",") + ")"
}

// consumes reports whether the fact lists parameter i.
func (f *consumesParams) consumes(i int) bool {
	for _, idx := range f.Indices {
		if idx == i {
			return true
		}
	}
	return false
}

// exportFacts exports consumesParams for each exported package-level
// function and method whose signature takes futures.
func (c *checker) exportFacts(funcs []*ssa.Function) {
	for _, fn := range funcs {
		obj, ok := fn.Object().(*types.Func)
		if !ok || fn.Parent() != nil || !obj.Exported() || obj.Pkg() != c.pass.Pkg {
			continue
		}
		sig := obj.Signature()
		offset := 0
		if sig.Recv() != nil {
			offset = 1 // SSA lists the receiver as Params[0]
		}
		takesFutures := false
		fact := new(consumesParams)
		sum := c.summary[fn]
		for i := 0; i < sig.Params().Len(); i++ {
			if !c.holdsFutures(sig.Params().At(i).Type()) {
				continue
			}
			takesFutures = true
			if j := i + offset; j < len(sum) && sum[j] {
				fact.Indices = append(fact.Indices, i)
			}
		}
		if takesFutures {
			c.pass.ExportObjectFact(obj, fact)
		}
	}
}
