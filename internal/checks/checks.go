// Package checks is the registry of asynclint's analyzers, shared by
// cmd/asynclint and the golangci-lint plugin so that both run the same set,
// configured the same way.
package checks

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/internal/config"
	"github.com/asynclint/asynclint/internal/directive"
	"github.com/asynclint/asynclint/passes/blockingcall"
	"github.com/asynclint/asynclint/passes/lockacrossawait"
	"github.com/asynclint/asynclint/passes/sendcheck"
	"github.com/asynclint/asynclint/passes/unawaited"
)

// constructors builds each check from a Config, in the order checks are
// listed in help output. Each pass package provides New(*config.Config).
var constructors = []struct {
	name string
	new  func(*config.Config) *analysis.Analyzer
}{
	{"unawaited", unawaited.New},
	{"blockingcall", blockingcall.New},
	{"lockacrossawait", lockacrossawait.New},
	{"sendcheck", sendcheck.New},
}

// Analyzers returns the enabled checks configured by cfg (nil means the
// defaults), followed by the directives analyzer, which always runs.
// Every call builds fresh analyzers: instances never share settings.
func Analyzers(cfg *config.Config) []*analysis.Analyzer {
	if cfg == nil {
		cfg = &config.Config{}
	}
	var out []*analysis.Analyzer
	for _, c := range constructors {
		if cfg.Enabled(c.name) {
			out = append(out, c.new(cfg))
		}
	}
	return append(out, directive.Analyzer)
}

// Names returns the names of all checks, enabled or not.
func Names() []string {
	names := make([]string, len(constructors))
	for i, c := range constructors {
		names[i] = c.name
	}
	return names
}

// NewTypesInfo returns the types.Info a type-checker fills for the checks:
// every map that go/analysis passes may read.
func NewTypesInfo() *types.Info {
	return &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
}
