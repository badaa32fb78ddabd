// Package config is the one configuration type of asynclint, shared by the
// command-line flags, the golangci-lint plugin settings and JSON config
// files. Analyzers are built from a Config (each pass has New(*Config)), so
// two plugin instances with different settings never share state.
//
// Keys are lowercase and lists hold objects, never maps keyed by identifiers:
// golangci-lint's config layer lowercases keys and splits them on dots.
package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/types"
	"io"
	"slices"
	"strings"
)

// Config configures every asynclint check.
type Config struct {
	// Disable lists checks that do not run.
	Disable []string `json:"disable,omitempty"`

	Unawaited       Unawaited       `json:"unawaited"`
	Blockingcall    Blockingcall    `json:"blockingcall"`
	Lockacrossawait Lockacrossawait `json:"lockacrossawait"`
	Sendcheck       Sendcheck       `json:"sendcheck"`
}

// Unawaited configures the unawaited check.
type Unawaited struct {
	// Strict also reports futures that are consumed on some paths but not
	// on all of them.
	Strict bool `json:"strict,omitempty"`
}

// Blockingcall configures the blockingcall check.
type Blockingcall struct {
	// Level is "default" or "strict"; strict also reports may-block calls
	// (sync.Mutex.Lock, os.Open, ...) inside tasks.
	Level string `json:"level,omitempty"`
	// Functions are extra blocking functions, with a hint for the message.
	Functions []FuncHint `json:"functions,omitempty"`
	// Allow lists functions never reported as blocking, and never followed.
	Allow []string `json:"allow,omitempty"`
	// Offload lists functions whose function-literal arguments run off the
	// worker, like runtime.SpawnBlocking.
	Offload []string `json:"offload,omitempty"`
}

// Lockacrossawait configures the lockacrossawait check.
type Lockacrossawait struct {
	// MustNotHold lists extra types whose values must not be held across an
	// await, with the reason shown in the message.
	MustNotHold []TypeReason `json:"mustnothold,omitempty"`
}

// Sendcheck configures the sendcheck check.
type Sendcheck struct {
	// NoSend lists extra types bound to their worker, like runtime.NoSend.
	NoSend []TypeReason `json:"nosend,omitempty"`
	// Unsafe lists extra types that are not safe for concurrent use.
	Unsafe []TypeReason `json:"unsafe,omitempty"`
}

// FuncHint names a function and what to use instead.
type FuncHint struct {
	Func string `json:"func"` // "example.com/lib.Fetch" or "(*example.com/lib.Client).Do"
	Hint string `json:"hint,omitempty"`
}

// TypeReason names a type and why it is listed.
type TypeReason struct {
	Type   string `json:"type"` // "example.com/lib.Span"
	Reason string `json:"reason,omitempty"`
}

// Checks are the names Disable may use.
var Checks = []string{"unawaited", "blockingcall", "lockacrossawait", "sendcheck"}

// Decode reads a Config from JSON, rejecting unknown keys (named by their
// full path, with the keys valid there), and validates it.
func Decode(r io.Reader) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("asynclint config: %w", err)
	}
	return decode(data, "asynclint config")
}

// DecodeMap converts settings decoded from YAML (golangci-lint's
// map[string]any) into a Config, rejecting unknown keys.
func DecodeMap(settings map[string]any) (*Config, error) {
	data, err := json.Marshal(settings)
	if err != nil {
		return nil, fmt.Errorf("asynclint settings: %w", err)
	}
	return decode(data, "asynclint settings")
}

// decode decodes and validates data; prefix says where it came from.
func decode(data []byte, prefix string) (*Config, error) {
	var raw any
	if err := json.Unmarshal(data, &raw); err == nil {
		if err := unknownKey(raw); err != nil {
			return nil, fmt.Errorf("%s: %w", prefix, err)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", prefix, err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate reports the first malformed setting, naming it.
func (c *Config) Validate() error {
	for _, d := range c.Disable {
		if !slices.Contains(Checks, d) {
			return fmt.Errorf("asynclint config: disable: unknown check %q (known: %s)", d, strings.Join(Checks, ", "))
		}
	}
	switch c.Blockingcall.Level {
	case "", "default", "strict":
	default:
		return fmt.Errorf("asynclint config: blockingcall.level: %q is not default or strict", c.Blockingcall.Level)
	}
	for i, f := range c.Blockingcall.Functions {
		if err := ValidFunc(f.Func); err != nil {
			return fmt.Errorf("asynclint config: blockingcall.functions[%d].func: %v", i, err)
		}
	}
	for i, f := range c.Blockingcall.Allow {
		if err := ValidFunc(f); err != nil {
			return fmt.Errorf("asynclint config: blockingcall.allow[%d]: %v", i, err)
		}
	}
	for i, f := range c.Blockingcall.Offload {
		if err := ValidFunc(f); err != nil {
			return fmt.Errorf("asynclint config: blockingcall.offload[%d]: %v", i, err)
		}
	}
	for name, list := range map[string][]TypeReason{
		"lockacrossawait.mustnothold": c.Lockacrossawait.MustNotHold,
		"sendcheck.nosend":            c.Sendcheck.NoSend,
		"sendcheck.unsafe":            c.Sendcheck.Unsafe,
	} {
		for i, tr := range list {
			if err := ValidType(tr.Type); err != nil {
				return fmt.Errorf("asynclint config: %s[%d].type: %v", name, i, err)
			}
		}
	}
	return nil
}

// Enabled reports whether check is not disabled.
func (c *Config) Enabled(check string) bool {
	return c == nil || !slices.Contains(c.Disable, check)
}

// ValidFunc checks the spelling of a function name as types.Func.FullName
// prints it: "pkg/path.Func" or "(*pkg/path.Type).Method" or
// "(pkg/path.Type).Method".
func ValidFunc(s string) error {
	if s == "" {
		return fmt.Errorf("empty function name")
	}
	name := s
	if strings.HasPrefix(s, "(") {
		recv, meth, ok := strings.Cut(s[1:], ").")
		if !ok || meth == "" || strings.ContainsAny(meth, "./()") {
			return fmt.Errorf("%q: want (*pkg/path.Type).Method", s)
		}
		name = strings.TrimPrefix(recv, "*")
	}
	dot := strings.LastIndex(name, ".")
	if dot <= 0 || dot == len(name)-1 || strings.ContainsAny(name[dot+1:], "/()*") {
		return fmt.Errorf("%q: want pkg/path.Func or (*pkg/path.Type).Method", s)
	}
	return nil
}

// ValidType checks the spelling of a type name: "pkg/path.Type".
func ValidType(s string) error {
	dot := strings.LastIndex(s, ".")
	if dot <= 0 || dot == len(s)-1 || strings.ContainsAny(s[dot+1:], "/()*[") || strings.HasPrefix(s, "*") {
		return fmt.Errorf("%q: want pkg/path.Type", s)
	}
	return nil
}

// FuncName returns fn's name in the spelling the config uses, for generic
// functions and methods that of their origin.
func FuncName(fn *types.Func) string {
	return fn.Origin().FullName()
}

// TypeName returns the config spelling of a named type, "pkg/path.Type", or
// "" for unnamed types.
func TypeName(t types.Type) string {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name()
}
