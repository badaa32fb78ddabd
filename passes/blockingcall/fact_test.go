package blockingcall

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"go/token"
	"reflect"
	"testing"
)

func TestFactRoundTrip(t *testing.T) {
	for _, f := range []*mayBlock{
		{
			Chain: []step{
				{Pkg: "example.com/app", Name: "fetchJoke"},
				{Pkg: "example.com/app/lib", Recv: "*Client", Name: "Get"},
				{Pkg: "net/http", Name: "Get"},
			},
			Tier:  1,
			First: "/src/app/app.go:12:3",
			Leaf:  "/src/app/lib/lib.go:30:14",
		},
		{Chain: []step{{Pkg: "example.com/c", Name: "cgoSleep"}}, Tier: 1, Reason: "calls C.usleep"},
		{Chain: []step{{Pkg: "example.com/a", Recv: "T", Name: "Poll"}, {Name: "channel receive"}}, Tier: 2},
	} {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(f); err != nil {
			t.Fatalf("encode %v: %v", f, err)
		}
		first := buf.Bytes()
		var got mayBlock
		if err := gob.NewDecoder(bytes.NewReader(first)).Decode(&got); err != nil {
			t.Fatalf("decode %v: %v", f, err)
		}
		if !reflect.DeepEqual(&got, f) {
			t.Errorf("round trip: got %#v, want %#v", got, *f)
		}
		var again bytes.Buffer
		if err := gob.NewEncoder(&again).Encode(&got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again.Bytes()) {
			t.Errorf("encoding of %v is not deterministic", f)
		}
	}
}

func TestFactString(t *testing.T) {
	f := &mayBlock{Chain: []step{
		{Pkg: "example.com/app", Name: "fetchJoke"},
		{Pkg: "example.com/app", Recv: "*Client", Name: "get"},
		{Pkg: "example.com/lib", Recv: "Pool", Name: "Wait"},
		{Pkg: "net/http", Recv: "*Client", Name: "Do"},
	}, Tier: 1}
	const want = "mayBlock(fetchJoke -> (*Client).get -> (lib.Pool).Wait -> (*net/http.Client).Do)"
	if got := f.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	f.Tier = 2
	if got := f.String(); got != "mayBlock(tier2: "+want[len("mayBlock("):] {
		t.Errorf("tier 2 String() = %q", got)
	}
}

func TestSplitLoc(t *testing.T) {
	for loc, want := range map[string]string{
		"/src/a.go:12:3":   "/src/a.go 12 3",
		"c:/src/a.go:12:3": "c:/src/a.go 12 3",
		"/src/a.go:12":     "bad",
		"/src/a.go:0:3":    "bad",
		"":                 "bad",
	} {
		file, line, col, ok := splitLoc(loc)
		got := fmt.Sprintf("%s %d %d", file, line, col)
		if !ok {
			got = "bad"
		}
		if got != want {
			t.Errorf("splitLoc(%q) = %s, want %s", loc, got, want)
		}
	}
}

// TestPlaceholder checks that a position in a file the file set does not
// hold prints as the fact's file:line:col.
func TestPlaceholder(t *testing.T) {
	fset := token.NewFileSet()
	fset.AddFile("other.go", -1, 100)
	for _, lc := range [][2]int{{1, 1}, {16, 2}, {3, 40}} {
		pos := placeholder(fset, "/src/lib.go", lc[0], lc[1])
		want := fmt.Sprintf("/src/lib.go:%d:%d", lc[0], lc[1])
		if got := fset.Position(pos).String(); got != want {
			t.Errorf("placeholder(%d, %d) prints %s, want %s", lc[0], lc[1], got, want)
		}
	}
}
