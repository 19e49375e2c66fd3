package keyring

import (
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
)

// DeriveKey is the HKDF-SHA256 (RFC 5869) computation behind [Key.Derive],
// exported so that conformance tests (Wycheproof) and other implementations
// can check keyseal's own key construction path byte for byte. Key.Derive
// calls it with the key's secret, a nil salt and the info string of
// [DeriveInfo]; an empty salt is the RFC's default of 32 zero bytes.
//
// It returns an error, and no output, when length is outside 1..255*32.
// Applications should not call it: use Key.Derive, which binds the subkey
// to the key's algorithm and a purpose.
func DeriveKey(secret, salt []byte, info string, length int) ([]byte, error) {
	if length < 1 {
		return nil, errors.New("keyring: derived key length must be at least 1")
	}
	return hkdf.Key(sha256.New, secret, salt, info, length)
}
