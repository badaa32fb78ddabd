package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// A run over unchanged code spends most of its time asking the go command
// for the package graph (0.3 s of 0.4 s on golang.org/x/tools). So the
// result cache also keeps the listing of directory patterns ("./...",
// "./cmd/x"), with what it depends on, and a later run with the same
// patterns, flags and go env reuses it after checking, without running the
// go command:
//
//   - the modification time of every directory under the patterns' roots
//     and of every directory holding a listed package outside GOROOT and the
//     module cache (adding, removing or renaming a file or directory changes
//     its directory's time);
//   - the contents of every listed package's files there, those that build
//     constraints exclude included (an edit may change a package's imports
//     or which files count);
//   - the go.mod and go.sum of every module outside the module cache, and
//     go.work and go.work.sum;
//   - the complete output of go env (toolchain, GOFLAGS, GOOS, CGO_ENABLED,
//     GOWORK, GOROOT...), which is part of the listing's key.
//
// Listings with errors are not kept. Other patterns (import paths, "all",
// "std") always ask the go command.

// A listing is a stored package graph and the state it was listed from.
type listing struct {
	Packages []listedPackage
	Roots    []string // IDs of the packages the patterns matched
	Dirs     []stamp  // directories and their modification times
	Files    []string // files whose contents must be unchanged
	Digest   cacheKey // of those files' contents, in order
}

type stamp struct {
	Path    string
	ModTime int64
}

// listedPackage is the part of a packages.Package a cached run uses.
type listedPackage struct {
	ID, Name, PkgPath                 string
	GoFiles, OtherFiles, IgnoredFiles []string
	Imports                           map[string]string // import path to ID
	Module                            *packages.Module
}

// listable reports whether patterns are directories whose listing can be
// validated without the go command.
func listable(patterns []string) bool {
	for _, p := range patterns {
		dir := strings.TrimSuffix(strings.TrimSuffix(p, "..."), "/")
		if !(p == "." || p == "./..." || strings.HasPrefix(p, "./") && !strings.Contains(dir, "...")) {
			return false
		}
		if dir != "." && !filepath.IsLocal(dir) {
			return false
		}
	}
	return true
}

// listingKey names the listing of patterns under opts in the working
// directory, with the go command's environment goenv.
func (c *resultCache) listingKey(patterns []string, opts *options, goenv map[string]string) cacheKey {
	wd, _ := os.Getwd()
	h := sha256.New()
	h.Write(c.salt[:])
	fmt.Fprintf(h, "listing\x00%s\x00%q\x00%q\x00%t\x00", wd, patterns, opts.tags, opts.tests)
	for _, k := range slices.Sorted(maps.Keys(goenv)) {
		if k == "GOGCCFLAGS" {
			continue // names a fresh temporary directory each time
		}
		fmt.Fprintf(h, "%s=%s\x00", k, goenv[k])
	}
	var k cacheKey
	h.Sum(k[:0])
	return k
}

// loadListing returns the cached listing under key if it is still valid.
func (c *resultCache) loadListing(key cacheKey) []*packages.Package {
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		c.debugf("listing: none")
		return nil
	}
	var l listing
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&l) != nil {
		return nil
	}
	for _, d := range l.Dirs {
		fi, err := os.Stat(d.Path)
		if err != nil || fi.ModTime().UnixNano() != d.ModTime {
			c.debugf("listing: directory %s changed", d.Path)
			return nil
		}
	}
	if digest, err := c.digestFiles(l.Files); err != nil || digest != l.Digest {
		c.debugf("listing: files changed")
		return nil
	}
	c.touch(c.path(key))

	byID := make(map[string]*packages.Package, len(l.Packages))
	for _, lp := range l.Packages {
		byID[lp.ID] = &packages.Package{
			ID: lp.ID, Name: lp.Name, PkgPath: lp.PkgPath,
			GoFiles: lp.GoFiles, OtherFiles: lp.OtherFiles, IgnoredFiles: lp.IgnoredFiles,
			Module: lp.Module,
		}
	}
	for _, lp := range l.Packages {
		p := byID[lp.ID]
		p.Imports = make(map[string]*packages.Package, len(lp.Imports))
		for path, id := range lp.Imports {
			imp := byID[id]
			if imp == nil {
				return nil
			}
			p.Imports[path] = imp
		}
	}
	var roots []*packages.Package
	for _, id := range l.Roots {
		if byID[id] == nil {
			return nil
		}
		roots = append(roots, byID[id])
	}
	return roots
}

