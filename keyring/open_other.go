//go:build !unix

package keyring

import "os"

// openRegular opens path for reading if it is a regular file. (Without
// Unix FIFOs there is no open to wait on.)
func openRegular(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return checkRegular(f)
}
