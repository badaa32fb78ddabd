package sendcheck

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"
)

// TestFactRoundTrip checks that capturesParams survives the gob encoding
// the drivers use between packages, and encodes deterministically.
func TestFactRoundTrip(t *testing.T) {
	for _, f := range []*capturesParams{{Params: []int{0}}, {Params: []int{0, 2, 5}}} {
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
		var got capturesParams
		if err := gob.NewDecoder(&buf1).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&got, f) || got.String() != f.String() {
			t.Errorf("round trip: got %s, want %s", &got, f)
		}
	}
}
