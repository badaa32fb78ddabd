package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/asynclint/asynclint/internal/output"
)

// The result cache lets a standalone run skip the packages that have not
// changed, as go vet and staticcheck do. An entry holds what one package's
// passes produced: the findings of a root and the facts its importers need.
// Its key hashes everything that can change them: the asynclint binary,
// the settings of the checks, the Go toolchain, the package's files and the
// keys of its imports, so that an edit invalidates the package and every
// package that depends on it. Packages with errors are never cached.
//
// When every package hits, nothing is parsed or type-checked. A package
// that misses needs the types of its imports: those are type-checked
// without bodies and their facts are decoded from the cache (objects are
// named by objectpath, facts are gob-encoded, as go vet does).
//
// ASYNCLINT_CACHE names the directory (default: asynclint/results under
// the user cache directory); ASYNCLINT_CACHE=off turns the cache off.
// Entries unused for five days are removed, at most once a day.
const cacheEnv = "ASYNCLINT_CACHE"

// A cacheKey identifies the inputs of one package's analysis.
type cacheKey [sha256.Size]byte

// A cacheEntry is what one package's analysis produced.
type cacheEntry struct {
	Findings []output.Finding // a root's, with absolute file names
	Facts    []cachedFact
}

// A cachedFact is one exported fact: of a package when Object is empty.
type cachedFact struct {
	Analyzer string
	Object   objectpath.Path
	Type     string // the fact's type, as reflect prints it
	Data     []byte // gob encoding of the fact
}

type resultCache struct {
	dir      string
	std      *stdParser // tells the standard library's files
	salt     cacheKey   // binary, settings, toolchain
	readOnly []string   // directories whose files are hashed by size and time

	mu      sync.Mutex
	digests map[string][]byte // file contents' hashes, this run
}

// openCache opens the result cache for a run with the given settings, or
// returns nil when the cache is off or has no place to live.
func openCache(settings string, env map[string]string) *resultCache {
	dir := os.Getenv(cacheEnv)
	switch {
	case dir == "off":
		return nil
	case dir == "":
		base, err := os.UserCacheDir()
		if err != nil {
			return nil
		}
		dir = filepath.Join(base, "asynclint", "results")
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil
	}
	self, err := selfDigest()
	if err != nil {
		return nil
	}
	h := sha256.New()
	h.Write(self)
	// The toolchain that lists and the standard library it brings: see
	// lookup.
	fmt.Fprintf(h, "\x00%s\x00%s\x00%s %s %s\x00", settings, runtime.Version(), env["GOVERSION"], env["GOROOT"], env["GOARCH"])
	c := &resultCache{dir: dir, std: stdParserFor(env["GOROOT"]), digests: make(map[string][]byte)}
	h.Sum(c.salt[:0])
	for _, v := range []string{"GOROOT", "GOMODCACHE"} {
		if dir := env[v]; dir != "" {
			c.readOnly = append(c.readOnly, filepath.Clean(dir)+string(filepath.Separator))
		}
	}
	c.trim()
	return c
}

// lookup computes u's key, after those of its imports, and loads its
// entry if there is one.
func (c *resultCache) lookup(u *unit) {
	if len(u.pkg.Errors) > 0 {
		return
	}
	h := sha256.New()
	h.Write(c.salt[:])
	fmt.Fprintf(h, "%s\x00%s\x00%t\x00", u.pkg.ID, u.pkg.PkgPath, u.root)
	if m := u.pkg.Module; m != nil {
		fmt.Fprintf(h, "go%s\x00", m.GoVersion)
	}
	// The files the go command selected, cgo's inputs among them, rather
	// than the compiled files: a run served by the cache does not ask for
	// those (see load).
	for _, name := range slices.Concat(u.pkg.GoFiles, u.pkg.OtherFiles) {
		fmt.Fprintf(h, "%s\x00", name)
		if err := c.hashFile(h, name); err != nil {
			return
		}
	}
	for _, imp := range u.imports {
		if c.isStd(imp.pkg) {
			// The standard library is fixed by the toolchain, which the
			// salt names. Its packages are left out because cgo adds
			// imports of runtime/cgo, syscall and unsafe to a package
			// only when the go command is asked for compiled files, which
			// a run served by the cache does not do (see load).
			continue
		}
		if imp.key == (cacheKey{}) {
			return // an import cannot be cached, so neither can u
		}
		fmt.Fprintf(h, "%s\x00", imp.pkg.ID)
		h.Write(imp.key[:])
	}
	h.Sum(u.key[:0])

	data, err := os.ReadFile(c.path(u.key))
	if err != nil {
		return
	}
	var e cacheEntry
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&e) != nil {
		return // damaged: recomputed and rewritten
	}
	u.cached = &e
	c.touch(c.path(u.key))
}

func (c *resultCache) isStd(p *packages.Package) bool {
	return len(p.GoFiles) > 0 && c.std.isStd(p.GoFiles[0])
}

