package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/internal/checks"
	"github.com/asynclint/asynclint/internal/config"
	"github.com/asynclint/asynclint/internal/output"
)

// options is the parsed command line of a standalone run.
type options struct {
	analyzers []*analysis.Analyzer // enabled checks, then the directives analyzer
	format    string
	fix       bool
	diff      bool
	tags      string
	tests     bool
	args      []string // packages, or "help" and its arguments
	settings  string   // everything above that changes findings, for the result cache
}

// errUsage marks a command-line mistake: exit 2 after printing usage.
var errUsage = errors.New("usage")

// parseFlags parses a standalone command line.
//
// Analyzers are built from the configuration, but -config is itself a flag,
// and each check's own flags must be bound to the analyzers that run. So the
// flag set is declared against analyzers built from the defaults (every check
// has the same flags whatever its configuration), each -<check>.<flag> value
// is recorded as it is set, and, when a -config file is given, the analyzers
// are built again from it and the recorded values replayed onto them: the
// command line overrides the file.
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	return parseFlagsWith(args, stderr, checks.Analyzers)
}

// parseFlagsWith is parseFlags with the registry as a parameter, for tests.
func parseFlagsWith(args []string, stderr io.Writer, build func(*config.Config) []*analysis.Analyzer) (*options, error) {
	opts := &options{format: "text", tests: true}
	fs := flag.NewFlagSet("asynclint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(fs, stderr) }

	var configFile, disable string
	var jsonFlag bool
	fs.StringVar(&configFile, "config", "", "JSON configuration `file`; unknown keys are an error (default $"+configEnv+")")
	fs.StringVar(&disable, "disable", "", "comma-separated `checks` not to run")
	fs.StringVar(&opts.format, "format", "text", "output `format`: "+strings.Join(output.Formats, ", "))
	fs.BoolVar(&jsonFlag, "json", false, "same as -format json")
	fs.BoolVar(&opts.fix, "fix", false, "apply the first suggested fix of each finding")
	fs.BoolVar(&opts.diff, "diff", false, "print suggested fixes as a unified diff; change no file")
	fs.StringVar(&opts.tags, "tags", "", "comma-separated build `tags`")
	fs.BoolVar(&opts.tests, "test", true, "analyze test files too")

	defaults := build(nil)
	enable := make(map[string]*triState)
	var sets []flagSet // -<check>.<flag> values, in command-line order
	for _, a := range defaults {
		if a.Name == "directives" {
			continue // always runs: a malformed directive would silently suppress nothing
		}
		enable[a.Name] = new(triState)
		fs.Var(enable[a.Name], a.Name, fmt.Sprintf("enable the %s check (-%s=false disables it)", a.Name, a.Name))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(&recordingValue{Value: f.Value, check: a.Name, name: f.Name, sets: &sets}, a.Name+"."+f.Name, f.Usage)
		})
	}

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, flag.ErrHelp
		}
		return nil, errUsage // flag has printed the error and usage
	}
	if jsonFlag {
		opts.format = "json"
	}
	if !slices.Contains(output.Formats, opts.format) {
		return nil, usageError(fs, stderr, "-format: unknown format %q (want one of %s)", opts.format, strings.Join(output.Formats, ", "))
	}
	opts.args = fs.Args()

	if configFile == "" {
		configFile = os.Getenv(configEnv)
	}
	cfg, err := loadConfig(configFile)
	if err != nil {
		return nil, usageError(fs, stderr, "-config: %v", err)
	}
	if err := addDisabled(cfg, disable); err != nil {
		return nil, usageError(fs, stderr, "%v", err)
	}

	analyzers := defaults
	if configFile != "" || disable != "" {
		analyzers = build(cfg)
		for _, s := range sets {
			for _, a := range analyzers {
				if a.Name == s.check {
					if err := a.Flags.Set(s.name, s.value); err != nil {
						return nil, usageError(fs, stderr, "-%s.%s: %v", s.check, s.name, err)
					}
				}
			}
		}
	}
	opts.analyzers = selectEnabled(analyzers, enable)
	opts.settings = settings(cfg, opts)
	return opts, nil
}

