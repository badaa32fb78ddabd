package output

import (
	"bytes"
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
