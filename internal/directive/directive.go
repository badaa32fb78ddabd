// Package directive parses asynclint's comment directives and provides the
// "directives" analyzer that reports malformed ones.
//
// Directives:
//
//	//asynclint:ignore <check>[,<check>] <reason>   on the offending line or the line above
//	//asynclint:blocking <reason>                   in a function's doc comment: it blocks
//	//asynclint:nonblocking <reason>                in a function's doc comment: it does not
//
// A reason is required for every directive, as staticcheck requires one for
// //lint:ignore: a suppression without a why is a bug report nobody can read.
package directive

import (
	"go/ast"
	"go/token"
	"strings"
)

// Kind is a directive's verb.
type Kind string

const (
	Ignore      Kind = "ignore"
	Blocking    Kind = "blocking"
	Nonblocking Kind = "nonblocking"
)

const prefix = "//asynclint:"

// Directive is one parsed //asynclint: comment.
type Directive struct {
	Pos    token.Pos // start of the comment
	End    token.Pos // end of the comment
	Line   int       // line of the comment
	Kind   Kind
	Checks []string // for Ignore: the checks it names
	Reason string   // may be empty: a malformed directive
	Raw    string   // the comment text, for messages

	// OwnLine reports whether the comment is alone on its line, so that it
	// applies to the next line rather than to its own.
	OwnLine bool
}

// Parse returns the directives in file. src is the file's content, used to
// tell a trailing comment from one on its own line; if src is nil, every
// directive is treated as applying to both its line and the next.
func Parse(fset *token.FileSet, file *ast.File, src []byte) []*Directive {
	var out []*Directive
	tf := fset.File(file.FileStart)
	for _, group := range file.Comments {
		for _, c := range group.List {
			if !strings.HasPrefix(c.Text, prefix) {
				continue
			}
			d := parseText(c.Text)
			d.Pos, d.End = c.Pos(), c.End()
			d.Line = fset.Position(c.Pos()).Line
			d.OwnLine = ownLine(tf, src, c.Pos())
			out = append(out, d)
		}
	}
	return out
}

func parseText(text string) *Directive {
	body := strings.TrimPrefix(text, prefix)
	verb, rest, _ := strings.Cut(body, " ")
	d := &Directive{Kind: Kind(verb), Raw: text}
	rest = strings.TrimSpace(rest)
	if d.Kind == Ignore {
		list, reason, _ := strings.Cut(rest, " ")
		for _, name := range strings.Split(list, ",") {
			if name = strings.TrimSpace(name); name != "" {
				d.Checks = append(d.Checks, name)
			}
		}
		rest = strings.TrimSpace(reason)
	}
	// golangci-lint users write the reason after a second "//", as in
	// //nolint:errcheck // why; accept that spelling too.
	d.Reason = strings.TrimSpace(strings.TrimPrefix(rest, "//"))
	return d
}

// ownLine reports whether only white space precedes pos on its line.
func ownLine(tf *token.File, src []byte, pos token.Pos) bool {
	if tf == nil || src == nil {
		return true
	}
	off := tf.Offset(pos)
	if off > len(src) {
		return true
	}
	for i := off - 1; i >= 0 && src[i] != '\n'; i-- {
		if src[i] != ' ' && src[i] != '\t' {
			return false
		}
	}
	return true
}

// Applies reports whether an ignore directive covers a diagnostic on line.
func (d *Directive) Applies(line int) bool {
	if d.OwnLine {
		return line == d.Line+1 || line == d.Line
	}
	return line == d.Line
}

// Names reports whether the ignore directive names check.
func (d *Directive) Names(check string) bool {
	for _, c := range d.Checks {
		if c == check {
			return true
		}
	}
	return false
}

// Valid reports whether d is well formed: a known verb, checks for ignore,
// and a reason.
func (d *Directive) Valid() bool {
	switch d.Kind {
	case Ignore:
		return len(d.Checks) > 0 && d.Reason != ""
	case Blocking, Nonblocking:
		return d.Reason != ""
	}
	return false
}

// FuncDirective returns the first directive of kind k in fd's doc comment.
func FuncDirective(fd *ast.FuncDecl, k Kind) *Directive {
	if fd == nil || fd.Doc == nil {
		return nil
	}
	for _, c := range fd.Doc.List {
		if strings.HasPrefix(c.Text, prefix) {
			if d := parseText(c.Text); d.Kind == k {
				d.Pos, d.End = c.Pos(), c.End()
				return d
			}
		}
	}
	return nil
}
