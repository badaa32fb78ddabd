package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/internal/config"
	"github.com/asynclint/asynclint/internal/directive"
)

// fakeRegistry builds two checks named like real ones, the first with a
// flag bound to its Config field as passes do, then the directives analyzer.
func fakeRegistry(built *[]*config.Config) func(*config.Config) []*analysis.Analyzer {
	return func(cfg *config.Config) []*analysis.Analyzer {
		if cfg == nil {
			cfg = &config.Config{}
		}
		*built = append(*built, cfg)
		var out []*analysis.Analyzer
		if cfg.Enabled("unawaited") {
			a := &analysis.Analyzer{Name: "unawaited", Doc: "unawaited: fake", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
			a.Flags.BoolVar(&cfg.Unawaited.Strict, "strict", cfg.Unawaited.Strict, "also report futures consumed on some paths only")
			out = append(out, a)
		}
		if cfg.Enabled("sendcheck") {
			out = append(out, &analysis.Analyzer{Name: "sendcheck", Doc: "sendcheck: fake", Run: func(*analysis.Pass) (any, error) { return nil, nil }})
		}
		return append(out, directive.Analyzer)
	}
}

func names(as []*analysis.Analyzer) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func TestEnableFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"unawaited", "sendcheck", "directives"}},
		{[]string{"-sendcheck=false"}, []string{"unawaited", "directives"}},
		{[]string{"-sendcheck"}, []string{"sendcheck", "directives"}},
		{[]string{"-sendcheck", "-unawaited=false"}, []string{"sendcheck", "directives"}},
		{[]string{"-disable", "unawaited,sendcheck"}, []string{"directives"}},
	} {
		var built []*config.Config
		opts, err := parseFlagsWith(tc.args, io.Discard, fakeRegistry(&built))
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if got := names(opts.analyzers); !slices.Equal(got, tc.want) {
			t.Errorf("%v: analyzers %v, want %v", tc.args, got, tc.want)
		}
	}
}

// TestCheckFlagsAndConfig checks that -config feeds the analyzers, and
// that a check's own flag given on the command line overrides the file
// whatever the order of the two flags.
func TestCheckFlagsAndConfig(t *testing.T) {
	dir := t.TempDir()
	strict := filepath.Join(dir, "strict.json")
	os.WriteFile(strict, []byte(`{"unawaited": {"strict": true}}`), 0o666)
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"-unawaited.strict"}, true},
		{[]string{"-config", strict}, true},
		{[]string{"-unawaited.strict=false", "-config", strict}, false},
		{[]string{"-config", strict, "-unawaited.strict=false"}, false},
	} {
		var built []*config.Config
		opts, err := parseFlagsWith(tc.args, io.Discard, fakeRegistry(&built))
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if got := opts.analyzers[0].Flags.Lookup("strict").Value.String(); got != map[bool]string{true: "true", false: "false"}[tc.want] {
			t.Errorf("%v: -unawaited.strict is %s, want %v", tc.args, got, tc.want)
		}
		if cfg := built[len(built)-1]; cfg.Unawaited.Strict != tc.want {
			t.Errorf("%v: the analyzers' Config has Strict=%v, want %v", tc.args, cfg.Unawaited.Strict, tc.want)
		}
	}
}

func TestVetInvocation(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"-unawaited.strict", "/tmp/go-build1/b001/vet.cfg"}, true},
		{[]string{"./..."}, false},
		{nil, false},
		{[]string{"help"}, false},
	} {
		if got := isVetInvocation(tc.args); got != tc.want {
			t.Errorf("isVetInvocation(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestLastFlagValue(t *testing.T) {
	args := []string{"-config", "a.json", "-json", "--config=b.json", "-disable=x", "x.cfg"}
	if got := lastFlagValue(args, "config"); got != "b.json" {
		t.Errorf("config = %q, want b.json", got)
	}
	if got := lastFlagValue(args, "disable"); got != "x" {
		t.Errorf("disable = %q, want x", got)
	}
	if got := lastFlagValue(args, "tags"); got != "" {
		t.Errorf("tags = %q, want empty", got)
	}
}
