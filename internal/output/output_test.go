package output

import (
	"bytes"
	"encoding/json"
	"testing"
)

func report() *Report {
	return &Report{
		Findings: []Finding{
			{Check: "b", Posn: Position{File: "z.go", Line: 1, Column: 1}, End: Position{File: "z.go", Line: 1, Column: 4}, Message: "late file"},
			{Check: "b", Posn: Position{File: "a.go", Line: 10, Column: 2}, End: Position{File: "a.go", Line: 10, Column: 5}, Message: "line ten"},
			{Check: "a", Posn: Position{File: "a.go", Line: 9, Column: 7}, End: Position{File: "a.go", Line: 9, Column: 8}, Message: "line nine, 100% sure: yes\nsecond line",
				Related: []Related{{Posn: Position{File: "a.go", Line: 3, Column: 1}, Message: "held here"}}},
			{Check: "a", Posn: Position{File: "a.go", Line: 10, Column: 2}, End: Position{File: "a.go", Line: 10, Column: 5}, Message: "same place, other check"},
		},
		Problems: []Problem{
			{Posn: "c:/dir/x.go:4:9", Message: "undefined: y"},
			{Message: "example.com/r: no Go files"},
		},
	}
}

func TestTextSorted(t *testing.T) {
	r := report()
	r.Sort()
	var buf bytes.Buffer
	if err := WriteText(&buf, r); err != nil {
		t.Fatal(err)
	}
	want := `a.go:9:7: line nine, 100% sure: yes
second line (a)
	a.go:3:1: held here
a.go:10:2: same place, other check (a)
a.go:10:2: line ten (b)
z.go:1:1: late file (b)
`
	if buf.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", buf.String(), want)
	}

	buf.Reset()
	WriteProblems(&buf, r)
	if want := "example.com/r: no Go files\nc:/dir/x.go:4:9: undefined: y\n"; buf.String() != want {
		t.Errorf("problems:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestGitHubEscaping(t *testing.T) {
	r := report()
	r.Sort()
	var buf bytes.Buffer
	if err := WriteGitHub(&buf, r); err != nil {
		t.Fatal(err)
	}
	want := "::error title=asynclint::example.com/r: no Go files\n" +
		"::error file=c%3A/dir/x.go,line=4,col=9,title=asynclint::undefined: y\n" +
		"::error file=a.go,line=9,col=7,endLine=9,endColumn=8,title=asynclint/a::line nine, 100%25 sure: yes%0Asecond line%0Aa.go:3:1: held here\n" +
		"::error file=a.go,line=10,col=2,endLine=10,endColumn=5,title=asynclint/a::same place, other check\n" +
		"::error file=a.go,line=10,col=2,endLine=10,endColumn=5,title=asynclint/b::line ten\n" +
		"::error file=z.go,line=1,col=1,endLine=1,endColumn=4,title=asynclint/b::late file\n"
	if buf.String() != want {
		t.Errorf("github:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", report()); err == nil {
		t.Error("Write with format xml succeeded")
	}
}

// unplaced has a finding with no position at all, one with a file but no
// line, and related positions of both kinds, as a pass may report through
// token.NoPos or a position its file set does not know.
func unplaced() *Report {
	return &Report{
		Findings: []Finding{
			{Check: "a", Message: "nowhere",
				Related: []Related{{Message: "also nowhere"}, {Posn: Position{File: "b.go"}, Message: "somewhere in b"}}},
			{Check: "a", Posn: Position{File: "b.go"}, End: Position{File: "b.go"}, Message: "in b",
				Related: []Related{{Posn: Position{File: "b.go", Line: 2, Column: 3, Offset: 12}, Message: "line two"}}},
		},
	}
}

func TestTextWithoutPosition(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, unplaced()); err != nil {
		t.Fatal(err)
	}
	// go vet prints token.Position's "-" and bare file name the same way.
	want := "-: nowhere (a)\n\t-: also nowhere\n\tb.go: somewhere in b\nb.go: in b (a)\n\tb.go:2:3: line two\n"
	if buf.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestGitHubWithoutPosition(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteGitHub(&buf, unplaced()); err != nil {
		t.Fatal(err)
	}
	want := "::error title=asynclint/a::nowhere%0A-: also nowhere%0Ab.go: somewhere in b\n" +
		"::error file=b.go,title=asynclint/a::in b%0Ab.go:2:3: line two\n"
	if buf.String() != want {
		t.Errorf("github:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestJSONWithoutPosition(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, unplaced()); err != nil {
		t.Fatal(err)
	}
	var doc JSONReport
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 2 || doc.Findings[0].Posn != (Position{}) || doc.Findings[1].Posn.File != "b.go" || doc.Findings[1].Posn.Line != 0 {
		t.Errorf("json findings: %+v", doc.Findings)
	}
}

func TestSARIFWithoutPosition(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, unplaced()); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Message          struct{ Text string }
				Locations        []map[string]any
				RelatedLocations []map[string]any
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results
	if len(res) != 2 {
		t.Fatalf("got %d results, want 2:\n%s", len(res), buf.String())
	}
	// No file: no location at all; related positions keep their message.
	if len(res[0].Locations) != 0 {
		t.Errorf("result without position has locations %v", res[0].Locations)
	}
	if rel := res[0].RelatedLocations; len(rel) != 2 || rel[0]["physicalLocation"] != nil || rel[0]["message"] == nil {
		t.Errorf("related without position: %v", rel)
	}
	// A file without a line: the file, with no region.
	for _, loc := range []map[string]any{res[0].RelatedLocations[1], res[1].Locations[0]} {
		phys, _ := loc["physicalLocation"].(map[string]any)
		if phys == nil || phys["region"] != nil || phys["artifactLocation"].(map[string]any)["uri"] != "b.go" {
			t.Errorf("location of a file without a line: %v", loc)
		}
	}
	phys := res[1].RelatedLocations[0]["physicalLocation"].(map[string]any)
	if region := phys["region"].(map[string]any); region["startLine"] != 2.0 || region["startColumn"] != 3.0 {
		t.Errorf("related region: %v", region)
	}
}

// TestSARIFColumnOfUnknownOffset checks that a position whose column and
// offset do not fit the file (a zero column, an offset past the end) falls
// back to the byte column instead of slicing out of range.
func TestSARIFColumnOfUnknownOffset(t *testing.T) {
	s := &sarifWriter{src: map[string][]byte{"x.go": []byte("package x\n")}}
	for _, p := range []Position{
		{File: "x.go"},
		{File: "x.go", Line: 1},
		{File: "x.go", Line: 3, Column: 2, Offset: 40},
	} {
		if got, want := s.column(p), max(p.Column, 1); got != want {
			t.Errorf("column(%+v) = %d, want %d", p, got, want)
		}
	}
}
