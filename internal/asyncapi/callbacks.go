package asyncapi

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// syncCallbacks lists the standard-library functions, by types.Func full
// name of the generic origin, that call their function arguments only
// before they return, on the caller's goroutine, and keep no reference to
// them afterwards. A closure passed to one of them runs like a loop body of
// its caller, so it inherits its caller's context.
//
// Each entry was checked against its documentation. Deliberately left out:
//
//   - sync.OnceFunc, OnceValue, OnceValues: they return a function that
//     calls the argument later, wherever that function is called;
//   - (*testing.T).Run, (*testing.B).Run: the subtest may run in parallel
//     with its parent on another goroutine;
//   - strings.FieldsFuncSeq and the other Seq helpers: they return an
//     iterator that keeps the function;
//   - anything that starts goroutines or stores the function (http.HandleFunc,
//     time.AfterFunc, context.AfterFunc, runtime.SetFinalizer).
var syncCallbacks = map[string]bool{
	"(*sync.Once).Do":   true, // no call to Do returns until the one call to f returns
	"(*sync.Map).Range": true,

	"sort.Slice":       true,
	"sort.SliceStable": true,
	"sort.Search":      true,
	"sort.Find":        true,

	"slices.SortFunc":         true,
	"slices.SortStableFunc":   true,
	"slices.IndexFunc":        true,
	"slices.ContainsFunc":     true,
	"slices.DeleteFunc":       true,
	"slices.EqualFunc":        true,
	"slices.CompactFunc":      true,
	"slices.BinarySearchFunc": true,
	"slices.MaxFunc":          true,
	"slices.MinFunc":          true,
	"slices.CompareFunc":      true,

	"maps.DeleteFunc": true,

	"strings.Map":           true,
	"strings.FieldsFunc":    true,
	"strings.IndexFunc":     true,
	"strings.LastIndexFunc": true,
	"strings.TrimFunc":      true,
	"strings.TrimLeftFunc":  true,
	"strings.TrimRightFunc": true,

	"bytes.Map":           true,
	"bytes.FieldsFunc":    true,
	"bytes.IndexFunc":     true,
	"bytes.LastIndexFunc": true,
	"bytes.TrimFunc":      true,
	"bytes.TrimLeftFunc":  true,
	"bytes.TrimRightFunc": true,

	// They block on the file system themselves, but their callback still
	// runs on the caller's goroutine.
	"path/filepath.Walk":    true,
	"path/filepath.WalkDir": true,
}

// CallsBackSynchronously reports whether fn (any instantiation of it) is a
// standard-library function that runs its function arguments before it
// returns, on the caller's goroutine, and does not retain them: a closure
// passed to it runs as part of the caller.
func CallsBackSynchronously(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	return syncCallbacks[fn.Origin().FullName()]
}

// CallbackClosures returns the anonymous functions that call passes as
// arguments to a function that calls them back synchronously, seen through
// a conversion to a named function type: a summary of the calling function
// can include what they do, as for a direct call of a closure. It returns
// nil for a call of any other function, and leaves out function values
// that are not closures of this package. Whether the call itself runs
// here, rather than in a go statement, is for the caller to check.
func CallbackClosures(call *ssa.CallCommon) []*ssa.Function {
	if call == nil || !CallsBackSynchronously(Callee(call)) {
		return nil
	}
	var fns []*ssa.Function
	for _, arg := range call.Args {
		if ct, ok := arg.(*ssa.ChangeType); ok {
			arg = ct.X
		}
		switch v := arg.(type) {
		case *ssa.Function:
			if v.Parent() != nil {
				fns = append(fns, v)
			}
		case *ssa.MakeClosure:
			if fn, ok := v.Fn.(*ssa.Function); ok {
				fns = append(fns, fn)
			}
		}
	}
	return fns
}
