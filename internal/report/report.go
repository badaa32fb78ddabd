// Package report is how every asynclint pass reports: it drops diagnostics in
// generated files, applies //asynclint:ignore directives, and at the end of the
// pass reports the directives for this check that suppressed nothing.
// Suppression lives in the analyzers, not the driver, so that it works the
// same under asynclint, go vet, golangci-lint and gopls.
package report

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/internal/directive"
)

// Reporter reports one pass's diagnostics for one package.
type Reporter struct {
	pass      *analysis.Pass
	check     string
	generated map[string]bool      // file name -> generated
	ignores   map[string][]*ignore // file name -> well-formed ignores naming check
}

type ignore struct {
	d    *directive.Directive
	used bool
}

// New returns a Reporter for pass, whose check name is check.
func New(pass *analysis.Pass, check string) *Reporter {
	r := &Reporter{
		pass:      pass,
		check:     check,
		generated: make(map[string]bool),
		ignores:   make(map[string][]*ignore),
	}
	for _, file := range pass.Files {
		name := pass.Fset.File(file.FileStart).Name()
		if ast.IsGenerated(file) {
			r.generated[name] = true
			continue
		}
		if !directive.Mentioned(file) {
			continue
		}
		src, _ := pass.ReadFile(name) // nil on error: directives then cover their line and the next
		for _, d := range directive.Parse(pass.Fset, file, src) {
			if d.Kind == directive.Ignore && d.Valid() && d.Names(check) {
				r.ignores[name] = append(r.ignores[name], &ignore{d: d})
			}
		}
	}
	return r
}

// Report reports d unless it is in a generated file or suppressed.
func (r *Reporter) Report(d analysis.Diagnostic) {
	pos := r.pass.Fset.Position(d.Pos)
	if r.generated[pos.Filename] {
		return
	}
	suppressed := false
	for _, ig := range r.ignores[pos.Filename] {
		if ig.d.Applies(pos.Line) {
			ig.used = true
			suppressed = true
		}
	}
	if !suppressed {
		r.pass.Report(d)
	}
}

// Finish reports the ignore directives naming this check that suppressed
// nothing. Call it once, after the pass's last Report.
func (r *Reporter) Finish() {
	for _, list := range r.ignores {
		for _, ig := range list {
			if !ig.used {
				r.pass.Report(analysis.Diagnostic{
					Pos:      ig.d.Pos,
					End:      ig.d.End,
					Category: "stale-directive",
					Message:  "asynclint:ignore for " + r.check + " suppresses nothing here (remove it)",
				})
			}
		}
	}
}

// Render returns the source spelling of node, as the user wrote it modulo
// formatting, for use in messages.
func Render(fset *token.FileSet, node ast.Node) string {
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, node); err != nil {
		return "?"
	}
	return buf.String()
}
