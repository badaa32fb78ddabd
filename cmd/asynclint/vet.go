package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/asynclint/asynclint/internal/checks"
	"github.com/asynclint/asynclint/internal/config"
)

// vetMain runs asynclint under go vet. unitchecker owns the protocol, the
// enable flags, each check's own flags, -json and -fix; we only add -config
// and -disable. Both shape which analyzers exist, and unitchecker parses
// flags only after it has the analyzers, so we read those two from args
// first and declare them again (to the same effect) for unitchecker's parse
// and its -flags answer.
func vetMain(args []string) int {
	configFile := lastFlagValue(args, "config")
	disable := lastFlagValue(args, "disable")

	cfg, err := loadConfig(configFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "asynclint:", err)
		if !filepath.IsAbs(configFile) {
			fmt.Fprintln(os.Stderr, "asynclint: go vet runs asynclint in each package's directory: give -config an absolute path")
		}
		return 1
	}
	if disable != "" {
		if err := addDisabled(cfg, disable); err != nil {
			fmt.Fprintln(os.Stderr, "asynclint:", err)
			return 1
		}
	}

	flag.String("config", configFile, "JSON configuration file (give an absolute path under go vet)")
	flag.String("disable", disable, "comma-separated checks not to run")
	unitchecker.Main(checks.Analyzers(cfg)...)
	return 0 // not reached: unitchecker.Main exits
}

// lastFlagValue returns the value of the last -name=value or -name value
// in args, or "" if there is none. Scanning stops at "--" like the flag
// package; the *.cfg file is never a flag value.
func lastFlagValue(args []string, name string) string {
	val := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		n, v, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if n != name {
			continue
		}
		if hasValue {
			val = v
		} else if i+1 < len(args) {
			i++
			val = args[i]
		}
	}
	return val
}

// loadConfig decodes the configuration file, or returns the defaults when
// there is none.
func loadConfig(file string) (*config.Config, error) {
	if file == "" {
		return &config.Config{}, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cfg, err := config.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return cfg, nil
}

// addDisabled adds the comma-separated checks in list to cfg.Disable,
// rejecting names that are not checks.
func addDisabled(cfg *config.Config, list string) error {
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !slices.Contains(config.Checks, name) {
			return fmt.Errorf("-disable: unknown check %q (known: %s)", name, strings.Join(config.Checks, ", "))
		}
		cfg.Disable = append(cfg.Disable, name)
	}
	return nil
}
