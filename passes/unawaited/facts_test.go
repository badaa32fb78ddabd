package unawaited

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"
)

func TestFactRoundTrip(t *testing.T) {
	for _, want := range []*consumesParams{
		{},
		{Indices: []int{0}},
		{Indices: []int{0, 2, 5}},
	} {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(want); err != nil {
			t.Fatal(err)
		}
		first := append([]byte(nil), buf.Bytes()...)
		got := new(consumesParams)
		if err := gob.NewDecoder(&buf).Decode(got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() || (len(want.Indices) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("round trip of %v gave %v", want, got)
		}
		// Encoding is deterministic: the same fact encodes to the same bytes.
		var again bytes.Buffer
		if err := gob.NewEncoder(&again).Encode(want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again.Bytes()) {
			t.Errorf("%v encodes differently on a second encoding", want)
		}
	}
}

func TestFactString(t *testing.T) {
	for _, tc := range []struct {
		fact *consumesParams
		want string
	}{
		{&consumesParams{}, "consumes()"},
		{&consumesParams{Indices: []int{1}}, "consumes(1)"},
		{&consumesParams{Indices: []int{0, 2}}, "consumes(0,2)"},
	} {
		if got := tc.fact.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
		for _, i := range tc.fact.Indices {
			if !tc.fact.consumes(i) {
				t.Errorf("%v: consumes(%d) = false", tc.fact, i)
			}
		}
		if tc.fact.consumes(7) {
			t.Errorf("%v: consumes(7) = true", tc.fact)
		}
	}
}
