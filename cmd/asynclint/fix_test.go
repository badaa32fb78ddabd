package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asynclint/asynclint/internal/output"
)

const fixSrc = `package p

func f() {
	work()
	other()
}
`

// edit replaces the first occurrence of old in fixSrc with new.
func edit(file, old, new string) output.Edit {
	off := strings.Index(fixSrc, old)
	return output.Edit{
		File:  file,
		Start: output.Position{File: file, Offset: off},
		End:   output.Position{File: file, Offset: off + len(old)},
		New:   new,
	}
}

func fixFinding(file, check, msg string, edits ...output.Edit) output.Finding {
	return output.Finding{
		Check:   check,
		Posn:    edits[0].Start,
		Message: msg,
		Fixes:   []output.Fix{{Message: msg, Edits: edits}},
	}
}

func TestApplyFixes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(fixSrc), 0o666); err != nil {
		t.Fatal(err)
	}
	rep := &output.Report{Root: dir, Findings: []output.Finding{
		fixFinding("p.go", "a", "Await work", edit("p.go", "work()", "Await(t, work())")),
		// The same edit again (a test variant's copy): applied once.
		fixFinding("p.go", "b", "Await work too", edit("p.go", "work()", "Await(t, work())")),
		// Overlaps the first: skipped and kept as a finding.
		fixFinding("p.go", "c", "Drop work", edit("p.go", "\twork()\n", "")),
		fixFinding("p.go", "d", "Await other", edit("p.go", "other()", "Await(t, other())")),
		{Check: "e", Message: "no fix"},
	}}
	var stdout, stderr bytes.Buffer
	remaining, err := applyFixes(rep, false, &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "p.go"))
	want := "package p\n\nfunc f() {\n\tAwait(t, work())\n\tAwait(t, other())\n}\n"
	if string(got) != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", got, want)
	}
	if len(remaining) != 2 || remaining[0].Check != "c" || remaining[1].Check != "e" {
		t.Errorf("remaining = %+v, want the overlapping fix (c) and the finding without one (e)", remaining)
	}
	if !strings.Contains(stderr.String(), `skipped fix "Drop work" (c): it overlaps`) ||
		!strings.Contains(stderr.String(), "applied 3 fixes in 1 file\n") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

func TestApplyFixesDiff(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(fixSrc), 0o666); err != nil {
		t.Fatal(err)
	}
	rep := &output.Report{Root: dir, Findings: []output.Finding{
		fixFinding("p.go", "a", "Await work", edit("p.go", "work()", "Await(t, work())")),
	}}
	var stdout, stderr bytes.Buffer
	if _, err := applyFixes(rep, true, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "p.go")); string(got) != fixSrc {
		t.Errorf("-diff changed the file:\n%s", got)
	}
	want := `--- p.go
+++ p.go
@@ -1,6 +1,6 @@
 package p
 
 func f() {
-	work()
+	Await(t, work())
 	other()
 }
`
	if stdout.String() != want {
		t.Errorf("diff:\n%s\nwant:\n%s", stdout.String(), want)
	}
}

func TestUnifiedDiffHunks(t *testing.T) {
	var old, new strings.Builder
	for i := 1; i <= 20; i++ {
		line := strings.Repeat("x", i) + "\n"
		old.WriteString(line)
		switch i {
		case 2:
			new.WriteString("changed 2\n")
		case 18:
			// deleted
		default:
			new.WriteString(line)
		}
	}
	got := unifiedDiff("f", old.String(), new.String())
	// Two changes 16 lines apart make two hunks with three lines of context.
	if n := strings.Count(got, "@@ -"); n != 2 {
		t.Fatalf("got %d hunks, want 2:\n%s", n, got)
	}
	for _, want := range []string{"@@ -1,5 +1,5 @@\n x\n-xx\n+changed 2\n xxx\n xxxx\n xxxxx\n", "@@ -15,6 +15,5 @@\n xxxxxxxxxxxxxxx\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("diff lacks %q:\n%s", want, got)
		}
	}
}
