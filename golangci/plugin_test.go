package golangci

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/asynclint/asynclint/internal/checks"
)

func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin(Name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(nil)
	if err != nil {
		t.Fatalf("no settings: %v", err)
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("load mode: got %q, want %q", got, register.LoadModeTypesInfo)
	}
}

func analyzerNames(t *testing.T, settings any) []string {
	t.Helper()
	p, err := New(settings)
	if err != nil {
		t.Fatalf("New(%v): %v", settings, err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range as {
		names = append(names, a.Name)
	}
	return names
}

func TestDefaultsRunEveryCheck(t *testing.T) {
	got := analyzerNames(t, nil)
	want := append(checks.Names(), "directives")
	if !slices.Equal(got, want) {
		t.Errorf("analyzers: got %v, want %v", got, want)
	}
	if empty := analyzerNames(t, map[string]any{}); !slices.Equal(empty, want) {
		t.Errorf("analyzers for empty settings: got %v, want %v", empty, want)
	}
}

// TestDisable also proves that instances are independent: a plugin built
// with disable does not change what a later default plugin runs.
func TestDisable(t *testing.T) {
	for _, check := range checks.Names() {
		got := analyzerNames(t, map[string]any{"disable": []any{check}})
		if slices.Contains(got, check) {
			t.Errorf("disable %s: still runs; analyzers %v", check, got)
		}
		if !slices.Contains(got, "directives") {
			t.Errorf("disable %s: the directives analyzer must always run; analyzers %v", check, got)
		}
		if def := analyzerNames(t, nil); !slices.Contains(def, check) {
			t.Errorf("after a plugin disabled %s, a default plugin lacks it: %v", check, def)
		}
	}
}

// TestInstancesShareNoAnalyzers guards against settings leaking through a
// shared *analysis.Analyzer: only the setting-free directives analyzer may
// be shared.
func TestInstancesShareNoAnalyzers(t *testing.T) {
	a, _ := New(nil)
	b, _ := New(map[string]any{"unawaited": map[string]any{"strict": true}})
	as, _ := a.BuildAnalyzers()
	bs, _ := b.BuildAnalyzers()
	for _, x := range as {
		if x.Name != "directives" && slices.Contains(bs, x) {
			t.Errorf("analyzer %s is shared between plugin instances", x.Name)
		}
	}
}

func TestEverySettingDecodes(t *testing.T) {
	// The shape golangci-lint hands over for the README's example: YAML
	// decoded into maps and []any, keys lowercased by viper.
	settings := map[string]any{
		"disable":   []any{"sendcheck"},
		"unawaited": map[string]any{"strict": true},
		"blockingcall": map[string]any{
			"level":     "strict",
			"functions": []any{map[string]any{"func": "example.com/legacy.Fetch", "hint": "use legacy.FetchAsync"}},
			"allow":     []any{"(*example.com/cache.Cache).Get"},
			"offload":   []any{"example.com/pool.Go"},
		},
		"lockacrossawait": map[string]any{
			"mustnothold": []any{map[string]any{"type": "example.com/trace.Region", "reason": "regions must end on the goroutine that began them"}},
		},
		"sendcheck": map[string]any{
			"nosend": []any{map[string]any{"type": "example.com/gl.Context", "reason": "bound to its OS thread"}},
			"unsafe": []any{map[string]any{"type": "example.com/stats.Counter"}},
		},
	}
	p, err := New(settings)
	if err != nil {
		t.Fatal(err)
	}
	cfg := p.(*Plugin).cfg
	if !cfg.Unawaited.Strict || cfg.Blockingcall.Level != "strict" ||
		len(cfg.Blockingcall.Functions) != 1 || cfg.Blockingcall.Functions[0].Hint != "use legacy.FetchAsync" ||
		len(cfg.Blockingcall.Allow) != 1 || len(cfg.Blockingcall.Offload) != 1 ||
		len(cfg.Lockacrossawait.MustNotHold) != 1 || cfg.Lockacrossawait.MustNotHold[0].Reason == "" ||
		len(cfg.Sendcheck.NoSend) != 1 || len(cfg.Sendcheck.Unsafe) != 1 ||
		!slices.Equal(cfg.Disable, []string{"sendcheck"}) {
		t.Errorf("decoded config lost a setting: %+v", cfg)
	}
}

func TestBadSettings(t *testing.T) {
	for _, tc := range []struct {
		settings any
		want     string // substring of the error
	}{
		{map[string]any{"disabled": []any{"unawaited"}}, `unknown key "disabled" (known at this level: blockingcall, disable, lockacrossawait, sendcheck, unawaited)`},
		{map[string]any{"unawaited": map[string]any{"stirct": true}}, `unknown key "unawaited.stirct" (known at this level: strict)`},
		{map[string]any{"blockingcall": map[string]any{"functions": []any{
			map[string]any{"func": "a.B"},
			map[string]any{"func": "a.C", "hnit": "x"},
		}}}, `unknown key "blockingcall.functions[1].hnit" (known at this level: func, hint)`},
		{map[string]any{"sendcheck": map[string]any{"nosend": []any{map[string]any{"type": "T"}}}}, `sendcheck.nosend[0].type`},
		{map[string]any{"disable": []any{"unawaitd"}}, `unknown check "unawaitd"`},
		{map[string]any{"blockingcall": map[string]any{"level": "paranoid"}}, `blockingcall.level`},
		{map[string]any{"unawaited": map[string]any{"strict": "yes"}}, `strict`},
		{[]any{"unawaited"}, `want a mapping`},
	} {
		_, err := New(tc.settings)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%v): got error %v, want one containing %q", tc.settings, err, tc.want)
		}
	}
}

// TestSettingsStayInTheirInstance runs two plugin instances on the fixture:
// a function declared blocking in one instance's settings must not become
// blocking for the other, whichever was built first.
func TestSettingsStayInTheirInstance(t *testing.T) {
	configured, err := New(map[string]any{"blockingcall": map[string]any{
		"functions": []any{map[string]any{"func": "example.com/fixture.legacyFetch", "hint": "use the async client"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Build both sets of analyzers before running either, so that a
	// setting stored in a package variable would reach the plain set.
	configuredAnalyzers, err := configured.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	plainAnalyzers, err := plain.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	reportsLegacy := func(analyzers []*analysis.Analyzer) bool {
		t.Helper()
		pkgs, err := packages.Load(&packages.Config{
			Mode: packages.LoadAllSyntax,
			Dir:  filepath.Join("testdata", "fixture"),
			Env:  append(os.Environ(), "GOWORK=off"),
		}, ".")
		if err != nil {
			t.Fatal(err)
		}
		graph, err := checker.Analyze(analyzers, pkgs, nil)
		if err != nil {
			t.Fatal(err)
		}
		for act := range graph.All() {
			for _, d := range act.Diagnostics {
				if act.IsRoot && strings.Contains(d.Message, "legacyFetch") {
					return true
				}
			}
		}
		return false
	}
	if reportsLegacy(plainAnalyzers) {
		t.Error("a plugin without settings reports legacyFetch: settings leaked from another instance")
	}
	if !reportsLegacy(configuredAnalyzers) {
		t.Error("the plugin whose settings declare legacyFetch blocking does not report it")
	}
}
