// Package output renders asynclint's findings for people and for CI: plain
// text, JSON, SARIF 2.1.0 and GitHub Actions workflow commands.
//
// The driver converts analysis diagnostics into [Finding] values once, with
// file names already made relative to the working directory, so that every
// format prints the same positions and the output does not depend on where
// the repository is checked out.
package output

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// A Position is a place in a source file. Line and Column are 1-based;
// Column counts bytes, as go/token does. Offset is the 0-based byte offset.
//
// A diagnostic may carry no position (token.NoPos), or a file without a
// line: Line is then 0, and File may be "" too. Every format accepts such
// positions; see [Position.IsValid].
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Offset int    `json:"offset"`
}

// IsValid reports whether p names a line, as token.Position.IsValid does.
func (p Position) IsValid() bool { return p.Line > 0 }

// String renders p the way token.Position does, which is what go vet and
// the compiler print: "file:line:col", "file:line" without a column,
// "file" without a line, and "-" for no position at all.
func (p Position) String() string {
	s := p.File
	if p.IsValid() {
		if s != "" {
			s += ":"
		}
		s += strconv.Itoa(p.Line)
		if p.Column != 0 {
			s += ":" + strconv.Itoa(p.Column)
		}
	}
	if s == "" {
		s = "-"
	}
	return s
}

// A Finding is one diagnostic of one check.
type Finding struct {
	Check    string    `json:"check"`              // analyzer name, e.g. "unawaited"
	Category string    `json:"category,omitempty"` // sub-kind within the check
	Posn     Position  `json:"posn"`
	End      Position  `json:"end"`
	Message  string    `json:"message"`
	Related  []Related `json:"related,omitempty"`
	Fixes    []Fix     `json:"fixes,omitempty"`
}

// Related is a secondary position of a finding, such as the await inside a
// critical section.
type Related struct {
	Posn    Position `json:"posn"`
	End     Position `json:"end"`
	Message string   `json:"message"`
}

// A Fix is a suggested fix: edits that together resolve the finding.
type Fix struct {
	Message string `json:"message"`
	Edits   []Edit `json:"edits"`
}

// An Edit replaces the bytes [Start.Offset, End.Offset) of a file with New.
type Edit struct {
	File  string   `json:"file"`
	Start Position `json:"start"`
	End   Position `json:"end"`
	New   string   `json:"new"`
}

// A Problem is a failure that is not a finding: a package that does not
// load or type-check, or an analyzer that failed. Posn is the empty string
// when the problem has no source position.
type Problem struct {
	Posn    string `json:"posn,omitempty"` // "file:line:col", as the compiler prints it
	Message string `json:"message"`
}

// A Check describes one analyzer for the formats that list rules (SARIF).
type Check struct {
	Name     string
	Summary  string
	Doc      string // plain text, as "asynclint help <check>" prints it
	Markdown string // the same as Markdown, or "" if there is none
}

// Report is everything one run produced.
type Report struct {
	Findings []Finding
	Problems []Problem
	Checks   []Check // the checks that ran, in help order
	Version  string  // asynclint's version, or "" if unknown
	Root     string  // absolute working directory that relative file names are based on
}

// Sort orders findings by file, position, check and message, and problems
// by position and message, so that output is deterministic.
func (r *Report) Sort() {
	slices.SortFunc(r.Findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Posn.File, b.Posn.File),
			cmp.Compare(a.Posn.Line, b.Posn.Line),
			cmp.Compare(a.Posn.Column, b.Posn.Column),
			cmp.Compare(a.Check, b.Check),
			cmp.Compare(a.Message, b.Message),
		)
	})
	slices.SortFunc(r.Problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Posn, b.Posn), cmp.Compare(a.Message, b.Message))
	})
}

// Formats lists the accepted values of -format.
var Formats = []string{"text", "json", "sarif", "github"}

// Write renders r in format to w. The caller sorts r first.
func Write(w io.Writer, format string, r *Report) error {
	switch format {
	case "text":
		return WriteText(w, r)
	case "json":
		return WriteJSON(w, r)
	case "sarif":
		return WriteSARIF(w, r)
	case "github":
		return WriteGitHub(w, r)
	}
	return fmt.Errorf("unknown format %q (want one of %v)", format, Formats)
}
