//go:build js || wasip1

package keyring

import (
	"errors"
	"fmt"
	"runtime"
	"syscall"
)

// noFileAccess explains a file error that means the module has no file
// access at all: a browser (js, where the calls are not implemented) or a
// wasip1 runtime without the directory mounted (every open is EBADF). The
// original error stays in the chain for errors.Is.
func noFileAccess(err error) error {
	if errors.Is(err, errors.ErrUnsupported) || errors.Is(err, syscall.EBADF) {
		return fmt.Errorf("%w (this %s/wasm module has no access to the file: mount its directory in the runtime, or load the keyring with FromEnv or Parse)", err, runtime.GOOS)
	}
	return err
}
