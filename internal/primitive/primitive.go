// Package primitive builds the ciphers native tokens are sealed with, from a
// subkey: the one construction path that codec uses and that conformance
// tests (Wycheproof) check.
package primitive

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"hash"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/keyseal/keyseal/keyring"
)

const (
	// SubkeySize is the length in bytes of the subkeys tokens are sealed
	// with: keyring.Key.Derive with [Purpose] yields this many bytes.
	SubkeySize = 32
	// Purpose is the purpose string of the subkeys native tokens are
	// sealed with (see keyring.Key.Derive).
	Purpose = "token"
)

var (
	errNotAEAD = errors.New("primitive: algorithm is not an AEAD")
	errNotMAC  = errors.New("primitive: algorithm is not a MAC")
	errSubkey  = errors.New("primitive: subkey must be 32 bytes")
)

// NewAEAD returns the cipher a codec seals tokens with for an AEAD
// algorithm ([keyring.XChaCha20Poly1305] or [keyring.AES256GCM]), keyed
// with a 32-byte subkey.
//
// XChaCha20-Poly1305 has 24-byte nonces, AES-256-GCM 12-byte nonces; both
// have 16-byte tags. Other key sizes are refused.
func NewAEAD(alg keyring.Algorithm, subkey []byte) (cipher.AEAD, error) {
	if len(subkey) != SubkeySize {
		return nil, errSubkey
	}
	switch alg {
	case keyring.XChaCha20Poly1305:
		return chacha20poly1305.NewX(subkey)
	case keyring.AES256GCM:
		b, err := aes.NewCipher(subkey)
		if err != nil {
			return nil, err
		}
		return cipher.NewGCM(b)
	}
	return nil, errNotAEAD
}

// NewMAC returns the HMAC-SHA256 a codec signs tokens with for
// [keyring.HMACSHA256], keyed with a subkey (32 bytes in tokens; HMAC
// accepts any length). Its full 32-byte output is the tag: tags are never
// truncated.
func NewMAC(alg keyring.Algorithm, subkey []byte) (hash.Hash, error) {
	if alg != keyring.HMACSHA256 {
		return nil, errNotMAC
	}
	return hmac.New(sha256.New, subkey), nil
}
