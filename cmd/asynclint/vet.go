package main

import (
	"crypto/sha256"
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
//
// go vet caches a package's result under a key made of the tool's -V=full
// answer, the flags and the inputs, never the content of a file a flag
// names. So -V=full mixes in the content of the file that ASYNCLINT_CONFIG
// names: with the environment variable, editing the configuration reruns
// the checks; with -config, go vet may replay results from before the edit.
func vetMain(args []string) int {
	if slices.Contains(args, "-V=full") || slices.Contains(args, "--V=full") {
		return printVersion(os.Getenv(configEnv))
	}
	configFile := lastFlagValue(args, "config")
	if configFile == "" {
		configFile = os.Getenv(configEnv)
	}
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

// configEnv names the environment variable that gives the configuration
// file when -config does not.
const configEnv = "ASYNCLINT_CONFIG"

// printVersion answers -V=full in the form the go command parses,
// "<name> version devel ... buildID=<id>", where the ID hashes the
// executable and, if it exists, the configuration file.
func printVersion(configFile string) int {
	self, err := selfDigest()
	if err != nil {
		fmt.Fprintln(os.Stderr, "asynclint:", err)
		return 1
	}
	h := sha256.New()
	h.Write(self)
	if configFile != "" {
		data, _ := os.ReadFile(configFile)
		fmt.Fprintf(h, "%s %d\n", configFile, len(data))
		h.Write(data)
	}
	fmt.Printf("%s version devel asynclint buildID=%x\n", filepath.Base(os.Args[0]), h.Sum(nil))
	return 0
}

func exePath() string {
	exe, err := os.Executable()
	if err != nil {
		return os.Args[0]
	}
	return exe
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