// storeListing keeps the listing roots of patterns under key, unless a
// package has errors.
func (c *resultCache) storeListing(key cacheKey, patterns []string, roots []*packages.Package, goenv map[string]string) {
	var l listing
	dirs := make(map[string]bool)
	files := make(map[string]bool)
	broken := false
	packages.Visit(roots, nil, func(p *packages.Package) {
		broken = broken || len(p.Errors) > 0
		imports := make(map[string]string, len(p.Imports))
		for path, imp := range p.Imports {
			imports[path] = imp.ID
		}
		l.Packages = append(l.Packages, listedPackage{
			ID: p.ID, Name: p.Name, PkgPath: p.PkgPath,
			GoFiles: p.GoFiles, OtherFiles: p.OtherFiles, IgnoredFiles: p.IgnoredFiles,
			Imports: imports, Module: p.Module,
		})
		for _, f := range slices.Concat(p.GoFiles, p.OtherFiles, p.IgnoredFiles) {
			if !c.isReadOnly(f) {
				files[f] = true
				dirs[filepath.Dir(f)] = true
			}
		}
		if m := p.Module; m != nil && m.GoMod != "" && !c.isReadOnly(m.GoMod) {
			files[m.GoMod] = true
			files[filepath.Join(filepath.Dir(m.GoMod), "go.sum")] = true
		}
	})
	if broken {
		c.debugf("listing: not kept: a package has errors")
		return
	}
	for _, p := range roots {
		l.Roots = append(l.Roots, p.ID)
	}
	if work := goenv["GOWORK"]; work != "" && work != "off" {
		files[work] = true
		files[work+".sum"] = true
	}
	for _, pat := range patterns {
		root := strings.TrimSuffix(strings.TrimSuffix(pat, "..."), "/")
		if !strings.HasSuffix(pat, "...") {
			dirs[filepath.Clean(root)] = true
			continue
		}
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			// The go command skips these, and so can their contents; their
			// parent's time covers their creation and removal.
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
				return filepath.SkipDir
			}
			dirs[path] = true
			return nil
		})
	}
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		abs, err := filepath.Abs(d)
		if err != nil {
			return
		}
		fi, err := os.Stat(abs)
		if err != nil {
			c.debugf("listing: not kept: %v", err)
			return
		}
		l.Dirs = append(l.Dirs, stamp{abs, fi.ModTime().UnixNano()})
	}
	l.Files = slices.Sorted(maps.Keys(files))
	digest, err := c.digestFiles(l.Files)
	if err != nil {
		c.debugf("listing: not kept: %v", err)
		return
	}
	l.Digest = digest
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&l); err != nil {
		c.debugf("listing: not kept: %v", err)
		return
	}
	writeAtomic(c.path(key), buf.Bytes())
}

// digestFiles hashes the contents of files; a missing file counts as
// empty-and-absent, so that creating a go.sum invalidates.
func (c *resultCache) digestFiles(files []string) (cacheKey, error) {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00", f)
		if err := c.hashFile(h, f); err != nil {
			if !os.IsNotExist(err) {
				return cacheKey{}, err
			}
			h.Write([]byte("absent\x00"))
		}
	}
	var k cacheKey
	h.Sum(k[:0])
	return k, nil
}

// debugf reports on standard error when ASYNCLINT_DEBUG asks for "cache".
func (c *resultCache) debugf(format string, args ...any) {
	if debugging("cache") {
		fmt.Fprintf(os.Stderr, "asynclint: result cache: "+format+"\n", args...)
	}
}
