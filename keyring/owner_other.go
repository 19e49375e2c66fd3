//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package keyring

import "os"

// keepOwner does nothing where files have no Unix owner to keep.
func keepOwner(tmp *os.File, path string) {}

// openRegular opens path for reading if it is a regular file.
func openRegular(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return checkRegular(f)
}
