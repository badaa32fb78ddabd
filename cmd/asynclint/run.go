package main

import (
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/asynclint/asynclint/internal/output"
)

// debugEnv lists debugging outputs to enable: "cache" reports how many
// packages the result cache served.
const debugEnv = "ASYNCLINT_DEBUG"

// debugging reports whether ASYNCLINT_DEBUG asks for the named output.
func debugging(what string) bool {
	return strings.Contains(os.Getenv(debugEnv), what)
}

// Exit codes of a standalone run.
const (
	exitClean    = 0
	exitFailure  = 1 // load, type or analysis error
	exitUsage    = 2
	exitFindings = 3
)

// run is the standalone command: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		return exitUsage
	}
	if len(opts.args) > 0 && opts.args[0] == "help" {
		return help(opts.args[1:], stdout, stderr)
	}
	return analyze(opts, stdout, stderr)
}

// analyze loads the packages, runs the checks and prints the report.
func analyze(opts *options, stdout, stderr io.Writer) int {
	root, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(stderr, "asynclint:", err)
		return exitFailure
	}
	patterns := opts.args
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	rep := &output.Report{Root: root, Version: version(), Checks: describe(opts.analyzers)}

	rep.Findings, rep.Problems, err = analyzeGraph(patterns, opts, relativizer(root), stderr)
	if err != nil {
		fmt.Fprintln(stderr, "asynclint:", err)
		return exitFailure
	}
	rep.Sort()

	code := exitClean
	if len(rep.Findings) > 0 {
		code = exitFindings
	}
	if opts.fix || opts.diff {
		remaining, err := applyFixes(rep, opts.diff, stdout, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "asynclint:", err)
			return exitFailure
		}
		if opts.fix && !opts.diff {
			rep.Findings = remaining
			code = exitClean
			if len(remaining) > 0 {
				code = exitFindings
			}
		}
	}

	output.WriteProblems(stderr, rep)
	if !opts.diff {
		if err := output.Write(stdout, opts.format, rep); err != nil {
			fmt.Fprintln(stderr, "asynclint:", err)
			return exitFailure
		}
	}
	if len(rep.Problems) > 0 {
		return exitFailure
	}
	return code
}

// load lists the packages named by patterns and their dependencies: names,
// files and imports, no syntax or types, which the streaming driver
// produces package by package. Only a run that type-checks needs the files
// the compiler sees (cgo's output) and the type sizes; asking the go command
// for them costs a third of a listing, which a run served by the result
// cache does without.
func load(patterns []string, opts *options, typeCheck bool) ([]*packages.Package, error) {
	mode := packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule
	if typeCheck {
		mode |= packages.NeedCompiledGoFiles | packages.NeedTypesSizes
	}
	cfg := &packages.Config{Mode: mode, Tests: opts.tests}
	if opts.tags != "" {
		cfg.BuildFlags = []string{"-tags=" + opts.tags}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	return pkgs, nil
}

// analyzeGraph analyzes the packages named by patterns and returns their
// findings and every problem met on the way: load, parse and type errors,
// and failed passes. When the result cache holds every package of the
// graph, the findings come from it; otherwise the graph is listed again for
// type checking and streamed. A finding that a package and its test variant
// both produce is kept once; a pass failure that merely follows from a
// package's errors (already reported) is not repeated.
func analyzeGraph(patterns []string, opts *options, rel func(string) string, stderr io.Writer) ([]output.Finding, []output.Problem, error) {
	type key struct {
		check     string
		posn, end output.Position
		message   string
	}
	var (
		mu       sync.Mutex
		seen     = make(map[key]bool)
		findings []output.Finding
		failures []output.Problem
	)
	env := goEnv()
	newStreamer := func(cache *resultCache) *streamer {
		s := &streamer{
			analyzers: opts.analyzers,
			factful:   factful(opts.analyzers),
			fset:      token.NewFileSet(),
			cache:     cache,
			onFindings: func(u *unit, found []output.Finding) {
				mu.Lock()
				defer mu.Unlock()
				for _, f := range found {
					f = relFinding(f, rel)
					k := key{f.Check, f.Posn, f.End, f.Message}
					if !seen[k] {
						seen[k] = true
						findings = append(findings, f)
					}
				}
			},
			onFailure: func(u *unit, a *analysis.Analyzer, err error) {
				mu.Lock()
				defer mu.Unlock()
				failures = append(failures, output.Problem{Message: fmt.Sprintf("%s: %s: %v", a.Name, u.pkg.PkgPath, err)})
			},
		}
		if std := stdParserFor(env["GOROOT"]); !std.mayBeRoot(patterns) {
			s.std = std
		}
		return s
	}
	listings := 0
	debug := func(s *streamer) {
		if s.cache != nil && debugging("cache") {
			fmt.Fprintf(stderr, "asynclint: result cache %s: %d packages reused, %d analyzed, %d listings\n", s.cache.dir, s.reused.Load(), s.analyzed.Load(), listings)
		}
	}

	var cache *resultCache
	if os.Getenv(cacheEnv) != "off" {
		cache = openCache(opts.settings, env)
	}
	if cache != nil {
		var pkgs []*packages.Package
		var listingKey cacheKey
		keepListing := listable(patterns)
		if keepListing {
			listingKey = cache.listingKey(patterns, opts, env)
			pkgs = cache.loadListing(listingKey)
		}
		if pkgs == nil {
			var err error
			pkgs, err = load(patterns, opts, false)
			listings++
			if err != nil {
				return nil, nil, err
			}
			if keepListing {
				cache.storeListing(listingKey, patterns, pkgs, env)
			}
		}
		if s := newStreamer(cache); s.replay(pkgs) {
			debug(s)
			return findings, nil, nil
		}
	}
	pkgs, err := load(patterns, opts, true)
	listings++
	if err != nil {
		return nil, nil, err
	}
	s := newStreamer(cache)
	s.stream(pkgs)
	debug(s)
	return findings, append(packageProblems(pkgs, rel), failures...), nil
}

// packageProblems returns the load, parse and type errors of pkgs and their
// dependencies, once each. go/packages reports an error twice when a file
// belongs to a package and its test variant, and the go command may report
// a compile error itself, as "# pkg" and the compiler's lines, next to the
// type checker's positioned copy: such a message is dropped when every line
// of it is already reported.
func packageProblems(pkgs []*packages.Package, rel func(string) string) []output.Problem {
	seen := make(map[output.Problem]bool)
	var positioned, bare []output.Problem
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			prob := output.Problem{Posn: relPosn(e.Pos, rel), Message: e.Msg}
			if seen[prob] {
				continue
			}
			seen[prob] = true
			if prob.Posn != "" {
				positioned = append(positioned, prob)
			} else {
				bare = append(bare, prob)
			}
		}
	})
	known := make(map[string]bool)
	for _, p := range positioned {
		known[p.Posn+": "+p.Message] = true
	}
	out := positioned
	for _, p := range bare {
		redundant := true
		for _, line := range strings.Split(p.Message, "\n") {
			if !strings.HasPrefix(line, "# ") && !known[relPosnPrefix(line, rel)] {
				redundant = false
			}
		}
		if !redundant {
			out = append(out, p)
		}
	}
	return out
}

