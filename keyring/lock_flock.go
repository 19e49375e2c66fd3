//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package keyring

import (
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock (flock) on path+".lock", waiting
// for other processes to release it, and returns the function that
// releases it. The lock file is a sidecar, not the keyring file itself,
// because the keyring file is replaced by rename on every change. It is
// left in place: removing it would let two processes lock different files.
func lock(path string) (unlock func(), err error) {
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	// A lock file root creates for a service's keyring must stay openable
	// by the service.
	keepLockOwner(f, name, path)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, &os.SyscallError{Syscall: "flock", Err: err}
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
