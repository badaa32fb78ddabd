package main

import (
	"bytes"
	"crypto/sha256"
	"os"
	"testing"
)

// TestSelfDigest checks that the remembered digest is the executable's
// real SHA-256, on the first call (computed) and the second (remembered).
func TestSelfDigest(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	data, err := os.ReadFile(exePath())
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(data)
	for i := range 2 {
		got, err := selfDigest()
		if err != nil || !bytes.Equal(got, want[:]) {
			t.Fatalf("call %d: selfDigest() = %x, %v; want %x", i, got, err, want)
		}
	}
}
