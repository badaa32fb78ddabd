// Package golangci is the golangci-lint v2 module plugin of asynclint. It
// registers one linter, "asynclint", that runs every enabled check; the
// issue text of each diagnostic starts with its check's name
// ("blockingcall: ..."), so that exclusions can select a check by prefix.
//
// Settings are the same Config that the asynclint command reads, decoded
// strictly: an unknown key is an error naming it. See README.md for the
// recommended .golangci.yml and .custom-gcl.yml.
package golangci

import (
	"fmt"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/internal/checks"
	"github.com/asynclint/asynclint/internal/config"
)

// Name is the linter name under which golangci-lint knows the plugin: the
// key under linters.settings.custom, and what //nolint names.
const Name = "asynclint"

func init() {
	register.Plugin(Name, New)
}

// Plugin is one configured instance of the linter. golangci-lint builds one
// per run; its analyzers are built from its own Config, so two instances
// with different settings share nothing.
type Plugin struct {
	cfg *config.Config
}

// New decodes settings, the value of linters.settings.custom.asynclint.settings,
// into a Config. Missing settings mean the defaults.
func New(settings any) (register.LinterPlugin, error) {
	cfg, err := decode(settings)
	if err != nil {
		return nil, err
	}
	return &Plugin{cfg: cfg}, nil
}

// decode accepts what golangci-lint's config layer produces for the
// settings block: nil when it is absent, or a map from YAML.
func decode(settings any) (*config.Config, error) {
	switch s := settings.(type) {
	case nil:
		return config.DecodeMap(nil)
	case map[string]any:
		return config.DecodeMap(s)
	default:
		return nil, fmt.Errorf("asynclint settings: want a mapping of setting keys, got %T", settings)
	}
}

// BuildAnalyzers returns the enabled checks and the directives analyzer.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return checks.Analyzers(p.cfg), nil
}

// GetLoadMode asks for type information: every check needs types, and the
// interprocedural ones use facts from dependencies, which golangci-lint
// computes only in this mode.
func (p *Plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}
