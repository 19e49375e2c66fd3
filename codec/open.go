package codec

import (
	"crypto/hmac"
	"fmt"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// Meta describes an opened token.
type Meta struct {
	// KeyID is the ID of the key the token was sealed under.
	KeyID uint32
	// IssuedAt and ExpiresAt are the token's times, to the second.
	IssuedAt, ExpiresAt time.Time
	// NeedsReseal is true when the key is not the ring's primary: re-seal
	// the plaintext (with SealAt, keeping IssuedAt) so that the old key
	// falls out of use before it is retired.
	NeedsReseal bool
	// Compressed reports whether the payload was compressed.
	Compressed bool
}

// Open verifies and opens a token sealed for the codec's name, returning its
// plaintext and metadata. On failure the error is, or wraps, one of the
// sentinel errors of this package. Times are checked only after the token
// is authenticated.
func (c *Codec) Open(token string) ([]byte, Meta, error) {
	return c.AppendOpen(nil, token)
}

// AppendOpen is Open appending the plaintext to dst, which it returns. With
// enough capacity in dst it allocates nothing. On error dst is returned
// unchanged in length (its spare capacity may have been written).
func (c *Codec) AppendOpen(dst []byte, token string) ([]byte, Meta, error) {
	if len(token) > c.maxToken {
		return dst, Meta{}, ErrTooLarge
	}
	// Every token holds at least a header and a 16-byte tag; a length of 1
	// modulo 4 is never valid unpadded base64.
	rawLen := b64.DecodedLen(len(token))
	if rawLen < HeaderSize+16 || len(token)%4 == 1 {
		return dst, Meta{}, ErrMalformed
	}
	cc, err := c.keys()
	if err != nil {
		return dst, Meta{}, err
	}

	// Room for the prefix, the raw token, and after it a decrypted payload
	// awaiting decompression (or a MAC to compare).
	sp := getScratch(len(c.prefix) + 2*rawLen)
	defer putScratch(sp)
	buf := append((*sp)[:0], c.prefix...)
	aad := len(c.prefix) + HeaderSize
	// The decoder skips CR and LF; refusing a short result refuses them.
	n, err := b64.Decode(buf[len(buf):cap(buf)], readOnlyBytes(token))
	if err != nil || n != rawLen {
		return dst, Meta{}, ErrMalformed
	}
	buf = buf[:len(buf)+n]
	raw := buf[len(c.prefix):]

	h, err := parseRawHeader(raw)
	if err != nil {
		return dst, Meta{}, err
	}
	s, ok := cc.keys[h.keyID]
	if !ok {
		return dst, Meta{}, fmt.Errorf("%w (key %d)", ErrUnknownKey, h.keyID)
	}
	if len(raw) < s.overhead() {
		return dst, Meta{}, ErrMalformed
	}

	// Authenticate, decrypting into dst, or into scratch when the payload
	// must still be decompressed.
	compressed := h.flags&FlagCompressed != 0
	out, start := dst, len(dst)
	if compressed {
		out, start = buf[len(buf):len(buf)], 0
	}
	if s.aead != nil {
		nonce := raw[HeaderSize : HeaderSize+s.nonce]
		out, err = s.aead.Open(out, nonce, raw[HeaderSize+s.nonce:], buf[:aad])
		if err != nil {
			return dst, Meta{}, ErrAuth
		}
	} else {
		body := len(buf) - s.tag
		tag := s.mac(buf[len(buf):len(buf)], buf[:body])
		if !hmac.Equal(tag, buf[body:]) {
			return dst, Meta{}, ErrAuth
		}
		out = append(out, buf[aad:body]...)
	}

	// Genuine from here on.
	if s.key.State() == keyring.Retired {
		return dst, Meta{}, fmt.Errorf("%w (key %d)", ErrKeyRetired, h.keyID)
	}
	now := c.clock()
	if err := c.checkTimes(h, now.Unix()); err != nil {
		return dst, Meta{}, err
	}
	if compressed {
		out, err = inflate(dst, out[start:], c.maxPlain)
		if err != nil {
			return dst, Meta{}, err
		}
	}
	s.key.CountOpen(now)
	m := Meta{
		KeyID:       h.keyID,
		IssuedAt:    time.Unix(h.iat, 0).UTC(),
		ExpiresAt:   time.Unix(h.exp, 0).UTC(),
		NeedsReseal: cc.ring.Primary(now) != s.key,
		Compressed:  compressed,
	}
	return out, m, nil
}

// checkTimes applies the token's issue and expiry times, the codec's
// MaxAge, and the leeway.
func (c *Codec) checkTimes(h rawHeader, now int64) error {
	switch {
	case now+c.leeway < h.iat:
		return ErrNotYetValid
	case now-c.leeway >= h.exp, now-c.leeway >= h.iat+c.maxAge:
		return ErrExpired
	}
	return nil
}