// relPosnPrefix applies rel to the position at the start of a compiler
// message line, "file:line:col: message".
func relPosnPrefix(line string, rel func(string) string) string {
	file, rest, ok := strings.Cut(line, ": ")
	if !ok {
		return line
	}
	return relPosn(file, rel) + ": " + rest
}

func finding(fset *token.FileSet, check string, d analysis.Diagnostic, rel func(string) string) output.Finding {
	f := output.Finding{
		Check:    check,
		Category: d.Category,
		Posn:     position(fset, d.Pos, rel),
		Message:  d.Message,
	}
	f.End = f.Posn
	if d.End.IsValid() {
		f.End = position(fset, d.End, rel)
	}
	for _, r := range d.Related {
		or := output.Related{Posn: position(fset, r.Pos, rel), Message: r.Message}
		or.End = or.Posn
		if r.End.IsValid() {
			or.End = position(fset, r.End, rel)
		}
		f.Related = append(f.Related, or)
	}
	for _, sf := range d.SuggestedFixes {
		fix := output.Fix{Message: sf.Message}
		for _, e := range sf.TextEdits {
			start := position(fset, e.Pos, rel)
			end := start
			if e.End.IsValid() {
				end = position(fset, e.End, rel)
			}
			fix.Edits = append(fix.Edits, output.Edit{File: start.File, Start: start, End: end, New: string(e.NewText)})
		}
		f.Fixes = append(f.Fixes, fix)
	}
	return f
}

// identity is the rel of absolute file names.
func identity(file string) string { return file }

// relFinding applies rel to every file name of f.
func relFinding(f output.Finding, rel func(string) string) output.Finding {
	relPos := func(p *output.Position) { p.File = rel(p.File) }
	relPos(&f.Posn)
	relPos(&f.End)
	f.Related = slices.Clone(f.Related)
	for i := range f.Related {
		relPos(&f.Related[i].Posn)
		relPos(&f.Related[i].End)
	}
	f.Fixes = slices.Clone(f.Fixes)
	for i := range f.Fixes {
		edits := slices.Clone(f.Fixes[i].Edits)
		for j := range edits {
			edits[j].File = rel(edits[j].File)
			relPos(&edits[j].Start)
			relPos(&edits[j].End)
		}
		f.Fixes[i].Edits = edits
	}
	return f
}

func position(fset *token.FileSet, pos token.Pos, rel func(string) string) output.Position {
	p := fset.Position(pos)
	return output.Position{File: rel(p.Filename), Line: p.Line, Column: p.Column, Offset: p.Offset}
}

// relativizer returns a function that makes file names inside root relative
// to it, so that output does not depend on where the code is checked out.
func relativizer(root string) func(string) string {
	return func(file string) string {
		if r, err := filepath.Rel(root, file); err == nil && filepath.IsLocal(r) {
			return r
		}
		return file
	}
}

// relPosn applies rel to the file part of a "file:line:col" position.
func relPosn(posn string, rel func(string) string) string {
	if posn == "" || posn == "-" {
		return ""
	}
	file, rest := posn, ""
	for range 2 {
		i := strings.LastIndexByte(file, ':')
		if i < 0 || strings.Trim(file[i+1:], "0123456789") != "" {
			break
		}
		file, rest = file[:i], file[i:]+rest
	}
	return rel(file) + rest
}

// describe lists the checks for the formats that name rules.
func describe(analyzers []*analysis.Analyzer) []output.Check {
	var out []output.Check
	for _, a := range analyzers {
		doc := a.Doc
		if a.Name == "directives" {
			doc += "\n\n" + directivesDoc
		}
		out = append(out, output.Check{Name: a.Name, Summary: summary(a), Doc: doc, Markdown: fenceCode(doc)})
	}
	return out
}

// version is asynclint's module version, "(devel)" in a development build.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.Main.Version
	}
	return ""
}