// selectEnabled applies the enable flags as go vet and multichecker do: if
// any -<check> is true, only those checks run; otherwise every check that is
// not -<check>=false runs. The directives analyzer always runs.
func selectEnabled(analyzers []*analysis.Analyzer, enable map[string]*triState) []*analysis.Analyzer {
	onlyTrue := false
	for _, ts := range enable {
		onlyTrue = onlyTrue || *ts == setTrue
	}
	var out []*analysis.Analyzer
	for _, a := range analyzers {
		ts, ok := enable[a.Name]
		switch {
		case !ok: // directives
		case onlyTrue && *ts != setTrue:
			continue
		case *ts == setFalse:
			continue
		}
		out = append(out, a)
	}
	return out
}

func usageError(fs *flag.FlagSet, stderr io.Writer, format string, args ...any) error {
	fmt.Fprintf(stderr, "asynclint: "+format+"\n", args...)
	fs.Usage()
	return errUsage
}

// usage prints the synopsis, the exit codes and the flags.
func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprint(w, `asynclint reports async pitfalls in code using github.com/asynclint/asynclint/runtime.

Usage:
  asynclint [flags] [packages]      analyze packages (default ./...)
  asynclint help                    list the checks
  asynclint help <check>            show a check's documentation
  go vet -vettool=$(which asynclint) [packages]

Exit codes:
  0  no findings
  3  findings reported (with -fix: findings remain that no fix resolved)
  1  a package failed to load or type-check, or a check failed
  2  bad flag or usage
Under go vet, go vet sets the exit code: 1 on findings or errors, 0 when clean.

Environment:
  ASYNCLINT_CONFIG  the configuration file when -config is not given
  ASYNCLINT_CACHE   the result cache directory, or "off"
  ASYNCLINT_DEBUG   "cache": report how many packages the result cache served

Flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// flagSet is one -<check>.<flag>=value from the command line.
type flagSet struct{ check, name, value string }

// recordingValue forwards to a check's flag and remembers what was set, to
// replay it onto analyzers rebuilt from a -config file.
type recordingValue struct {
	flag.Value
	check, name string
	sets        *[]flagSet
}

func (v *recordingValue) Set(s string) error {
	if err := v.Value.Set(s); err != nil {
		return err
	}
	*v.sets = append(*v.sets, flagSet{v.check, v.name, s})
	return nil
}

// String is the underlying value's; the flag package also calls it on a
// zero recordingValue to learn the default, hence the nil check.
func (v *recordingValue) String() string {
	if v.Value == nil {
		return ""
	}
	return v.Value.String()
}

func (v *recordingValue) IsBoolFlag() bool {
	b, ok := v.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// triState is a boolean flag that also knows whether it was given.
type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (ts *triState) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("want true or false")
	}
	*ts = setFalse
	if b {
		*ts = setTrue
	}
	return nil
}

func (ts *triState) String() string {
	if ts != nil && *ts == setFalse {
		return "false"
	}
	return "true"
}

func (ts *triState) IsBoolFlag() bool { return true }

// settings describes the configuration of a run: the checks that run, their
// configuration and flags, the build tags and whether tests are included.
func settings(cfg *config.Config, opts *options) string {
	var b strings.Builder
	if data, err := json.Marshal(cfg); err == nil {
		b.Write(data)
	}
	fmt.Fprintf(&b, "\ntags=%q tests=%t\n", opts.tags, opts.tests)
	for _, a := range opts.analyzers {
		b.WriteString(a.Name)
		a.Flags.VisitAll(func(f *flag.Flag) { fmt.Fprintf(&b, " %s=%q", f.Name, f.Value) })
		b.WriteString("\n")
	}
	return b.String()
}
