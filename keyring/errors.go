package keyring

import (
	"errors"
	"fmt"
)

// Sentinel errors, usable with [errors.Is]. Errors about one key come wrapped
// in a [*KeyError] that names the key's ID; errors about a keyring file come
// wrapped in a [*FileError]. No error ever contains a secret.
var (
	// ErrUnknownAlgorithm: an algorithm name or value that is not one of
	// the defined algorithms.
	ErrUnknownAlgorithm = errors.New("keyring: unknown algorithm")
	// ErrUnknownState: a key state that is not primary, active or retired.
	ErrUnknownState = errors.New("keyring: unknown key state")
	// ErrNotFound: no key in the ring has the ID an operation named.
	ErrNotFound = errors.New("keyring: no key with that ID")
	// ErrDuplicateID: two keys of one ring share an ID.
	ErrDuplicateID = errors.New("keyring: duplicate key ID")
	// ErrZeroID: a key has ID 0, which tokens never carry.
	ErrZeroID = errors.New("keyring: key ID 0 is reserved")
	// ErrNoPrimary: a ring has no primary key to seal with.
	ErrNoPrimary = errors.New("keyring: no primary key")
	// ErrManyPrimaries: a ring has more than one primary key.
	ErrManyPrimaries = errors.New("keyring: more than one primary key")
	// ErrSecretLength: a secret is not SecretSize bytes (in a file: not
	// SecretSize bytes of padded standard base64).
	ErrSecretLength = errors.New("keyring: secret must be 32 bytes")
	// ErrRetirePrimary: an operation tried to retire or remove the
	// primary key; promote another key first.
	ErrRetirePrimary = errors.New("keyring: the primary key cannot be retired or removed")
	// ErrRetired: an operation tried to promote a retired key.
	ErrRetired = errors.New("keyring: key is retired")
	// ErrActivation: a key that is not active has an activation time.
	ErrActivation = errors.New("keyring: only an active key can have an activation time")
	// ErrTimeRange: a key's creation or activation time falls outside the
	// years 0 to 9999 in UTC, which the keyring file cannot hold.
	ErrTimeRange = errors.New("keyring: time outside the years 0 to 9999 in UTC")
	// ErrTooManyKeys: a ring would hold more than MaxKeys keys.
	ErrTooManyKeys = errors.New("keyring: too many keys")
	// ErrSyntax: a keyring file is not valid JSON of the expected shape,
	// or has unknown or repeated fields or trailing data.
	ErrSyntax = errors.New("keyring: malformed keyring file")
	// ErrVersion: a keyring file's version is not FileVersion.
	ErrVersion = errors.New("keyring: unsupported keyring file version")
	// ErrTooLarge: a keyring file is larger than MaxFileSize.
	ErrTooLarge = errors.New("keyring: keyring file too large")
	// ErrNoSource: the environment variable FromEnv reads is unset or
	// empty.
	ErrNoSource = errors.New("keyring: no keyring source")
	// ErrNilKey: a nil *Key was given where a key is needed.
	ErrNilKey = errors.New("keyring: nil key")
)

// KeyError is an error about one key of a ring. It names the key ID, never
// its secret.
type KeyError struct {
	ID  uint32
	Err error
}

// Error returns "keyring: key <ID>: <what is wrong>".
func (e *KeyError) Error() string {
	return fmt.Sprintf("keyring: key %d: %s", e.ID, trimPrefix(e.Err))
}

// Unwrap returns the sentinel or other error e wraps.
func (e *KeyError) Unwrap() error { return e.Err }

// FileError is an error reading, parsing or writing a keyring file.
type FileError struct {
	Path string // empty when the ring came from bytes or the environment
	Err  error
}

// Error returns "keyring: <path>: <what is wrong>", or without the path
// when there is none.
func (e *FileError) Error() string {
	if e.Path == "" {
		return "keyring: " + trimPrefix(e.Err)
	}
	return fmt.Sprintf("keyring: %s: %s", e.Path, trimPrefix(e.Err))
}

// Unwrap returns the error e wraps: a sentinel, a [*KeyError] or an
// error from the file system.
func (e *FileError) Unwrap() error { return e.Err }

// trimPrefix drops a leading "keyring: " so wrapped errors read as one
// sentence.
func trimPrefix(err error) string {
	if err == nil {
		return "error"
	}
	s := err.Error()
	const p = "keyring: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

func keyErr(id uint32, err error) error { return &KeyError{ID: id, Err: err} }
