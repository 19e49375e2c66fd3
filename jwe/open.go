package jwe

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/compact"
	"github.com/keyseal/keyseal/internal/jwtclaims"
	"github.com/keyseal/keyseal/internal/keyuse"
	"github.com/keyseal/keyseal/keyring"
)

// allowedHeaders are the protected header members Open accepts; any other
// ("zip", "crit", "jwk", "x5c", "epk", ...) makes the token malformed.
var allowedHeaders = map[string]bool{"alg": true, "enc": true, "kid": true, "typ": true, "cty": true}

// Open verifies and decrypts a token, enforces its times, and returns its
// claims, a JSON object, as they were sealed. Decode them with
// encoding/json; it matches claim names to struct fields without regard to
// case ("SUB" fills a field tagged "sub"), unlike JavaScript: when the
// issuer may put names of a client's choosing in a token, decode into a map
// to see exactly what it holds.
// On failure the error is, or wraps, a sentinel of package keyseal:
// ErrTooLarge, ErrMalformed (shape, an IV or tag of the wrong length,
// header, no "kid", algorithms, claims), ErrUnknownKey (a "kid" not in
// the ring), ErrAuth, ErrKeyRetired,
// ErrExpired or ErrNotYetValid; the last three only for genuine tokens.
func (c *Codec) Open(token string) ([]byte, keyseal.Meta, error) {
	if len(token) > c.maxToken {
		return nil, keyseal.Meta{}, keyseal.ErrTooLarge
	}
	id, err := checkHeader(token, string(c.enc))
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	cc, err := c.keys()
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	e, ok := cc.keys[id]
	if !ok {
		return nil, keyseal.Meta{}, fmt.Errorf("%w (key %d)", keyseal.ErrUnknownKey, id)
	}
	obj, err := jose.ParseEncryptedCompact(token, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{c.enc})
	if err != nil {
		return nil, keyseal.Meta{}, keyseal.ErrMalformed
	}
	plain, err := obj.Decrypt(e.cek)
	if err != nil {
		return nil, keyseal.Meta{}, keyseal.ErrAuth
	}

	// Genuine from here on.
	if e.key.State() == keyring.Retired {
		return nil, keyseal.Meta{}, fmt.Errorf("%w (key %d)", keyseal.ErrKeyRetired, id)
	}
	now := c.clock()
	t, err := jwtclaims.Parse(plain)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	// Without "iat" a token's age is unknown and MaxAge could not bound
	// it: a foreign issuer could seal one valid for years.
	if !t.HasIssuedAt {
		return nil, keyseal.Meta{}, fmt.Errorf("%w: no \"iat\" claim", keyseal.ErrMalformed)
	}
	if err := t.Check(now.Unix(), c.leeway, c.maxAge); err != nil {
		return nil, keyseal.Meta{}, err
	}
	keyuse.Open(e.key, now)
	return plain, keyseal.Meta{
		KeyID:       id,
		IssuedAt:    time.Unix(t.IssuedAt, 0).UTC(),
		ExpiresAt:   time.Unix(min(t.Expiry, t.IssuedAt+c.maxAge), 0).UTC(),
		NeedsReseal: cc.ring.Primary(now) != e.key,
	}, nil
}

// maxHeaderSize bounds the protected header Open decodes itself.
const maxHeaderSize = 512

// checkHeader checks the token's shape and protected header before any
// cryptography, and returns the key ID of its "kid". Only "alg" "dir" and
// the codec's own "enc" pass, with an Initialization Vector and a tag of
// exactly the lengths that "enc" needs: one spelling per token.
func checkHeader(token, enc string) (uint32, error) {
	if !compact.Valid(token) {
		return 0, keyseal.ErrMalformed
	}
	h, err := ParseHeader(token)
	if err != nil {
		return 0, err
	}
	// The algorithms first, so that a token of another "alg" (with an
	// encrypted key) says so.
	if err := compact.Algorithms(h.Algorithm, h.Encryption, enc); err != nil {
		return 0, err
	}
	if !compact.Direct(token) {
		return 0, fmt.Errorf("%w: an encrypted key, which \"dir\" has none of", keyseal.ErrMalformed)
	}
	if !compact.Exact(token, enc) {
		return 0, fmt.Errorf("%w: IV or tag of the wrong length for %s", keyseal.ErrMalformed, enc)
	}
	if h.KeyID == "" {
		return 0, fmt.Errorf("%w: no \"kid\" header", keyseal.ErrMalformed)
	}
	id, ok := parseKID(h.KeyID)
	if !ok {
		return 0, fmt.Errorf("%w: kid is not a key ID", keyseal.ErrUnknownKey)
	}
	return id, nil
}

// Header is the protected header of a JWE token, read unverified.
type Header struct {
	Algorithm  string `json:"alg"`
	Encryption string `json:"enc"`
	KeyID      string `json:"kid"`
	Type       string `json:"typ"`
	// ContentType is "cty".
	ContentType string `json:"cty"`
}

// ParseHeader reads the protected header of a compact JWE token WITHOUT
// verifying anything: for routing and diagnostics only. It refuses, with
// keyseal.ErrMalformed, a header over 512 bytes or with members other than
// "alg", "enc", "kid", "typ" and "cty" (a "zip" among them).
func ParseHeader(token string) (Header, error) {
	part, _, _ := strings.Cut(token, ".")
	if base64.RawURLEncoding.DecodedLen(len(part)) > maxHeaderSize {
		return Header{}, fmt.Errorf("%w: header too large", keyseal.ErrMalformed)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(part)
	if err != nil {
		return Header{}, keyseal.ErrMalformed
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return Header{}, keyseal.ErrMalformed
	}
	for name := range members {
		if !allowedHeaders[name] {
			return Header{}, fmt.Errorf("%w: header %q not allowed", keyseal.ErrMalformed, truncate(name))
		}
	}
	var h Header
	if err := json.Unmarshal(raw, &h); err != nil {
		return Header{}, keyseal.ErrMalformed
	}
	return h, nil
}

func truncate(s string) string {
	if len(s) > 16 {
		return s[:16] + "..."
	}
	return s
}
