//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package keyring

import (
	"os"
	"syscall"
)

// ownerOf returns the owner and group of the regular file at path, without
// following a symlink there.
func ownerOf(path string) (uid, gid int, ok bool) {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return 0, 0, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}

// keepOwner gives the temporary file tmp the owner and group of the
// keyring file at path, if there is one and either differs from the
// caller's. The new file replaces the old one by rename and has mode 0600,
// so without this an administrator (root) who changes a service's keyring
// file would leave a file the service can no longer read. Best effort: only root can give a file away, and a file the
// caller owns needs nothing. tmp was created by this process (O_EXCL), so
// it is safe to give away.
func keepOwner(tmp *os.File, path string) {
	if uid, gid, ok := ownerOf(path); ok && (uid != os.Geteuid() || gid != os.Getegid()) {
		tmp.Chown(uid, gid)
	}
}

// keepLockOwner gives the lock file f, opened at name, the owner of the
// keyring file at path, so that the service owning the keyring can still
// take the lock after root did. It does so only when f is a regular file
// whose one and only name is name: a symlink or a hard link planted there
// must not make root give away another file (such as /etc/shadow).
func keepLockOwner(f *os.File, name, path string) {
	uid, gid, ok := ownerOf(path)
	if !ok || uid == os.Geteuid() && gid == os.Getegid() {
		return
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return
	}
	li, err := os.Lstat(name)
	if err != nil || !os.SameFile(fi, li) {
		return
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !ok || st.Nlink != 1 {
		return
	}
	f.Chown(uid, gid)
}
