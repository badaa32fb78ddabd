package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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
	sum, err := fileSHA256(exe)
	if err != nil {
		return nil, err
	}
	if memo != "" {
		writeAtomic(memo, sum)
	}
	return sum, nil
}
