package directive

import (
	"go/ast"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Checks lists the checks an ignore directive may name: the asynclint passes.
var Checks = []string{"unawaited", "blockingcall", "lockacrossawait", "sendcheck"}

// Analyzer reports malformed asynclint directives: an unknown verb, an ignore
// without checks or naming an unknown check, and any directive without a
// reason. Stale directives (that suppress nothing) are reported by the pass
// they name, which alone knows what it would have reported.
var Analyzer = &analysis.Analyzer{
	Name: "directives",
	Doc:  "directives: report malformed //asynclint: directives",
	Run:  run,
}

func run(pass *analysis.Pass) (any, error) {
	for _, file := range pass.Files {
		if ast.IsGenerated(file) {
			continue
		}
		if !Mentioned(file) {
			continue
		}
		src, _ := pass.ReadFile(pass.Fset.File(file.FileStart).Name())
		for _, d := range Parse(pass.Fset, file, src) {
			if msg := Problem(d); msg != "" {
				pass.Report(analysis.Diagnostic{Pos: d.Pos, End: d.End, Category: "directive", Message: msg})
			}
		}
	}
	return nil, nil
}

// Mentioned reports whether file has any //asynclint: comment: a cheap test
// before parsing.
func Mentioned(file *ast.File) bool {
	for _, g := range file.Comments {
		for _, c := range g.List {
			if strings.HasPrefix(c.Text, prefix) {
				return true
			}
		}
	}
	return false
}

// Problem returns what is wrong with d, or "".
func Problem(d *Directive) string {
	switch d.Kind {
	case Ignore:
		if len(d.Checks) == 0 {
			return "asynclint:ignore needs a check and a reason: //asynclint:ignore <check>[,<check>] <reason>"
		}
		for _, c := range d.Checks {
			if !slices.Contains(Checks, c) {
				return "asynclint:ignore names unknown check " + c + " (known: " + strings.Join(Checks, ", ") + ")"
			}
		}
		if d.Reason == "" {
			return "asynclint:ignore needs a reason after the check list, so that readers know why it is safe"
		}
	case Blocking, Nonblocking:
		if d.Reason == "" {
			return "asynclint:" + string(d.Kind) + " needs a reason"
		}
	default:
		return "unknown directive asynclint:" + string(d.Kind) + " (known: ignore, blocking, nonblocking)"
	}
	return ""
}
