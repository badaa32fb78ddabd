package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"maps"
	"os"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/asynclint/asynclint/internal/checks"
	"github.com/asynclint/asynclint/internal/output"
)

// The standalone driver streams: it type-checks and analyzes packages in
// dependency order, a package as soon as its imports are done, and keeps
// only what importers need afterwards (the *types.Package and the facts).
// Syntax, type information, SSA and analysis results of a package are
// garbage once its own passes have run. go/packages with the x/tools
// checker instead holds the syntax and types.Info of every package in the
// graph at once, and the checker keeps every pass result to the end: on
// golang.org/x/tools (216 packages, about 500 with their dependencies) that
// peaked at 1,050 MB; streaming keeps the peak to the types of the graph
// plus the packages in flight (one per CPU).

// A unit is one package of the graph: a root named on the command line or
// a dependency, which runs only the passes that produce facts.
type unit struct {
	pkg     *packages.Package
	root    bool
	std     bool // from GOROOT: type-checked without function bodies
	imports []*unit
	users   []*unit // units that import this one

	// Set while the unit is processed, read-only afterwards (importers
	// start only after it is done).
	types    *types.Package
	failed   bool // ill-typed, or a pass failed: importers skip analysis
	facts    map[*analysis.Analyzer]*factSet
	findings []output.Finding // a root's findings, as it reports them
	pending  int              // imports not yet done; guarded by streamer.mu

	key    cacheKey    // of its inputs; zero: not cacheable
	cached *cacheEntry // its results from an earlier run, if any
	need   bool        // must be type-checked: its results or types are needed
}

// A factSet holds the facts one analyzer exported for one package.
type factSet struct {
	objects  map[objectFactKey]analysis.Fact
	packages map[reflect.Type]analysis.Fact
}

type objectFactKey struct {
	obj types.Object
	typ reflect.Type
}

// A streamer runs analyzers over a package graph.
type streamer struct {
	analyzers []*analysis.Analyzer // as requested, for root packages
	factful   []*analysis.Analyzer // the ones that run on dependencies
	fset      *token.FileSet
	std       *stdParser   // nil: every package keeps its bodies
	cache     *resultCache // nil: no result cache

	// onFindings receives the findings of each root package, with
	// absolute file names; onFailure each pass that failed.
	onFindings func(u *unit, findings []output.Finding)
	onFailure  func(u *unit, a *analysis.Analyzer, err error)

	reused, analyzed atomic.Int32 // packages whose results came from the cache, or from their passes

	mu    sync.Mutex
	byPkg map[*types.Package]*unit
}

// stream type-checks and analyzes the graph of roots with at most
// GOMAXPROCS packages in flight. Parse and type errors are appended to
// each package's Errors, as go/packages would have.
func (s *streamer) stream(roots []*packages.Package) {
	order := s.graph(roots)
	s.byPkg = make(map[*types.Package]*unit, len(order))

	// A unit whose results are cached is type-checked only if a unit
	// that is analyzed imports it, directly or not: order lists importers
	// after their imports.
	if s.cache != nil {
		for _, u := range order {
			s.cache.lookup(u)
		}
	}
	var work []*unit
	for i := len(order) - 1; i >= 0; i-- {
		u := order[i]
		u.need = u.cached == nil
		for _, user := range u.users {
			u.need = u.need || user.need
		}
		if !u.need {
			s.reused.Add(1)
			s.emit(u, u.cached.Findings)
			continue
		}
		work = append(work, u)
	}
	for _, u := range work {
		u.pending = len(u.imports) // every import of a needed unit is needed
	}

	ready := make(chan *unit, len(work))
	for _, u := range work {
		if u.pending == 0 {
			ready <- u
		}
	}
	var wg sync.WaitGroup
	remaining := len(work)
	done := make(chan struct{})
	if remaining == 0 {
		close(done)
	}
	for range min(runtime.GOMAXPROCS(0), len(work)) {
		wg.Go(func() {
			for {
				select {
				case u := <-ready:
					s.process(u)
					s.mu.Lock()
					for _, user := range u.users {
						user.pending--
						if user.pending == 0 {
							ready <- user
						}
					}
					remaining--
					if remaining == 0 {
						close(done)
					}
					s.mu.Unlock()
				case <-done:
					return
				}
			}
		})
	}
	wg.Wait()
}

