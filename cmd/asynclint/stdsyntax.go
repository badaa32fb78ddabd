package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Standard-library packages are loaded from source only because checks
// with facts need every dependency type-checked by the same loader. No
// check looks into the standard library's function bodies (its blocking
// behaviour comes from a curated table), so asynclint parses them without
// bodies: type-checking std then costs a fraction of the full price. On
// the repository's analysistest module (457 findings, unchanged), CPU time
// went from 2.8-3.0 s to 1.4-1.5 s and peak RSS from 450-514 MB to
// 227-252 MB.
//
// Standard packages named on the command line ("asynclint std") keep their
// bodies: see mayBeRoot.
//
// The type checker insists on a few bodies: init functions keep an empty
// one, and generic functions get a bare panic, which needs no return
// statement. Imports used only inside bodies become unused; parseFile
// drops the ones it can name, and forgiveStdImports forgives the rest.

// stdParser parses the files of one GOROOT.
type stdParser struct {
	src string // GOROOT/src with a trailing separator
}

// newStdParser asks the go command that loads the packages for its GOROOT;
// without one, no file is treated as standard.
func newStdParser() *stdParser {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	root := strings.TrimSpace(string(out))
	if err != nil || root == "" {
		return &stdParser{}
	}
	return &stdParser{src: filepath.Join(root, "src") + string(filepath.Separator)}
}

// mayBeRoot reports whether patterns may name standard packages, which
// are then analyzed themselves and need their bodies. Directory patterns
// ("./...", "/abs/dir") outside GOROOT and module paths (whose first
// element has a dot) never do; "std", "all", "cmd", "net/..." may.
func (p *stdParser) mayBeRoot(patterns []string) bool {
	if p.src == "" {
		return true
	}
	for _, pat := range patterns {
		switch {
		case filepath.IsAbs(pat):
			if p.isStd(filepath.Clean(pat) + string(filepath.Separator)) {
				return true
			}
		case pat == "." || pat == ".." || strings.HasPrefix(pat, "./") || strings.HasPrefix(pat, "../"):
			abs, err := filepath.Abs(pat)
			if err != nil || p.isStd(abs+string(filepath.Separator)) {
				return true
			}
		default:
			first, _, _ := strings.Cut(pat, "/")
			if !strings.Contains(first, ".") {
				return true
			}
		}
	}
	return false
}

func (p *stdParser) isStd(filename string) bool {
	return p.src != "" && strings.HasPrefix(filename, p.src)
}

// parseFile is a packages.Config.ParseFile.
func (p *stdParser) parseFile(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	if !p.isStd(filename) {
		return parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments)
	}
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return f, err
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		switch {
		case fd.Recv == nil && fd.Name.Name == "init":
			fd.Body.List = nil // init must have a body; it has no results
		case fd.Type.TypeParams.NumFields() > 0:
			fd.Body.List = []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
				Fun:  ast.NewIdent("panic"),
				Args: []ast.Expr{&ast.BasicLit{Kind: token.INT, Value: "0"}},
			}}}
		default:
			fd.Body = nil
		}
	}
	pruneImports(f)
	return f, nil
}

// pruneImports drops the imports of f that no remaining qualified
// identifier names, guessing each package's name from its path.
func pruneImports(f *ast.File) {
	used := make(map[string]bool)
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	keep := func(spec *ast.ImportSpec) bool {
		if spec.Name != nil {
			return spec.Name.Name == "_" || spec.Name.Name == "." || used[spec.Name.Name]
		}
		p := strings.Trim(spec.Path.Value, `"`)
		if p == "C" || p == "unsafe" && used["unsafe"] {
			return true
		}
		name := path.Base(p)
		if strings.HasPrefix(name, "v") && strings.Trim(name[1:], "0123456789.") == "" {
			name = path.Base(path.Dir(p)) // math/rand/v2 is rand
		}
		return used[name] || !token.IsIdentifier(name) // unsure: keep it; forgiveStdImports copes
	}
	f.Imports = f.Imports[:0]
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		specs := gd.Specs[:0]
		for _, s := range gd.Specs {
			if spec := s.(*ast.ImportSpec); keep(spec) {
				specs = append(specs, spec)
				f.Imports = append(f.Imports, spec)
			}
		}
		gd.Specs = specs
	}
}

// forgiveStdImports removes "imported and not used" errors from standard
// packages, which stdParseFile caused, and recomputes IllTyped, which
// go/packages propagates from dependencies to importers.
func (p *stdParser) forgiveStdImports(pkgs []*packages.Package) {
	if p.src == "" {
		return
	}
	packages.Visit(pkgs, nil, func(pkg *packages.Package) {
		if len(pkg.GoFiles) > 0 && p.isStd(pkg.GoFiles[0]) && len(pkg.Errors) > 0 {
			errs := pkg.Errors[:0]
			for _, e := range pkg.Errors {
				if !(e.Kind == packages.TypeError && strings.Contains(e.Msg, " not used") && strings.Contains(e.Msg, "imported")) {
					errs = append(errs, e)
				}
			}
			pkg.Errors = errs
			if len(errs) == 0 {
				pkg.TypeErrors = nil
			}
		}
		// Visit is post-order: imports are final by now.
		ill := len(pkg.Errors) > 0
		for _, imp := range pkg.Imports {
			ill = ill || imp.IllTyped
		}
		pkg.IllTyped = ill
	})
}
