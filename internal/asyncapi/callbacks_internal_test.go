package asyncapi

import (
	"go/types"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestCallbackTableResolves checks that every entry of syncCallbacks names
// a function or method that exists, spelled as types.Func.FullName spells
// it, so that a typo cannot silently disable an entry.
func TestCallbackTableResolves(t *testing.T) {
	byPkg := make(map[string][]string)
	for name := range syncCallbacks {
		byPkg[pkgOf(name)] = append(byPkg[pkgOf(name)], name)
	}
	var paths []string
	for p := range byPkg {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes}, paths...)
	if err != nil {
		t.Fatal(err)
	}
	found := make(map[string]bool)
	for _, pkg := range pkgs {
		if pkg.Types == nil {
			t.Errorf("%s: no types: %v", pkg.PkgPath, pkg.Errors)
			continue
		}
		scope := pkg.Types.Scope()
		for _, n := range scope.Names() {
			switch obj := scope.Lookup(n).(type) {
			case *types.Func:
				found[obj.FullName()] = true
			case *types.TypeName:
				if named, ok := obj.Type().(*types.Named); ok {
					for m := range named.Methods() {
						found[m.FullName()] = true
					}
				}
			}
		}
	}
	for name := range syncCallbacks {
		if !found[name] {
			t.Errorf("syncCallbacks entry %q names no function", name)
		}
	}
}

// pkgOf returns the package path of a full name: "path/filepath.Walk" or
// "(*sync.Once).Do".
func pkgOf(full string) string {
	full = strings.TrimLeft(full, "(*")
	if i := strings.Index(full, ")"); i >= 0 {
		full = full[:i]
	}
	return full[:strings.LastIndex(full, ".")]
}

func TestCallsBackSynchronously(t *testing.T) {
	once := types.NewPackage("sync", "sync")
	onceType := types.NewNamed(types.NewTypeName(0, once, "Once", nil), types.NewStruct(nil, nil), nil)
	recv := types.NewVar(0, once, "o", types.NewPointer(onceType))
	f := types.NewVar(0, once, "f", types.NewSignatureType(nil, nil, nil, nil, nil, false))
	do := types.NewFunc(0, once, "Do", types.NewSignatureType(recv, nil, nil, types.NewTuple(f), nil, false))
	onceFunc := types.NewFunc(0, once, "OnceFunc", types.NewSignatureType(nil, nil, nil, types.NewTuple(f), types.NewTuple(f), false))
	for _, tc := range []struct {
		fn   *types.Func
		want bool
	}{
		{do, true},
		{onceFunc, false},
		{nil, false},
	} {
		if got := CallsBackSynchronously(tc.fn); got != tc.want {
			t.Errorf("CallsBackSynchronously(%v) = %v, want %v", tc.fn, got, tc.want)
		}
	}
}
