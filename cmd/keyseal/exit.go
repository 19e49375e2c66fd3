package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/keyring"
	"github.com/keyseal/keyseal/legacy"
)

// Exit codes. They are part of keyseal's interface: scripts branch on them,
// "keyseal help" lists them, and they never change meaning.
const (
	exitOK        = 0  // success
	exitRefused   = 1  // a keyring change or export was refused (retiring the primary, a duplicate key ID)
	exitUsage     = 2  // bad command, flag, argument, time or duration
	exitAuth      = 3  // the token failed authentication: altered, other key, other name
	exitTime      = 4  // the token is genuine but expired or not yet valid
	exitKey       = 5  // unknown or retired key (in a token, or an ID given to a keyring command), or a primary that cannot seal the format
	exitMalformed = 6  // not a token: bad base64, too short, bad header, unsupported version
	exitKeyring   = 7  // the keyring file or $KEYSEAL_KEYRING is not a valid keyring, or a JWK is refused
	exitIO        = 8  // a file or stdin could not be read or written
	exitTooLarge  = 9  // stdin, a token, or the token a plaintext would make is over a limit
	exitCutoff    = 10 // a securecookie value opened at or after --cutoff: the migration is over
)

// exitCodes describes the exit codes for "keyseal help", in order.
var exitCodes = []struct {
	code int
	what string
}{
	{exitOK, "success"},
	{exitRefused, "keyring change or export refused (e.g. retiring the primary, importing a key ID already in the ring)"},
	{exitUsage, "usage error: unknown command or flag, bad argument, time or duration, no token on stdin"},
	{exitAuth, "token authentication failed (altered, other keyring or key file, other --name, a JWE token given a --name)"},
	{exitTime, "token expired or not yet valid"},
	{exitKey, "unknown or retired key, or a primary key that cannot seal the format asked for"},
	{exitMalformed, "malformed token (not base64, too short, bad header, unsupported version, bad JWE claims)"},
	{exitKeyring, "bad keyring file or $KEYSEAL_KEYRING, or a JWK import-jwk does not accept"},
	{exitIO, "I/O error: a file or stdin could not be read or written"},
	{exitTooLarge, "input too large: stdin over its limit, or a token over the size limit"},
	{exitCutoff, "securecookie value refused: past --cutoff (checked before the value is verified)"},
}

// exitError is an error with the exit code it ends keyseal with.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// withCode attaches an exit code to err, which may be nil.
func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: code, err: err}
}

func usageErrorf(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// errHelp ends a command that printed its help on request: exit code 0.
var errHelp = &exitError{code: exitOK, err: errors.New("help shown")}

// codeOf returns the exit code err ends keyseal with.
func codeOf(err error) int {
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return exitRefused
}

// report prints err as one line on stderr and returns its exit code.
func report(stderr io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	code := codeOf(err)
	if code == exitOK {
		return code
	}
	msg := strings.Join(strings.Fields(err.Error()), " ") // one line, whatever the error
	fmt.Fprintf(stderr, "keyseal: %s\n", msg)
	return code
}

// codecCode maps an error from opening or sealing a token to its exit code.
func codecCode(err error) int {
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, legacy.ErrCutoff):
		return exitCutoff
	case errors.Is(err, keyseal.ErrAuth):
		return exitAuth
	case errors.Is(err, keyseal.ErrExpired), errors.Is(err, keyseal.ErrNotYetValid):
		return exitTime
	case errors.Is(err, keyseal.ErrUnknownKey), errors.Is(err, keyseal.ErrKeyRetired), errors.Is(err, keyseal.ErrPrimaryCannotSeal),
		errors.Is(err, keyseal.ErrNoUsableKey):
		return exitKey
	case errors.Is(err, keyseal.ErrMalformed), errors.Is(err, keyseal.ErrUnsupportedVersion):
		return exitMalformed
	case errors.Is(err, keyseal.ErrTooLarge):
		return exitTooLarge
	case errors.Is(err, keyseal.ErrLifetime):
		return exitUsage
	}
	return exitRefused
}

// ringCode maps an error from reading, changing or writing a keyring to its
// exit code: file system errors are I/O errors, an unknown or retired key ID
// is a key error, other refused changes are refusals, and everything else
// is a bad keyring.
func ringCode(err error) int {
	var pe *fs.PathError
	var le *os.LinkError
	var se *os.SyscallError
	var fe *keyring.FileError
	switch {
	case errors.As(err, &pe), errors.As(err, &le), errors.As(err, &se), errors.Is(err, keyring.ErrLocked),
		errors.Is(err, errExists):
		return exitIO
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, keyring.ErrRetired):
		return exitKey
	case errors.As(err, &fe):
		// The file itself was refused (too many keys in it included),
		// not a change to it.
		return exitKeyring
	case errors.Is(err, keyring.ErrRetirePrimary), errors.Is(err, keyring.ErrTooManyKeys):
		return exitRefused
	}
	return exitKeyring
}
