//go:build unix

package keyring

import (
	"os"
	"syscall"
)

// openRegular opens path for reading if it is a regular file. It opens
// without blocking, so that a FIFO planted there fails the check instead of
// waiting for a writer; reads of a regular file ignore the flag.
func openRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	return checkRegular(f)
}
