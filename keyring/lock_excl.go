//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package keyring

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// lockWait is how long lock waits for another process's lock file.
const lockWait = 30 * time.Second

// lock takes an exclusive lock on path by creating path+".lock" with
// O_EXCL, waiting up to lockWait for another process to remove it, and
// returns the function that releases it. A lock file left by a killed
// process must be removed by hand; the error says so.
func lock(path string) (unlock func(), err error) {
	name := path + ".lock"
	deadline := time.Now().Add(lockWait)
	for {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(name) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%w: %s exists: another process is changing the keyring, or one was killed (then remove it)", ErrLocked, name)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
