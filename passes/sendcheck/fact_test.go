package sendcheck

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// TestFactRoundTrip checks that the facts survive the gob encoding the
// drivers use between packages, and encode deterministically.
func TestFactRoundTrip(t *testing.T) {
	for _, f := range []analysis.Fact{
		&capturesParams{Params: []int{0}},
		&capturesParams{Params: []int{0, 2, 5}},
		&spawnsParams{Params: []int{1}},
		&spawnsParams{Params: []int{1, 3}},
		&awaitsParams{Params: []int{1}},
		&awaitsParams{Params: []int{0, 2}},
		&paramAccesses{Accesses: []paramAccess{{Param: 0, Path: ".f1;", Write: true}}},
		&paramAccesses{Accesses: []paramAccess{{Param: 0, Path: "", Write: false}, {Param: 2, Path: "*.f0;", Write: true}}},
		&lockedCalls{Calls: []lockedCall{{Param: 1, Lock: 0, Path: ".f0"}}},
		&lockedCalls{Calls: []lockedCall{{Param: 0, Lock: -1, Path: "example.com/p.mu"}, {Param: 2, Lock: 1, Path: "*.f1#r"}}},
		&callsParams{Params: []int{1}},
		&callsParams{Params: []int{0, 2}},
	} {
		var buf1, buf2 bytes.Buffer
		if err := gob.NewEncoder(&buf1).Encode(f); err != nil {
			t.Fatal(err)
		}
		if err := gob.NewEncoder(&buf2).Encode(f); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf1.Bytes(), buf2.Bytes()) {
			t.Errorf("%s: two encodings differ", f)
		}
		got := reflect.New(reflect.TypeOf(f).Elem()).Interface().(analysis.Fact)
		if err := gob.NewDecoder(&buf1).Decode(got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, f) || fmt.Sprint(got) != fmt.Sprint(f) {
			t.Errorf("round trip: got %s, want %s", got, f)
		}
	}
}
