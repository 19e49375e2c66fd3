// Package derive is keyseal's subkey derivation: HKDF-SHA256 (RFC 5869)
// with an info string that binds every subkey to its algorithm and purpose,
// so that one secret never keys two algorithms or two purposes. keyring's
// Key.Derive uses it; conformance tests (Wycheproof) and the test vectors
// check it byte for byte. FORMAT.md specifies it.
package derive

import (
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
)

// Version is the version of the derivation, the first word of every info
// string.
const Version = "keyseal/v1"

// Key is HKDF-SHA256 of secret with salt and info. Key.Derive calls it with
// a nil salt (the RFC's default of 32 zero bytes) and the info of [Info].
// It returns an error, and no output, when length is outside 1..255*32.
func Key(secret, salt []byte, info string, length int) ([]byte, error) {
	if length < 1 {
		return nil, errors.New("keyring: derived key length must be at least 1")
	}
	return hkdf.Key(sha256.New, secret, salt, info, length)
}

// Info returns the HKDF info string of a subkey of an algorithm (its
// keyring name, such as "xchacha20poly1305") for a purpose.
func Info(alg, purpose string) string {
	return Version + " " + alg + " " + purpose
}

// JWEPurpose returns the purpose of a key's JWE content encryption key for
// enc: "jwe " + enc.
func JWEPurpose(enc string) string { return "jwe " + enc }
