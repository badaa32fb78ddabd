package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// selfDigest returns the SHA-256 of the asynclint executable, which keys
// both go vet's result cache (through -V=full) and the standalone result
// cache. Hashing the 20 MB binary costs 30-40 ms, as much as the rest of a
// fully cached run, so the digest is remembered in the user cache
// directory under the executable's path, size, modification time (in
// nanoseconds) and, on Linux, inode and status change time: rebuilding or
// replacing the binary changes them, even a copy that keeps the old times.
func selfDigest() ([]byte, error) {
	exe := exePath()
	fi, err := os.Stat(exe)
	if err != nil {
		return nil, err
	}
	id := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%d\x00%s", exe, fi.Size(), fi.ModTime().UnixNano(), fileChange(fi)))
	memo := ""
	if base, err := os.UserCacheDir(); err == nil {
		memo = filepath.Join(base, "asynclint", "self", hex.EncodeToString(id[:16]))
		if data, err := os.ReadFile(memo); err == nil && len(data) == sha256.Size {
			return data, nil
		}
	}
	f, err := os.Open(exe)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	sum := h.Sum(nil)
	if memo != "" && os.MkdirAll(filepath.Dir(memo), 0o777) == nil {
		if tmp, err := os.CreateTemp(filepath.Dir(memo), "tmp-*"); err == nil {
			_, werr := tmp.Write(sum)
			if tmp.Close() == nil && werr == nil {
				os.Rename(tmp.Name(), memo)
			} else {
				os.Remove(tmp.Name())
			}
		}
	}
	return sum, nil
}
