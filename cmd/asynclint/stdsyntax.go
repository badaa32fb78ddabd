package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
)

// Standard-library packages are type-checked only because their
// importers need their types, and checks with facts visit every dependency.
// No check looks into the standard library's function bodies (its blocking
// behaviour comes from a curated table), so the streaming driver
// type-checks them with IgnoreFuncBodies, and parseDecls drops the bodies
// as soon as a file is parsed, so that they are never held at all. On the
// repository's analysistest module (457 findings, unchanged), this took CPU
// time from 2.8-3.0 s to 1.4-1.5 s and peak RSS from 450-514 MB to
// 227-252 MB under the go/packages loader.
//
// Standard packages named on the command line ("asynclint std") keep their
// bodies: see mayBeRoot.
//
// The type checker insists on a body for init functions and generic
// functions even when it ignores bodies: they keep an empty one.

// stdParser parses the files of one GOROOT.
type stdParser struct {
	src string // GOROOT/src with a trailing separator
}

// stdParserFor returns the stdParser of a GOROOT, which the go command
// that lists the packages names; without one, no file is standard.
func stdParserFor(goroot string) *stdParser {
	if goroot == "" {
		return &stdParser{}
	}
	return &stdParser{src: filepath.Join(goroot, "src") + string(filepath.Separator)}
}

// goEnv returns the go command's environment; empty when the go command
// cannot tell.
func goEnv() map[string]string {
	env := make(map[string]string)
	out, err := exec.Command("go", "env", "-json").Output()
	if err != nil || json.Unmarshal(out, &env) != nil {
		return map[string]string{}
	}
	return env
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

// parseDecls parses a file without its function bodies, for a package
// whose bodies nobody looks into.
func parseDecls(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return f, err
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		if fd.Recv == nil && fd.Name.Name == "init" || fd.Type.TypeParams.NumFields() > 0 {
			fd.Body.List = nil
		} else {
			fd.Body = nil
		}
	}
	return f, nil
}
