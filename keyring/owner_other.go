//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package keyring

import "os"

// keepOwner does nothing where files have no Unix owner to keep.
func keepOwner(tmp *os.File, path string) {}
