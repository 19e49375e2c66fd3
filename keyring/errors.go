package keyring

import (
	"errors"
	"fmt"
)

// Sentinel errors, usable with [errors.Is]. Errors about one key come wrapped
// in a [*KeyError] that names the key's ID; errors about a keyring file come
// wrapped in a [*FileError]. No error ever contains a secret.
var (
	ErrUnknownAlgorithm = errors.New("keyring: unknown algorithm")
	ErrUnknownState     = errors.New("keyring: unknown key state")
	ErrNotFound         = errors.New("keyring: no key with that ID")
	ErrDuplicateID      = errors.New("keyring: duplicate key ID")
	ErrZeroID           = errors.New("keyring: key ID 0 is reserved")
	ErrNoPrimary        = errors.New("keyring: no primary key")
	ErrManyPrimaries    = errors.New("keyring: more than one primary key")
	ErrSecretLength     = errors.New("keyring: secret must be 32 bytes")
	ErrRetirePrimary    = errors.New("keyring: the primary key cannot be retired or removed")
	ErrRetired          = errors.New("keyring: key is retired")
	ErrActivation       = errors.New("keyring: only an active key can have an activation time")
	ErrTooManyKeys      = errors.New("keyring: too many keys")
	ErrSyntax           = errors.New("keyring: malformed keyring file")
	ErrVersion          = errors.New("keyring: unsupported keyring file version")
	ErrTooLarge         = errors.New("keyring: keyring file too large")
	ErrNoSource         = errors.New("keyring: no keyring source")
	ErrNilKey           = errors.New("keyring: nil key")
)

// KeyError is an error about one key of a ring. It names the key ID, never
// its secret.
type KeyError struct {
	ID  uint32
	Err error
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("keyring: key %d: %s", e.ID, trimPrefix(e.Err))
}

func (e *KeyError) Unwrap() error { return e.Err }

// FileError is an error reading, parsing or writing a keyring file.
type FileError struct {
	Path string // empty when the ring came from bytes or the environment
	Err  error
}

func (e *FileError) Error() string {
	if e.Path == "" {
		return "keyring: " + trimPrefix(e.Err)
	}
	return fmt.Sprintf("keyring: %s: %s", e.Path, trimPrefix(e.Err))
}

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
