package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/asynclint/asynclint/internal/checks"
)

// TestChecksDocUpToDate fails when docs/checks.md no longer matches the
// doc.go texts of the registered checks.
func TestChecksDocUpToDate(t *testing.T) {
	var want bytes.Buffer
	markdown(&want, checks.Analyzers(nil))
	got, err := os.ReadFile("../../docs/checks.md")
	if err != nil {
		t.Fatalf("%v; generate it with: go generate ./cmd/asynclint", err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("docs/checks.md is stale; regenerate it with: go generate ./cmd/asynclint")
	}
}

func TestMarkdownSections(t *testing.T) {
	var buf bytes.Buffer
	all := checks.Analyzers(nil)
	markdown(&buf, all)
	md := buf.String()
	for _, a := range all {
		// The SARIF helpUri of each rule points at this anchor.
		if !strings.Contains(md, "\n## "+a.Name+"\n") || !strings.Contains(md, "["+a.Name+"](#"+a.Name+")") {
			t.Errorf("docs/checks.md has no section or index entry for %s", a.Name)
		}
	}
}

func TestFenceCode(t *testing.T) {
	doc := "Wrong:\n\n\tf := work()\n\n\tuse(f)\n\nRight:\n\n\tAwait(t, work())\n\nEnd."
	want := "Wrong:\n\n```go\nf := work()\n\nuse(f)\n```\n\nRight:\n\n```go\nAwait(t, work())\n```\n\nEnd."
	if got := fenceCode(doc); got != want {
		t.Errorf("fenceCode:\n%s\nwant:\n%s", got, want)
	}
}
