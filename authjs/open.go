package authjs

import (
	"fmt"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/compact"
	"github.com/keyseal/keyseal/internal/jwtclaims"
	"github.com/keyseal/keyseal/jwe"
)

// Open decrypts an Auth.js session token (the joined cookie value),
// enforces its times and returns its claims, a JSON object, as they were
// sealed. Meta.NeedsReseal is true when a secret other than the first
// opened it; Meta.KeyID is always 0. Errors wrap keyseal's sentinels:
// ErrTooLarge, ErrMalformed, ErrUnknownKey (a "kid" of no configured
// secret), ErrAuth, ErrExpired, ErrNotYetValid.
//
// encoding/json matches claim names to struct fields without regard to
// case ("SUB" fills a field tagged "sub"), unlike JavaScript; when the
// issuer may put names of a client's choosing in a token, decode the
// claims into a map to see exactly what they hold.
func (c *Codec) Open(token string) ([]byte, keyseal.Meta, error) {
	if len(token) > c.maxToken {
		return nil, keyseal.Meta{}, keyseal.ErrTooLarge
	}
	if !compact.Valid(token) {
		return nil, keyseal.Meta{}, keyseal.ErrMalformed
	}
	h, err := jwe.ParseHeader(token)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	if err := compact.Algorithms(h.Algorithm, h.Encryption, string(jose.A256CBC_HS512), string(jose.A256GCM)); err != nil {
		return nil, keyseal.Meta{}, err
	}
	enc := jose.ContentEncryption(h.Encryption)
	if !compact.Direct(token) {
		return nil, keyseal.Meta{}, fmt.Errorf("%w: an encrypted key, which \"dir\" has none of", keyseal.ErrMalformed)
	}
	// One spelling per token: go-jose would take bytes moved between the
	// ciphertext and the tag.
	if !compact.Exact(token, h.Encryption) {
		return nil, keyseal.Meta{}, fmt.Errorf("%w: IV or tag of the wrong length for %s", keyseal.ErrMalformed, enc)
	}
	var candidates []*secretKey
	if h.KeyID != "" {
		k, ok := c.keys.Get().byKID[h.KeyID]
		if !ok || k.enc != enc {
			return nil, keyseal.Meta{}, keyseal.ErrUnknownKey
		}
		candidates = []*secretKey{k}
	} else {
		j := 0
		if enc == jose.A256GCM {
			j = 1
		}
		pairs := c.keys.Get().pairs
		for i := range pairs {
			candidates = append(candidates, &pairs[i][j])
		}
	}
	obj, err := jose.ParseEncryptedCompact(token, []jose.KeyAlgorithm{jose.DIRECT},
		[]jose.ContentEncryption{jose.A256CBC_HS512, jose.A256GCM})
	if err != nil {
		return nil, keyseal.Meta{}, keyseal.ErrMalformed
	}
	var plain []byte
	var key *secretKey
	for _, k := range candidates {
		if plain, err = obj.Decrypt(k.cek); err == nil {
			key = k
			break
		}
	}
	if key == nil {
		return nil, keyseal.Meta{}, keyseal.ErrAuth
	}

	// Genuine from here on.
	t, err := jwtclaims.Parse(plain)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	if !t.HasIssuedAt {
		// Its age is unknown: MaxAge could not bound a token a foreign
		// sealer made valid for years.
		return nil, keyseal.Meta{}, fmt.Errorf("%w: no \"iat\" claim", keyseal.ErrMalformed)
	}
	if err := t.Check(c.clock().Unix(), c.leeway, c.maxAge); err != nil {
		return nil, keyseal.Meta{}, err
	}
	m := keyseal.Meta{
		IssuedAt:    time.Unix(t.IssuedAt, 0).UTC(),
		ExpiresAt:   time.Unix(t.Expiry, 0).UTC(),
		NeedsReseal: key.index > 0,
	}
	return plain, m, nil
}
