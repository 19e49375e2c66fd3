package codec

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"slices"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/b64url"
	"github.com/keyseal/keyseal/internal/keyuse"
	"github.com/keyseal/keyseal/keyring"
)

// Open verifies and opens a token sealed for the codec's name, returning its
// plaintext and metadata. On failure the error is, or wraps, one of the
// sentinel errors of package keyseal. Times are checked only after the token
// is authenticated.
func (c *Codec) Open(token string) ([]byte, keyseal.Meta, error) {
	pt, m, err := c.AppendOpen(nil, token)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	return pt, m, nil
}

// AppendOpen is Open appending the plaintext to dst, which it returns. With
// enough capacity in dst it allocates nothing. On error dst is returned
// unchanged in length; its spare capacity may have been written, on
// success too.
func (c *Codec) AppendOpen(dst []byte, token string) ([]byte, keyseal.Meta, error) {
	return c.appendOpen(dst, token, nil)
}

// appendOpen is AppendOpen at *at, or, when at is nil, at the time the
// clock gives once the token is authenticated (a forged token costs no
// clock read).
func (c *Codec) appendOpen(dst []byte, token string, at *time.Time) ([]byte, keyseal.Meta, error) {
	if len(token) > c.maxToken {
		return dst, keyseal.Meta{}, keyseal.ErrTooLarge
	}
	// Every token holds at least a header and a 16-byte tag; a length of 1
	// modulo 4 is never valid unpadded base64.
	rawLen := b64url.DecodedLen(len(token))
	if rawLen < HeaderSize+16 || len(token)%4 == 1 {
		return dst, keyseal.Meta{}, keyseal.ErrMalformed
	}
	cc, err := c.keys()
	if err != nil {
		return dst, keyseal.Meta{}, err
	}

	// The token is decoded into dst's spare capacity after the name
	// prefix, so that buf = prefix ‖ header ‖ nonce ‖ ciphertext ‖ tag, and
	// decrypted in place; the plaintext then moves to the start. No scratch
	// buffer. (Rings with a signed-only key get room for a tag after it.)
	room := len(c.prefix) + rawLen
	if cc.macs {
		room += sha256.Size
	}
	if dst == nil {
		dst = make([]byte, 0, room)
	} else {
		dst = slices.Grow(dst, room)
	}
	buf := append(dst[len(dst):], c.prefix...)
	if _, err := b64url.Decode(buf[len(buf):len(buf)+rawLen], token); err != nil {
		return dst, keyseal.Meta{}, keyseal.ErrMalformed
	}
	buf = buf[:len(buf)+rawLen]
	raw := buf[len(c.prefix):]

	h, err := parseRawHeader(raw)
	if err != nil {
		return dst, keyseal.Meta{}, err
	}
	s := cc.lookup(h.keyID)
	if s == nil {
		return dst, keyseal.Meta{}, fmt.Errorf("%w (key %d)", keyseal.ErrUnknownKey, h.keyID)
	}
	if len(raw) < s.overhead() {
		return dst, keyseal.Meta{}, keyseal.ErrMalformed
	}

	aad := len(c.prefix) + HeaderSize
	var pt []byte // the plaintext, still inside buf
	if s.aead != nil {
		ct := raw[HeaderSize+s.nonce:]
		pt, err = s.aead.Open(ct[:0], raw[HeaderSize:HeaderSize+s.nonce], ct, buf[:aad])
		if err != nil {
			return dst, keyseal.Meta{}, keyseal.ErrAuth
		}
	} else {
		body := len(buf) - s.tag
		tag := s.mac(buf[len(buf):], buf[:body])
		ok := hmac.Equal(tag, buf[body:])
		// For a forged token this is the tag that would make it genuine:
		// it must not outlive the check in dst's capacity.
		clear(tag)
		if !ok {
			return dst, keyseal.Meta{}, keyseal.ErrAuth
		}
		pt = buf[aad:body]
	}

	// Genuine from here on. A refused token leaves no plaintext behind.
	if s.key.State() == keyring.Retired {
		clear(buf)
		return dst, keyseal.Meta{}, fmt.Errorf("%w (key %d)", keyseal.ErrKeyRetired, h.keyID)
	}
	var now time.Time
	if at != nil {
		now = *at
	} else {
		now = c.clock()
	}
	if err := c.checkTimes(h, now.Unix()); err != nil {
		clear(buf)
		return dst, keyseal.Meta{}, err
	}
	compressed := h.flags&flagCompressed != 0
	var out []byte
	if compressed {
		// Inflating into dst would overwrite its own input: move that out.
		zp := getScratch(len(pt))
		defer putScratch(zp)
		z := append((*zp)[:0], pt...)
		*zp = z // for putScratch to clear
		clear(buf)
		if out, err = inflate(dst, z, c.maxPlain); err != nil {
			return dst, keyseal.Meta{}, err // inflate leaves no plaintext in dst
		}
	} else {
		out = append(dst, pt...) // within buf: copy moves it to the start
		clear(buf[len(pt):])     // no header, tag or plaintext left behind in dst's capacity
	}
	keyuse.Open(s.key, now)
	m := keyseal.Meta{
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
		return keyseal.ErrNotYetValid
	case now-c.leeway >= h.exp, now-c.leeway >= h.iat+c.maxAge:
		return keyseal.ErrExpired
	}
	return nil
}