// hashFile adds a file's identity to h: its contents, or, for the
// toolchain's and the module cache's files, which are not edited in
// place, its size and modification time. A file's digest is computed once
// per run.
func (c *resultCache) hashFile(h io.Writer, name string) error {
	if c.isReadOnly(name) {
		fi, err := os.Stat(name)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%d %d\x00", fi.Size(), fi.ModTime().UnixNano())
		return nil
	}
	c.mu.Lock()
	sum, ok := c.digests[name]
	c.mu.Unlock()
	if !ok {
		var err error
		if sum, err = fileSHA256(name); err != nil {
			return err
		}
		c.mu.Lock()
		c.digests[name] = sum
		c.mu.Unlock()
	}
	h.Write(sum)
	return nil
}

// isReadOnly reports whether name is in GOROOT or the module cache.
func (c *resultCache) isReadOnly(name string) bool {
	for _, dir := range c.readOnly {
		if strings.HasPrefix(name, dir) {
			return true
		}
	}
	return false
}

func (c *resultCache) path(k cacheKey) string {
	s := hex.EncodeToString(k[:])
	return filepath.Join(c.dir, s[:2], s)
}

// store saves what u's passes produced. Facts about objects that
// objectpath cannot name (local to a function) are not saved, as go vet
// does not pass them between packages either.
func (c *resultCache) store(u *unit, analyzers []*analysis.Analyzer) {
	if u.key == (cacheKey{}) {
		return
	}
	e := cacheEntry{Findings: u.findings}
	var enc objectpath.Encoder
	for a, fs := range u.facts {
		if len(a.FactTypes) == 0 {
			continue
		}
		for k, f := range fs.objects {
			path, err := enc.For(k.obj)
			if err != nil {
				continue
			}
			data, err := encodeFact(f)
			if err != nil {
				return // a fact that gob cannot encode: do not cache u
			}
			e.Facts = append(e.Facts, cachedFact{Analyzer: a.Name, Object: path, Type: k.typ.String(), Data: data})
		}
		for typ, f := range fs.packages {
			data, err := encodeFact(f)
			if err != nil {
				return
			}
			e.Facts = append(e.Facts, cachedFact{Analyzer: a.Name, Type: typ.String(), Data: data})
		}
	}
	var buf bytes.Buffer
	if gob.NewEncoder(&buf).Encode(&e) != nil {
		return
	}
	writeAtomic(c.path(u.key), buf.Bytes())
}

func encodeFact(f analysis.Fact) ([]byte, error) {
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(f)
	return buf.Bytes(), err
}

// restoreFacts decodes u's cached facts against its freshly type-checked
// package.
func (c *resultCache) restoreFacts(u *unit, analyzers []*analysis.Analyzer) error {
	u.facts = make(map[*analysis.Analyzer]*factSet)
	byName := make(map[string]*analysis.Analyzer)
	for _, a := range analyzers {
		byName[a.Name] = a
		u.facts[a] = &factSet{objects: make(map[objectFactKey]analysis.Fact), packages: make(map[reflect.Type]analysis.Fact)}
	}
	for _, cf := range u.cached.Facts {
		a := byName[cf.Analyzer]
		if a == nil {
			return fmt.Errorf("fact of unknown check %s", cf.Analyzer)
		}
		var typ reflect.Type
		for _, ft := range a.FactTypes {
			if t := reflect.TypeOf(ft); t.String() == cf.Type {
				typ = t
			}
		}
		if typ == nil {
			return fmt.Errorf("%s has no fact type %s", a.Name, cf.Type)
		}
		fact := reflect.New(typ.Elem()).Interface().(analysis.Fact)
		if err := gob.NewDecoder(bytes.NewReader(cf.Data)).Decode(fact); err != nil {
			return err
		}
		if cf.Object == "" {
			u.facts[a].packages[typ] = fact
			continue
		}
		obj, err := objectpath.Object(u.types, cf.Object)
		if err != nil {
			return err
		}
		u.facts[a].objects[objectFactKey{obj, typ}] = fact
	}
	return nil
}

// writeAtomic replaces the file at path, creating its directory, so that a
// concurrent run never reads half a file. A cache that cannot be written
// is only slower: callers may ignore the error.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// fileSHA256 returns the SHA-256 of a file's contents.
func fileSHA256(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// Entries are removed once unused for cacheMaxAge; a hit refreshes an
// entry's time when it is older than an hour, and trimming walks the
// cache at most once per cacheTrimEvery.
const (
	cacheMaxAge    = 5 * 24 * time.Hour
	cacheTrimEvery = 24 * time.Hour
)

func (c *resultCache) touch(path string) {
	if fi, err := os.Stat(path); err == nil && time.Since(fi.ModTime()) > time.Hour {
		now := time.Now()
		os.Chtimes(path, now, now)
	}
}

// trim removes old entries, at most once per cacheTrimEvery.
func (c *resultCache) trim() {
	stamp := filepath.Join(c.dir, "trim.txt")
	if fi, err := os.Stat(stamp); err == nil && time.Since(fi.ModTime()) < cacheTrimEvery {
		return
	}
	writeAtomic(stamp, []byte(time.Now().Format(time.RFC3339)+"\n"))
	cutoff := time.Now().Add(-cacheMaxAge)
	filepath.WalkDir(c.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || path == stamp {
			return nil
		}
		if fi, err := d.Info(); err == nil && fi.ModTime().Before(cutoff) {
			os.Remove(path)
		}
		return nil
	})
}