// graph returns the units of roots and their dependencies, each after its
// imports.
func (s *streamer) graph(roots []*packages.Package) []*unit {
	units := make(map[*packages.Package]*unit)
	var order []*unit
	visiting := make(map[*unit]bool)
	var add func(p *packages.Package) *unit
	add = func(p *packages.Package) *unit {
		if u, ok := units[p]; ok {
			return u
		}
		u := &unit{pkg: p}
		units[p] = u
		visiting[u] = true
		for _, path := range slices.Sorted(maps.Keys(p.Imports)) {
			imp := add(p.Imports[path])
			if visiting[imp] {
				// The go command reports the cycle as a package error;
				// the edge is dropped so that the walk still ends.
				continue
			}
			u.imports = append(u.imports, imp)
			imp.users = append(imp.users, u)
		}
		delete(visiting, u)
		u.std = s.std != nil && len(p.GoFiles) > 0 && s.std.isStd(p.GoFiles[0])
		order = append(order, u)
		return u
	}
	for _, p := range roots {
		add(p).root = true
	}
	return order
}

// replay reports the cached findings of roots when the cache holds the
// results of every package in their graph, and reports whether it did.
func (s *streamer) replay(roots []*packages.Package) bool {
	order := s.graph(roots)
	for _, u := range order {
		s.cache.lookup(u)
		if u.cached == nil {
			return false
		}
	}
	for _, u := range order {
		s.emit(u, u.cached.Findings)
	}
	s.reused.Add(int32(len(order)))
	return true
}

// emit passes a root's findings on.
func (s *streamer) emit(u *unit, findings []output.Finding) {
	if u.root && s.onFindings != nil {
		s.onFindings(u, findings)
	}
}

// process type-checks one unit and runs its passes, or, when its results
// are cached, type-checks only its declarations, for its importers, and
// takes its facts and findings from the cache.
func (s *streamer) process(u *unit) {
	cached := u.cached != nil
	files := s.parse(u, cached)
	var info *types.Info // only the passes need it
	if !cached {
		info = checks.NewTypesInfo()
	}
	var typeErrors []types.Error
	cfg := &types.Config{
		Importer:         importerFunc(func(path string) (*types.Package, error) { return u.importTypes(path) }),
		Sizes:            u.pkg.TypesSizes,
		IgnoreFuncBodies: cached || !u.root && (u.std || len(s.factful) == 0),
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				typeErrors = append(typeErrors, te)
			}
		},
	}
	if m := u.pkg.Module; m != nil && m.GoVersion != "" {
		cfg.GoVersion = "go" + m.GoVersion
	}
	u.types, _ = cfg.Check(u.pkg.PkgPath, s.fset, files, info)
	s.mu.Lock()
	s.byPkg[u.types] = u
	s.mu.Unlock()
	if cached {
		if len(typeErrors) == 0 && s.cache.restoreFacts(u, s.factful) == nil {
			s.reused.Add(1)
			s.emit(u, u.cached.Findings)
			return
		}
		// The entry does not fit the package after all: analyze it.
		u.cached = nil
		s.process(u)
		return
	}
	for _, e := range typeErrors {
		u.pkg.Errors = append(u.pkg.Errors, packages.Error{
			Pos:  s.fset.Position(e.Pos).String(),
			Msg:  e.Msg,
			Kind: packages.TypeError,
		})
	}

	u.failed = len(u.pkg.Errors) > 0
	for _, imp := range u.imports {
		u.failed = u.failed || imp.failed
	}
	analyzers := s.factful
	if u.root {
		analyzers = s.analyzers
	}
	if u.failed || len(analyzers) == 0 {
		// Passes need well-typed code: the package's own errors are
		// reported, and those of its imports name the root cause.
		return
	}
	s.analyzed.Add(1)
	s.analyze(u, analyzers, files, info, typeErrors)
	if !u.failed {
		s.emit(u, u.findings)
		if s.cache != nil {
			s.cache.store(u, analyzers)
		}
	}
}

