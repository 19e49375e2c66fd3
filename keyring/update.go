package keyring

import (
	"errors"
	"fmt"
	"io/fs"
)

// ErrLocked is returned by [Update] when another process held the keyring
// file's lock for too long. It happens only where the lock is a lock file
// created exclusively (systems without flock); a lock file left by a
// killed process must then be removed by hand.
var ErrLocked = errors.New("keyring: keyring file is locked")

// Update changes the keyring file at path: under an exclusive lock it reads
// the file, applies f to the ring, and writes the result atomically (see
// [WriteFile]), then returns the ring written. Processes that change one
// file through Update (the keyseal command, the demo app, a deploy script)
// are serialised, so concurrent changes all land instead of overwriting
// each other. When the file does not exist, f receives a nil ring, and the
// ring it returns creates the file: f decides whether that is allowed.
// When f, the read or the write fails, the file is untouched and the error
// is returned as is; f must return a ring when it returns no error.
//
// The lock is taken on a sidecar file, path + ".lock" (next to the link's
// target when path is a symbolic link), created with mode 0600 (on Unix
// given the keyring file's owner, as [WriteFile] keeps it, when the
// caller may) and left in place: the keyring file itself is
// replaced by rename on every change, so it cannot carry the lock. On Unix
// systems the lock is flock(2), released when the process dies. Elsewhere
// (Windows, js, wasip1) the lock file is created with O_EXCL and removed on
// release; Update waits up to 30 seconds for it, then fails with
// [ErrLocked]. Only cooperating writers are serialised: a plain [WriteFile]
// ignores the lock.
//
// When path is a symbolic link, Update reads, locks and replaces the file
// the link resolves to, as [WriteFile] does, so writers using the link and
// writers using the target's own path take the same lock; a link to a file
// that does not exist is an error, not a new file.
//
// Errors about the lock or the link are [*FileError]s naming path.
func Update(path string, f func(*Ring) (*Ring, error)) (*Ring, error) {
	target, unlock, err := lockTarget(path)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	defer unlock()
	r, err := ReadFile(target)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	nr, err := f(r)
	if err != nil {
		return nil, err
	}
	if nr == nil {
		return nil, &FileError{Path: path, Err: errors.New("the change returned no ring")}
	}
	if err := WriteFile(target, nr); err != nil {
		return nil, err
	}
	return nr, nil
}

// lockTarget resolves path to the file a write must replace and locks
// it. A link re-pointed between the resolution and the lock would leave
// the lock on a file no longer written, so the link is resolved again
// under the lock, and a link that keeps moving is an error.
func lockTarget(path string) (target string, unlock func(), err error) {
	for range 3 {
		target, err := writeTarget(path)
		if err != nil {
			return "", nil, err
		}
		unlock, err := lock(target)
		if err != nil {
			return "", nil, fmt.Errorf("locking: %w", err)
		}
		again, err := writeTarget(path)
		if err == nil && again == target {
			return target, unlock, nil
		}
		unlock()
		if err != nil {
			return "", nil, err
		}
	}
	return "", nil, errors.New("the symbolic link kept changing while being locked")
}
