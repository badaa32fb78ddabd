package main

import (
	"bytes"
	"cmp"
	"fmt"
	"go/format"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/asynclint/asynclint/internal/output"
)

// applyFixes applies the first suggested fix of each finding, in report
// order, and returns the findings that no applied fix resolved.
//
// A fix whose edits overlap an edit already accepted in the same file is
// skipped and reported: applying both would corrupt the file, and picking
// one silently would hide a conflict between checks. Identical edits (two
// findings that want the same change) are applied once. Each changed file
// is gofmt'ed when it still parses.
//
// With diffOnly, no file is written: the changes go to stdout as a unified
// diff.
func applyFixes(rep *output.Report, diffOnly bool, stdout, stderr io.Writer) ([]output.Finding, error) {
	edits := make(map[string][]output.Edit) // file -> accepted edits
	var remaining []output.Finding
	applied := 0
	for _, f := range rep.Findings {
		if len(f.Fixes) == 0 {
			remaining = append(remaining, f)
			continue
		}
		fix := f.Fixes[0]
		if conflict := overlapping(edits, fix.Edits); conflict != nil {
			fmt.Fprintf(stderr, "asynclint: %s: skipped fix %q (%s): it overlaps a fix at %s\n", f.Posn, fix.Message, f.Check, conflict.Start)
			remaining = append(remaining, f)
			continue
		}
		for _, e := range fix.Edits {
			if !slices.Contains(edits[e.File], e) {
				edits[e.File] = append(edits[e.File], e)
			}
		}
		applied++
		if !diffOnly {
			fmt.Fprintf(stderr, "asynclint: %s: applied fix %q (%s)\n", f.Posn, fix.Message, f.Check)
		}
	}

	files := make([]string, 0, len(edits))
	for file := range edits {
		files = append(files, file)
	}
	slices.Sort(files)
	for _, file := range files {
		name := file
		if !filepath.IsAbs(name) {
			name = filepath.Join(rep.Root, name)
		}
		old, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		updated, err := apply(old, edits[file])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		if formatted, err := format.Source(updated); err == nil {
			updated = formatted
		}
		if diffOnly {
			io.WriteString(stdout, unifiedDiff(file, string(old), string(updated)))
			continue
		}
		if err := os.WriteFile(name, updated, 0o666); err != nil {
			return nil, err
		}
	}
	if !diffOnly && applied > 0 {
		fmt.Fprintf(stderr, "asynclint: applied %s in %s\n", plural(applied, "fix", "fixes"), plural(len(files), "file", "files"))
	}
	return remaining, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// overlapping returns an accepted edit that conflicts with one of fix, or
// nil. Two edits conflict when their ranges intersect, or when both insert
// different text at the same offset (their order would be arbitrary).
func overlapping(accepted map[string][]output.Edit, fix []output.Edit) *output.Edit {
	for _, e := range fix {
		for i, a := range accepted[e.File] {
			if a == e {
				continue
			}
			s1, e1, s2, e2 := a.Start.Offset, a.End.Offset, e.Start.Offset, e.End.Offset
			if s1 < e2 && s2 < e1 || s1 == s2 && (s1 == e1 || s2 == e2) {
				return &accepted[e.File][i]
			}
		}
	}
	return nil
}

// apply returns src with the non-overlapping edits applied.
func apply(src []byte, edits []output.Edit) ([]byte, error) {
	edits = slices.Clone(edits)
	slices.SortFunc(edits, func(a, b output.Edit) int {
		return cmp.Or(cmp.Compare(a.Start.Offset, b.Start.Offset), cmp.Compare(a.End.Offset, b.End.Offset))
	})
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		if e.Start.Offset < last || e.End.Offset < e.Start.Offset || e.End.Offset > len(src) {
			return nil, fmt.Errorf("edit at offset %d is out of range or overlapping (file changed since it was analyzed?)", e.Start.Offset)
		}
		out.Write(src[last:e.Start.Offset])
		out.WriteString(e.New)
		last = e.End.Offset
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

// unifiedDiff returns a unified diff of two versions of file with three
// lines of context. Fixes are local, so the common prefix and suffix are
// trimmed before the quadratic longest-common-subsequence step.
func unifiedDiff(file, old, new string) string {
	a, b := splitLines(old), splitLines(new)
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	type op struct {
		kind byte // ' ', '-' or '+'
		line string
	}
	var ops []op
	for _, l := range a[:pre] {
		ops = append(ops, op{' ', l})
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	// lcs[i][j] is the length of the LCS of ma[i:] and mb[j:].
	lcs := make([][]int, len(ma)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(mb)+1)
	}
	for i := len(ma) - 1; i >= 0; i-- {
		for j := len(mb) - 1; j >= 0; j-- {
			if ma[i] == mb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(ma) || j < len(mb) {
		switch {
		case i < len(ma) && j < len(mb) && ma[i] == mb[j]:
			ops = append(ops, op{' ', ma[i]})
			i, j = i+1, j+1
		case i < len(ma) && (j == len(mb) || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, op{'-', ma[i]}) // deletions first, as diff(1) prints them
			i++
		default:
			ops = append(ops, op{'+', mb[j]})
			j++
		}
	}
	for _, l := range a[len(a)-suf:] {
		ops = append(ops, op{' ', l})
	}

	const context = 3
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", file, file)
	oldLine, newLine := 1, 1 // line numbers at ops[k]
	k := 0
	for k < len(ops) {
		if ops[k].kind == ' ' {
			oldLine, newLine, k = oldLine+1, newLine+1, k+1
			continue
		}
		start := max(k-context, 0)
		for s := start; s < k; s++ { // back up over the leading context
			oldLine, newLine = oldLine-1, newLine-1
		}
		end := k
		for {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			next := end
			for next < len(ops) && ops[next].kind == ' ' {
				next++
			}
			if next < len(ops) && next-end <= 2*context {
				end = next
				continue
			}
			end = min(end+context, next)
			break
		}
		var body strings.Builder
		nOld, nNew := 0, 0
		for _, o := range ops[start:end] {
			if o.kind != '+' {
				nOld++
			}
			if o.kind != '-' {
				nNew++
			}
			body.WriteByte(o.kind)
			body.WriteString(o.line)
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n%s", hunkStart(oldLine, nOld), nOld, hunkStart(newLine, nNew), nNew, body.String())
		oldLine, newLine = oldLine+nOld, newLine+nNew
		k = end
	}
	return out.String()
}

// hunkStart is the line number a hunk header shows: for an empty side, the
// line before the hunk.
func hunkStart(line, n int) int {
	if n == 0 {
		return line - 1
	}
	return line
}

// splitLines splits s after each newline, keeping the newlines so that
// the diff reproduces the text exactly.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
