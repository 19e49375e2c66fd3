package cookiesession

import (
	"errors"
	"fmt"

	"github.com/keyseal/keyseal"
)

// Reasons a session cookie is refused or a session is not saved, to test
// with [errors.Is]. A refused cookie's error may instead match one of the
// keyseal's sentinels (keyseal.ErrAuth, keyseal.ErrExpired, keyseal.ErrKeyRetired,
// keyseal.ErrUnknownKey, keyseal.ErrMalformed, keyseal.ErrTooLarge, ...).
var (
	// ErrRevoked: the session is genuine but was refused by
	// Config.Validate or issued before Config.NotBefore.
	ErrRevoked = errors.New("cookiesession: session revoked")
	// ErrSchema: the session was stored under another schema version and
	// there is no Config.Migrate, or it failed.
	ErrSchema = errors.New("cookiesession: session schema version mismatch")
	// ErrForm: the session was stored in a serialized form the Manager
	// no longer reads: under a Config.Serializer since removed, or in the
	// type's binary form after the type lost its binary methods.
	ErrForm = errors.New("cookiesession: session stored in a serialized form no longer read")
	// ErrDecode: the session is genuine but its data does not decode into
	// the session type.
	ErrDecode = errors.New("cookiesession: session data does not decode")
	// ErrTooLarge: the session does not fit in its cookie (or, with
	// chunking, its cookies). Errors matching it are [*SizeError]s and
	// also match keyseal.ErrTooLarge.
	ErrTooLarge = errors.New("cookiesession: session cookie too large")
	// ErrWritten: the session changed after the response's headers were
	// sent, too late to set its cookie, before a Hijack that took the
	// connection, or before the handler wrote the response through
	// another ResponseWriter than LoadAndSave's; the change is lost.
	ErrWritten = errors.New("cookiesession: session changed after the response was written")
	// ErrDevMode: InsecureDevMode refused to set a cookie for a request
	// whose host is not localhost or a loopback address.
	ErrDevMode = errors.New("cookiesession: insecure dev mode used on a non-loopback host")
)

// SizeError reports a session that did not fit: Size is the length the
// Set-Cookie header value would have had, Max the limit.
type SizeError struct {
	Name      string
	Size, Max int
}

// Error says which cookie did not fit and by how much.
func (e *SizeError) Error() string {
	return fmt.Sprintf("cookiesession: cookie %q would be %d bytes, over the limit of %d", e.Name, e.Size, e.Max)
}

// Unwrap returns ErrTooLarge.
func (e *SizeError) Unwrap() error { return ErrTooLarge }

// Is reports whether target is keyseal.ErrTooLarge, so one test catches both.
func (e *SizeError) Is(target error) bool { return target == keyseal.ErrTooLarge }
