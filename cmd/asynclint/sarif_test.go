package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asynclint/asynclint/internal/output"
)

// TestSARIFFullReport validates a report that uses every part of the SARIF
// output (related locations, fixes with insertions and deletions, problems
// with and without positions, non-ASCII columns) against the schema, and
// checks the parts the fixtures cannot reach until passes produce them.
func TestSARIFFullReport(t *testing.T) {
	dir := t.TempDir()
	src := "package p\n\nvar s = \"é𝄞\"; var x = f()\n"
	os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o666)
	xOff := strings.Index(src, "x =")
	pos := func(off int) output.Position {
		line := strings.Count(src[:off], "\n") + 1
		return output.Position{File: "p.go", Line: line, Column: off - strings.LastIndex(src[:off], "\n"), Offset: off}
	}
	rep := &output.Report{
		Root:    dir,
		Version: "v1.2.3",
		Checks: []output.Check{
			{Name: "unawaited", Summary: "report futures that are never awaited", Doc: "unawaited: report futures that are never awaited\n\nLong text."},
			{Name: "directives", Summary: "report malformed //asynclint: directives", Doc: "directives: report malformed //asynclint: directives"},
		},
		Findings: []output.Finding{{
			Check:    "unawaited",
			Category: "discarded",
			Posn:     pos(xOff),
			End:      pos(xOff + 1),
			Message:  "future returned by f is never awaited (it will not run)",
			Related:  []output.Related{{Posn: pos(8), End: pos(9), Message: "declared here"}},
			Fixes: []output.Fix{{Message: "Await the future", Edits: []output.Edit{
				{File: "p.go", Start: pos(xOff + 4), End: pos(xOff + 4), New: "Await(t, "},
				{File: "p.go", Start: pos(xOff + 7), End: pos(xOff + 7), New: ")"},
				{File: "p.go", Start: pos(8), End: pos(9), New: ""},
			}}},
		}},
		Problems: []output.Problem{
			{Posn: "q/q.go:4:9", Message: "undefined: y"},
			{Message: "example.com/r: no Go files"},
		},
	}
	var buf bytes.Buffer
	if err := output.WriteSARIF(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if errs := loadSARIFSchema(t).validate(buf.Bytes()); len(errs) > 0 {
		t.Fatalf("invalid SARIF:\n%s\n%s", strings.Join(errs, "\n"), buf.String())
	}

	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version string
					Rules   []struct {
						ID              string
						FullDescription struct{ Text string }
						HelpURI         string
					}
				}
			}
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []json.RawMessage
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Locations []struct {
					PhysicalLocation struct {
						Region struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
				RelatedLocations []struct {
					ID      int
					Message struct{ Text string }
				}
				Fixes []struct {
					Description     struct{ Text string }
					ArtifactChanges []struct {
						ArtifactLocation struct{ URI string }
						Replacements     []struct {
							DeletedRegion   struct{ ByteOffset, ByteLength int }
							InsertedContent *struct{ Text string }
						}
					}
				}
				Properties map[string]string
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.Tool.Driver.Version != "v1.2.3" || len(run.Tool.Driver.Rules) != 2 ||
		run.Tool.Driver.Rules[0].FullDescription.Text != rep.Checks[0].Doc ||
		run.Tool.Driver.Rules[0].HelpURI != "https://github.com/asynclint/asynclint/blob/main/docs/checks.md#unawaited" {
		t.Errorf("driver = %+v", run.Tool.Driver)
	}
	if inv := run.Invocations[0]; inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 2 {
		t.Errorf("invocation = %+v", inv)
	}
	res := run.Results[0]
	if res.RuleID != "unawaited" || res.RuleIndex != 0 || res.Properties["category"] != "discarded" {
		t.Errorf("result = %+v", res)
	}
	// "x" follows `var s = "é𝄞"; var `: é is one UTF-16 unit (two bytes),
	// 𝄞 two units (four bytes), so the byte column 23 is UTF-16 column 20.
	if p := rep.Findings[0].Posn; p.Column != 23 {
		t.Fatalf("test setup: byte column %d, want 23", p.Column)
	}
	if r := res.Locations[0].PhysicalLocation.Region; r.StartLine != 3 || r.StartColumn != 20 || r.EndLine != 3 || r.EndColumn != 21 {
		t.Errorf("region = %+v, want 3:20-3:21", r)
	}
	if len(res.RelatedLocations) != 1 || res.RelatedLocations[0].ID != 1 || res.RelatedLocations[0].Message.Text != "declared here" {
		t.Errorf("related = %+v", res.RelatedLocations)
	}
	if len(res.Fixes) != 1 || res.Fixes[0].Description.Text != "Await the future" || len(res.Fixes[0].ArtifactChanges) != 1 {
		t.Fatalf("fixes = %+v", res.Fixes)
	}
	reps := res.Fixes[0].ArtifactChanges[0].Replacements
	if len(reps) != 3 || reps[0].DeletedRegion.ByteOffset != xOff+4 || reps[0].DeletedRegion.ByteLength != 0 ||
		reps[0].InsertedContent == nil || reps[0].InsertedContent.Text != "Await(t, " ||
		reps[2].DeletedRegion.ByteOffset != 8 || reps[2].DeletedRegion.ByteLength != 1 || reps[2].InsertedContent != nil {
		t.Errorf("replacements = %+v", reps)
	}
}

// TestSARIFWithoutPositionValidates checks that findings and related
// positions with no file, or a file but no line, still make a valid log.
func TestSARIFWithoutPositionValidates(t *testing.T) {
	rep := &output.Report{
		Root:   t.TempDir(),
		Checks: []output.Check{{Name: "sendcheck", Summary: "s", Doc: "sendcheck: s"}},
		Findings: []output.Finding{
			{Check: "sendcheck", Message: "nowhere", Related: []output.Related{
				{Message: "also nowhere"},
				{Posn: output.Position{File: "b.go"}, Message: "somewhere in b"},
			}},
			{Check: "sendcheck", Posn: output.Position{File: "b.go"}, Message: "in b"},
		},
	}
	var buf bytes.Buffer
	if err := output.WriteSARIF(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if errs := loadSARIFSchema(t).validate(buf.Bytes()); len(errs) > 0 {
		t.Fatalf("invalid SARIF:\n%s\n%s", strings.Join(errs, "\n"), buf.String())
	}
}
