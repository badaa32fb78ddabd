package blockingcall

import (
	"bytes"
	"encoding/gob"
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
			First: "/src/app/app.go:12",
			Leaf:  "/src/app/lib/lib.go:30",
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
