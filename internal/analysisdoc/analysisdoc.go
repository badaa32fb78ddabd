// Package analysisdoc extracts an analyzer's documentation from the package
// comment of its doc.go, so that godoc, `asynclint help <check>` and
// docs/checks.md all show the same text.
//
// The doc.go comment holds a section
//
//	# Analyzer <name>
//
//	<name>: <lowercase summary, no period, at most 60 characters>
//
//	<details...>
//
// that runs to the next "# " heading or the end of the comment.
package analysisdoc

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the "# Analyzer name" section of the package comment in
// the Go source content, starting with its "name: summary" line.
func Extract(content, name string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", err
	}
	if f.Doc == nil {
		return "", fmt.Errorf("doc.go has no package comment")
	}
	lines := strings.Split(f.Doc.Text(), "\n")
	heading := "# Analyzer " + name
	for i, line := range lines {
		if strings.TrimSpace(line) != heading {
			continue
		}
		var body []string
		for _, l := range lines[i+1:] {
			if strings.HasPrefix(l, "# ") {
				break
			}
			body = append(body, l)
		}
		text := strings.TrimSpace(strings.Join(body, "\n"))
		summary, _, _ := strings.Cut(text, "\n")
		if !strings.HasPrefix(summary, name+": ") {
			return "", fmt.Errorf("section %q must start with %q", heading, name+": <summary>")
		}
		if s := strings.TrimPrefix(summary, name+": "); s == "" || len(s) > 60 || strings.HasSuffix(s, ".") || s != strings.ToLower(s[:1])+s[1:] {
			return "", fmt.Errorf("summary %q must be lowercase, at most 60 characters, without a final period", s)
		}
		return text, nil
	}
	return "", fmt.Errorf("doc.go has no %q section", heading)
}

// MustExtract is Extract for package initialization: a malformed doc.go is a
// build-time mistake that tests catch at once.
func MustExtract(content, name string) string {
	doc, err := Extract(content, name)
	if err != nil {
		panic(fmt.Sprintf("analysisdoc: %s: %v", name, err))
	}
	return doc
}

// Summary returns the first line of doc without the "name: " prefix.
func Summary(doc string) string {
	first, _, _ := strings.Cut(doc, "\n")
	if _, s, ok := strings.Cut(first, ": "); ok {
		return s
	}
	return first
}
