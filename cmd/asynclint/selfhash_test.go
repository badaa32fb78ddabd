package main

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	goruntime "runtime"
	"testing"
	"time"
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

// TestFileChangeSeesCopiesWithKeptTimes checks that two files of the same
// size and modification time, as a copy with preserved times leaves them,
// are told apart where the platform allows it.
func TestFileChangeSeesCopiesWithKeptTimes(t *testing.T) {
	if goruntime.GOOS != "linux" {
		t.Skip("only Linux exposes the inode and change time used here")
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	when := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	for name, data := range map[string]string{a: "old binary", b: "new binary"} {
		if err := os.WriteFile(name, []byte(data), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(name, when, when); err != nil {
			t.Fatal(err)
		}
	}
	fa, _ := os.Stat(a)
	fb, _ := os.Stat(b)
	if fa.Size() != fb.Size() || !fa.ModTime().Equal(fb.ModTime()) {
		t.Fatal("setup: sizes or times differ")
	}
	if fileChange(fa) == fileChange(fb) {
		t.Errorf("fileChange(a) = fileChange(b) = %q; want them told apart", fileChange(fa))
	}
}