// parse reads and parses the unit's files, recording failures as the
// package's errors.
func (s *streamer) parse(u *unit, declsOnly bool) []*ast.File {
	var files []*ast.File
	for _, name := range u.pkg.CompiledGoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			u.pkg.Errors = append(u.pkg.Errors, packages.Error{Pos: name, Msg: err.Error(), Kind: packages.ParseError})
			continue
		}
		var f *ast.File
		if declsOnly || u.std && !u.root {
			f, err = parseDecls(s.fset, name, src)
		} else {
			f, err = parser.ParseFile(s.fset, name, src, parser.AllErrors|parser.ParseComments)
		}
		var list scanner.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				u.pkg.Errors = append(u.pkg.Errors, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
			}
		} else if err != nil {
			u.pkg.Errors = append(u.pkg.Errors, packages.Error{Pos: name, Msg: err.Error(), Kind: packages.ParseError})
		}
		if f != nil {
			files = append(files, f)
		}
	}
	return files
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// importTypes resolves an import of u: the go command has mapped every
// import path (vendoring, test variants) to the package it denotes.
func (u *unit) importTypes(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	imp, ok := u.pkg.Imports[path]
	if !ok {
		return nil, fmt.Errorf("the go command did not list %s", path)
	}
	for _, dep := range u.imports {
		if dep.pkg == imp {
			if dep.types == nil {
				return nil, fmt.Errorf("%s was not type-checked", path)
			}
			return dep.types, nil
		}
	}
	return nil, fmt.Errorf("import cycle through %s", path) // graph dropped the edge
}

// analyze runs analyzers and the analyzers they require on a well-typed
// unit, each after its requirements, in one goroutine.
func (s *streamer) analyze(u *unit, analyzers []*analysis.Analyzer, files []*ast.File, info *types.Info, typeErrors []types.Error) {
	var module *analysis.Module
	if m := u.pkg.Module; m != nil {
		module = &analysis.Module{Path: m.Path, Version: m.Version, GoVersion: m.GoVersion}
	}
	u.facts = make(map[*analysis.Analyzer]*factSet)
	results := make(map[*analysis.Analyzer]any)
	errs := make(map[*analysis.Analyzer]error)
	var run func(a *analysis.Analyzer) error
	run = func(a *analysis.Analyzer) error {
		if _, ok := results[a]; ok {
			return errs[a]
		}
		results[a] = nil // guards against a Requires cycle, which Validate rules out
		resultOf := make(map[*analysis.Analyzer]any, len(a.Requires))
		for _, req := range a.Requires {
			if err := run(req); err != nil {
				errs[a] = fmt.Errorf("failed prerequisites: %s", req.Name)
				return errs[a]
			}
			resultOf[req] = results[req]
		}
		facts := &factSet{objects: make(map[objectFactKey]analysis.Fact), packages: make(map[reflect.Type]analysis.Fact)}
		u.facts[a] = facts
		var diags []analysis.Diagnostic
		pass := &analysis.Pass{
			Analyzer:     a,
			Fset:         s.fset,
			Files:        files,
			OtherFiles:   u.pkg.OtherFiles,
			IgnoredFiles: u.pkg.IgnoredFiles,
			Pkg:          u.types,
			TypesInfo:    info,
			TypesSizes:   u.pkg.TypesSizes,
			TypeErrors:   typeErrors,
			Module:       module,
			ResultOf:     resultOf,
			Report:       func(d analysis.Diagnostic) { diags = append(diags, d) },
			ReadFile:     u.readFile,
		}
		pass.ImportObjectFact = func(obj types.Object, fact analysis.Fact) bool {
			return s.importObjectFact(a, obj, fact)
		}
		pass.ExportObjectFact = func(obj types.Object, fact analysis.Fact) {
			if obj == nil || obj.Pkg() != u.types {
				panic(fmt.Sprintf("%s: exporting a fact for %v, which is not in package %s", a.Name, obj, u.pkg.PkgPath))
			}
			facts.objects[objectFactKey{obj, reflect.TypeOf(fact)}] = fact
		}
		pass.ImportPackageFact = func(pkg *types.Package, fact analysis.Fact) bool {
			return s.importPackageFact(a, pkg, fact)
		}
		pass.ExportPackageFact = func(fact analysis.Fact) {
			facts.packages[reflect.TypeOf(fact)] = fact
		}
		pass.AllObjectFacts = func() []analysis.ObjectFact { return s.allObjectFacts(u, a) }
		pass.AllPackageFacts = func() []analysis.PackageFact { return s.allPackageFacts(u, a) }

		result, err := guardRun(a.Run)(pass)
		if err == nil && a.ResultType != nil && result != nil && reflect.TypeOf(result) != a.ResultType {
			err = fmt.Errorf("internal error: %s returned a %T, want %v", a.Name, result, a.ResultType)
		}
		results[a], errs[a] = result, err
		if err != nil {
			s.onFailure(u, a, err)
			return err
		}
		if u.root {
			for _, d := range diags {
				u.findings = append(u.findings, finding(s.fset, a.Name, d, identity))
			}
		}
		return nil
	}
	for _, a := range analyzers {
		if run(a) != nil {
			u.failed = true
		}
	}
}

