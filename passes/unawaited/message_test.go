package unawaited

import (
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// TestMethodName checks the method expressions that name a method whose
// receiver drops a future.
func TestMethodName(t *testing.T) {
	here := types.NewPackage("example.com/here", "here")
	lib := types.NewPackage("example.com/lib", "lib")
	named := func(pkg *types.Package, name string) *types.Named {
		return types.NewNamed(types.NewTypeName(token.NoPos, pkg, name, nil), types.NewStruct(nil, nil), nil)
	}
	local, remote := named(here, "named"), named(lib, "T")
	method := func(n *types.Named, pointer bool, name string) *types.Func {
		var recv types.Type = n
		if pointer {
			recv = types.NewPointer(n)
		}
		sig := types.NewSignatureType(types.NewVar(token.NoPos, nil, "r", recv), nil, nil, nil, nil, false)
		return types.NewFunc(token.NoPos, n.Obj().Pkg(), name, sig)
	}
	c := &checker{pass: &analysis.Pass{Pkg: here}}
	for _, tc := range []struct {
		m    *types.Func
		want string
	}{
		{method(local, false, "Name"), "named.Name"},
		{method(local, true, "Label"), "(*named).Label"},
		{method(remote, false, "Get"), "lib.T.Get"},
		{method(remote, true, "Put"), "(*lib.T).Put"},
	} {
		if got := c.methodName(tc.m); got != tc.want {
			t.Errorf("methodName(%v) = %q, want %q", tc.m, got, tc.want)
		}
	}
}
