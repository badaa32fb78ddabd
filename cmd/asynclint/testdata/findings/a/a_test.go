package a

import "testing"

func TestF(t *testing.T) {
	//asynclint:ignore
	if F() != 1 {
		t.Fail()
	}
}