// readFile is analysis.Pass.ReadFile: a pass may read the package's own
// files and nothing else.
func (u *unit) readFile(name string) ([]byte, error) {
	for _, list := range [][]string{u.pkg.CompiledGoFiles, u.pkg.GoFiles, u.pkg.OtherFiles, u.pkg.IgnoredFiles, u.pkg.EmbedFiles} {
		if slices.Contains(list, name) {
			return os.ReadFile(name)
		}
	}
	return nil, fmt.Errorf("%s is not among the files of package %s", name, u.pkg.PkgPath)
}

// owner returns the unit whose types are pkg, once it is done.
func (s *streamer) owner(pkg *types.Package) *unit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byPkg[pkg]
}

func (s *streamer) importObjectFact(a *analysis.Analyzer, obj types.Object, fact analysis.Fact) bool {
	if obj == nil || obj.Pkg() == nil {
		return false
	}
	u := s.owner(obj.Pkg())
	if u == nil || u.facts[a] == nil {
		return false
	}
	got, ok := u.facts[a].objects[objectFactKey{obj, reflect.TypeOf(fact)}]
	if ok {
		reflect.ValueOf(fact).Elem().Set(reflect.ValueOf(got).Elem())
	}
	return ok
}

func (s *streamer) importPackageFact(a *analysis.Analyzer, pkg *types.Package, fact analysis.Fact) bool {
	u := s.owner(pkg)
	if u == nil || u.facts[a] == nil {
		return false
	}
	got, ok := u.facts[a].packages[reflect.TypeOf(fact)]
	if ok {
		reflect.ValueOf(fact).Elem().Set(reflect.ValueOf(got).Elem())
	}
	return ok
}

// closure returns u and every unit it depends on, each once.
func (u *unit) closure() []*unit {
	seen := map[*unit]bool{u: true}
	out := []*unit{u}
	for i := 0; i < len(out); i++ {
		for _, imp := range out[i].imports {
			if !seen[imp] {
				seen[imp] = true
				out = append(out, imp)
			}
		}
	}
	return out
}

func (s *streamer) allObjectFacts(u *unit, a *analysis.Analyzer) []analysis.ObjectFact {
	var out []analysis.ObjectFact
	for _, d := range u.closure() {
		if fs := d.facts[a]; fs != nil {
			for k, f := range fs.objects {
				out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
			}
		}
	}
	return out
}

func (s *streamer) allPackageFacts(u *unit, a *analysis.Analyzer) []analysis.PackageFact {
	var out []analysis.PackageFact
	for _, d := range u.closure() {
		if fs := d.facts[a]; fs != nil {
			for _, f := range fs.packages {
				out = append(out, analysis.PackageFact{Package: d.types, Fact: f})
			}
		}
	}
	return out
}

// factful returns the analyzers among as, and those they require, that
// produce facts, together with everything those require: the passes to run
// on dependencies.
func factful(as []*analysis.Analyzer) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, r := range a.Requires {
			visit(r)
		}
		if len(a.FactTypes) > 0 {
			out = append(out, a)
		}
	}
	for _, a := range as {
		visit(a)
	}
	return out
}
