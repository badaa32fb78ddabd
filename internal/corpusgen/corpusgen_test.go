package corpusgen

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateParses(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, "/repo", 3); err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, p := range []string{"p0000", "p0001", "p0002"} {
		pkgs, err := parser.ParseDir(fset, filepath.Join(dir, p), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(pkgs) != 1 {
			t.Errorf("%s: %d packages", p, len(pkgs))
		}
	}
	work, _ := os.ReadFile(filepath.Join(dir, "go.work"))
	if want := "\t/repo\n"; !strings.Contains(string(work), want) {
		t.Errorf("go.work = %q, want it to use %q", work, want)
	}
	if Generate(dir, "/repo", 0) == nil {
		t.Error("Generate(n=0) succeeded")
	}
}
