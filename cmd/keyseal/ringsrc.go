package main

import (
	"errors"
	"io/fs"

	"github.com/keyseal/keyseal/keyring"
)

// loadRing returns the keyring in the file at path or, when path is empty,
// the one in $KEYSEAL_KEYRING.
func loadRing(e *env, path string) (*keyring.Ring, error) {
	if path != "" {
		return readRing(path)
	}
	v := e.getenv(keyring.EnvVar)
	if v == "" {
		return nil, usageErrorf("no keyring: name a keyring file or set $%s", keyring.EnvVar)
	}
	r, err := keyring.Parse([]byte(v))
	if err != nil {
		var fe *keyring.FileError
		if errors.As(err, &fe) {
			fe.Path = "$" + keyring.EnvVar
		}
		return nil, withCode(exitKeyring, err)
	}
	return r, nil
}

// readRing reads the keyring file at path.
func readRing(path string) (*keyring.Ring, error) {
	r, err := keyring.ReadFile(path)
	if err != nil {
		return nil, withCode(ringCode(err), err)
	}
	return r, nil
}

// change applies f to the keyring file at path with keyring.Update: under
// the file's lock, so that concurrent changes (other keyseal processes,
// the demo app) all land, and written atomically. When f or the write
// fails, the file is untouched. A missing file is an I/O error.
func change(path string, f func(*keyring.Ring) (*keyring.Ring, error)) error {
	_, err := keyring.Update(path, func(r *keyring.Ring) (*keyring.Ring, error) {
		if r == nil {
			return nil, &keyring.FileError{Path: path, Err: &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}}
		}
		return f(r)
	})
	var ee *exitError
	if errors.As(err, &ee) {
		return err // f chose the code
	}
	return withCode(ringCode(err), err)
}
