//go:build linux

package main

import (
	"fmt"
	"io/fs"
	"syscall"
)

// fileChange returns what, besides size and modification time, tells two
// versions of a file apart: its inode and its status change time, which
// copying with preserved times (cp -p, tar, some image builders) cannot
// set back.
func fileChange(fi fs.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%d %d.%09d", st.Ino, st.Ctim.Sec, st.Ctim.Nsec)
}
