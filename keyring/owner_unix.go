//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package keyring

import (
	"os"
	"syscall"
)

// keepOwner gives the temporary file tmp the owner and group of the file
// at path, if there is one. The new file replaces the old one by rename
// and has mode 0600, so without this an administrator (root) who changes
// a service's keyring file would leave a file the service can no longer
// read. Best effort: only root can give a file away, and a file the
// caller owns needs nothing.
func keepOwner(tmp *os.File, path string) {
	fi, err := os.Stat(path)
	if err != nil {
		return
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) == os.Geteuid() {
		return
	}
	tmp.Chown(int(st.Uid), int(st.Gid))
}
