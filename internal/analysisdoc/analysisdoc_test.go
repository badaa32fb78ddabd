package analysisdoc

import (
	"strings"
	"testing"
)

const sample = `// Package x is an example.
//
// # Analyzer widget
//
// widget: report widgets that are never polished
//
// Details here.
//
//	code()
//
// # Another section
//
// Not part of it.
package x
`

func TestExtract(t *testing.T) {
	got, err := Extract(sample, "widget")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "widget: report widgets that are never polished\n\nDetails here.") {
		t.Errorf("got %q", got)
	}
	if strings.Contains(got, "Not part of it") {
		t.Errorf("section ran into the next heading: %q", got)
	}
	if !strings.Contains(got, "\tcode()") {
		t.Errorf("code block lost: %q", got)
	}
	if s := Summary(got); s != "report widgets that are never polished" {
		t.Errorf("Summary = %q", s)
	}
}

func TestExtractErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"missing", sample, "no \"# Analyzer gadget\" section"},
		{"no comment", "package x\n", "no package comment"},
		{"bad summary", strings.Replace(sample, "never polished", "Never polished.", 1), "without a final period"},
		{"wrong prefix", strings.Replace(sample, "widget: report", "report", 1), "must start with"},
	} {
		name := "widget"
		if tc.name == "missing" {
			name = "gadget"
		}
		_, err := Extract(tc.src, name)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}
