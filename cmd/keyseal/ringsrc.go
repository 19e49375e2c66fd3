package main

import (
	"errors"
	"fmt"

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

// change applies f to the keyring file at path under the file's lock, so
// that concurrent changes all land, and writes the result atomically. When
// f or the write fails, the file is untouched.
func change(path string, f func(*keyring.Ring) (*keyring.Ring, error)) error {
	unlock, err := lock(path)
	if err != nil {
		return withCode(exitIO, fmt.Errorf("locking %s: %w", path, err))
	}
	defer unlock()
	r, err := readRing(path)
	if err != nil {
		return err
	}
	nr, err := f(r)
	if err != nil {
		return withCode(ringCode(err), err)
	}
	if err := keyring.WriteFile(path, nr); err != nil {
		return withCode(exitIO, err)
	}
	return nil
}
