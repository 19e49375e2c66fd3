package keyseal

import "errors"

// Errors returned when a token does not open, by every format (codec, jwe,
// authjs, legacy). They are sentinels to test with [errors.Is]; an error may
// wrap one of them with more context, such as the key ID or the reason a
// header was refused. ErrAuth never says which byte or which key failed.
//
// Only ErrAuth, ErrKeyRetired, ErrExpired and ErrNotYetValid are decided
// after the token is authenticated; the others describe its shape or its
// unauthenticated header, so they say nothing about whether it is genuine.
var (
	// ErrMalformed: not a token of this format (bad base64, too short,
	// unknown flags, inconsistent times).
	ErrMalformed = errors.New("keyseal: malformed token")
	// ErrAuth: the token was altered, sealed under another key, or sealed
	// for another name.
	ErrAuth = errors.New("keyseal: token authentication failed")
	// ErrUnknownKey: the key ID in the token is not in the keyring.
	ErrUnknownKey = errors.New("keyseal: unknown key")
	// ErrKeyRetired: the token is genuine, but its key is retired.
	ErrKeyRetired = errors.New("keyseal: key is retired")
	// ErrExpired: the token is genuine but past its expiry or the codec's
	// MaxAge, beyond the leeway.
	ErrExpired = errors.New("keyseal: token expired")
	// ErrNotYetValid: the token is genuine but issued in the future,
	// beyond the leeway.
	ErrNotYetValid = errors.New("keyseal: token not yet valid")
	// ErrTooLarge: the token, or what it decompresses to, is over a size
	// limit; from Seal, the token would be.
	ErrTooLarge = errors.New("keyseal: token too large")
	// ErrUnsupportedVersion: the token's format version is not one this
	// codec reads.
	ErrUnsupportedVersion = errors.New("keyseal: unsupported token version")
	// ErrNoKeyring: the codec has no keyring source, or it returned no
	// ring or one without keys (the zero Ring): an operator or
	// programming error (a Source must always have a ring).
	ErrNoKeyring = errors.New("keyseal: keyring source returned no ring")
	// ErrPrimaryCannotSeal: the ring's primary key is of an algorithm the
	// codec cannot seal with (an imported JWE key for native tokens, an
	// A256GCM key for A256CBC-HS512 JWE): promote another key.
	ErrPrimaryCannotSeal = errors.New("keyseal: primary key cannot seal this format")
	// ErrNoUsableKey: New was given a ring none of whose keys the codec
	// can open tokens with (only imported JWE keys, for native tokens):
	// a configuration error. A ring whose primary alone cannot seal is
	// accepted: its codec opens, and only Seal fails.
	ErrNoUsableKey = errors.New("keyseal: keyring has no key this format can use")
	// ErrLifetime: Seal was asked for an expiry that is not after the
	// issue time, or a time outside the format's range.
	ErrLifetime = errors.New("keyseal: expiry must be after the issue time, both in 1970..36812")
)
