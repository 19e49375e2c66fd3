package keyring

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/keyseal/keyseal/internal/derive"
)

// JWE content encryption algorithms ("enc") a key can supply a direct
// ("alg": "dir") key for.
const (
	// EncA256GCM is AES-256-GCM, with a 32-byte key.
	EncA256GCM = "A256GCM"
	// EncA256CBCHS512 is AES-256-CBC with HMAC-SHA-512, with a 64-byte key.
	EncA256CBCHS512 = "A256CBC-HS512"
)

// maxJWKSize bounds the JSON [ImportJWK] reads: an oct JWK of 64 bytes of
// key material is under 200 bytes.
const maxJWKSize = 1024

// ErrJWE is returned when a key cannot supply a key for a JWE content
// encryption algorithm: an unknown "enc", or an imported [A256GCMDirect]
// key asked for anything but A256GCM.
var ErrJWE = errors.New("keyring: key cannot be used with this JWE encryption")

// ErrJWK is returned by [ImportJWK] for a JWK it does not accept.
var ErrJWK = errors.New("keyring: unsupported JWK")

func jweKeySize(enc string) int {
	switch enc {
	case EncA256GCM:
		return 32
	case EncA256CBCHS512:
		return 64
	}
	return 0
}

// JWEKey returns the content encryption key of JWE "dir" tokens encrypted
// with enc under k. For keys of the native algorithms it is a subkey,
// k.Derive(derive.JWEPurpose(enc), n), so the root secret never leaves the ring;
// for an imported [A256GCMDirect] key it is a copy of the imported key, and
// only enc A256GCM is allowed. Like Derive, the result is key material:
// keep it out of logs.
func (k *Key) JWEKey(enc string) ([]byte, error) {
	n := jweKeySize(enc)
	switch {
	case n == 0:
		return nil, keyErr(k.id, fmt.Errorf("%w (enc %q)", ErrJWE, enc))
	case k.alg == A256GCMDirect && enc != EncA256GCM:
		return nil, keyErr(k.id, fmt.Errorf("%w (enc %q)", ErrJWE, enc))
	case k.alg == A256GCMDirect:
		return append([]byte(nil), k.secret.bytes()...), nil
	}
	return k.Derive(derive.JWEPurpose(enc), n), nil
}

// jwkFields are the JWK member names ImportJWK reads, by folded name:
// member names are case-sensitive (RFC 7517), so "KTY" is not "kty".
var jwkFields = foldNames(jwk{})

// jwk is an RFC 7517 JSON Web Key of type "oct".
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use,omitempty"`
	Alg string `json:"alg,omitempty"`
	K   string `json:"k"`
}

// ExportJWK returns, as a JSON Web Key, the JWE key of k for enc (see
// [Key.JWEKey]), so that another JOSE stack can seal and open the same
// tokens:
//
//	{"kty":"oct","kid":"<key ID in decimal>","use":"enc","alg":"dir","k":"<base64url>"}
//
// DANGER: the result is key material. Whoever holds it can forge and read
// every JWE token of that key (never native tokens: the root secret is not
// in it). Store it as you store the keyring.
func ExportJWK(k *Key, enc string) ([]byte, error) {
	key, err := k.JWEKey(enc)
	if err != nil {
		return nil, err
	}
	return json.Marshal(jwk{Kty: "oct", Kid: strconv.FormatUint(uint64(k.id), 10), Use: "enc", Alg: "dir",
		K: base64.RawURLEncoding.EncodeToString(key)})
}

// ImportJWK parses an "oct" JSON Web Key holding a 32-byte A256GCM key
// shared by another JOSE stack, and returns it as a key of algorithm
// [A256GCMDirect], in state Active, to add to a ring with [Ring.Import].
// Its "kid" must be a decimal key ID (1 to 4294967295, no leading zero),
// the ID the key takes in the ring; "use", if present, must be "enc" and
// "alg", if present, "dir" or "A256GCM". A 64-byte A256CBC-HS512 key is
// refused with ErrSecretLength: keyring secrets are 32 bytes. Member names
// are case-sensitive (RFC 7517): a "KID" or "K" is refused with ErrSyntax,
// as is a repeated member.
//
// Errors wrap ErrJWK, ErrSyntax, ErrZeroID or ErrSecretLength and never
// contain key material.
func ImportJWK(data []byte, created time.Time) (*Key, error) {
	if len(data) > maxJWKSize {
		return nil, fmt.Errorf("%w: over %d bytes", ErrJWK, maxJWKSize)
	}
	// Only the JWK's own members: an unknown member's object is ignored
	// (RFC 7517), whatever names it holds.
	if err := checkDuplicateNames(data, jwkFields, 1); err != nil {
		return nil, err
	}
	var j jwk
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&j); err != nil {
		return nil, jsonError(err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the JWK", ErrSyntax)
	}
	switch {
	case j.Kty != "oct":
		return nil, fmt.Errorf("%w: kty must be \"oct\"", ErrJWK)
	case j.Use != "" && j.Use != "enc":
		return nil, fmt.Errorf("%w: use must be \"enc\"", ErrJWK)
	case j.Alg != "" && j.Alg != "dir" && j.Alg != EncA256GCM:
		return nil, fmt.Errorf("%w: alg must be \"dir\" or \"A256GCM\"", ErrJWK)
	}
	// Canonical decimal only: the jwe codec refuses a "kid" with a leading
	// zero, so tokens the other stack seals under "07" would never open.
	id, err := strconv.ParseUint(j.Kid, 10, 32)
	if err != nil || len(j.Kid) > 1 && j.Kid[0] == '0' {
		return nil, fmt.Errorf("%w: kid must be a decimal key ID", ErrJWK)
	}
	if id == 0 {
		return nil, ErrZeroID
	}
	var secret [SecretSize + 1]byte
	if base64.RawURLEncoding.DecodedLen(len(j.K)) > len(secret) {
		return nil, keyErr(uint32(id), ErrSecretLength)
	}
	n, err := base64.RawURLEncoding.Strict().Decode(secret[:], []byte(j.K))
	// Strict decoding still skips CR and LF; RFC 7515 base64url has none.
	if err != nil || n != SecretSize || strings.ContainsAny(j.K, "\r\n") {
		return nil, keyErr(uint32(id), ErrSecretLength)
	}
	return NewKey(uint32(id), A256GCMDirect, secret[:n], created)
}
