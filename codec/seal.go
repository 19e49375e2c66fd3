package codec

import (
	"time"
)

// Seal seals plaintext into a token issued now that expires after the
// codec's MaxAge, under the ring's primary key. It allocates only the
// token.
func (c *Codec) Seal(plaintext []byte) (string, error) {
	now := c.clock()
	return c.sealString(plaintext, now, now.Unix(), now.Unix()+c.maxAge)
}

// SealAt is Seal with explicit issue and expiry times, for re-sealing a
// token under a new key or with a later expiry while keeping its original
// issue time. The expiry is capped at issuedAt + MaxAge, so a session's
// absolute lifetime holds across re-seals. Times are truncated to seconds.
func (c *Codec) SealAt(plaintext []byte, issuedAt, expiresAt time.Time) (string, error) {
	return c.sealString(plaintext, c.clock(), issuedAt.Unix(), expiresAt.Unix())
}

// AppendSeal is Seal appending the token to dst, which it returns. With
// enough capacity in dst it allocates nothing.
func (c *Codec) AppendSeal(dst, plaintext []byte) ([]byte, error) {
	now := c.clock()
	return c.appendSeal(dst, plaintext, now, now.Unix(), now.Unix()+c.maxAge)
}

// AppendSealAt is SealAt appending the token to dst.
func (c *Codec) AppendSealAt(dst, plaintext []byte, issuedAt, expiresAt time.Time) ([]byte, error) {
	return c.appendSeal(dst, plaintext, c.clock(), issuedAt.Unix(), expiresAt.Unix())
}

func (c *Codec) sealString(plaintext []byte, now time.Time, iat, exp int64) (string, error) {
	// appendSeal allocates the token at its exact size when dst is nil.
	b, err := c.appendSeal(nil, plaintext, now, iat, exp)
	if err != nil {
		return "", err
	}
	return ownedString(b), nil
}

// appendSeal seals under the primary key at now (the clock is read once per
// call: on some machines reading it costs as much as sealing 64 bytes).
func (c *Codec) appendSeal(dst, plaintext []byte, now time.Time, iat, exp int64) ([]byte, error) {
	if exp > iat+c.maxAge {
		exp = iat + c.maxAge
	}
	if iat < 0 || exp <= iat || exp > maxTime {
		return dst, ErrLifetime
	}
	cc, err := c.keys()
	if err != nil {
		return dst, err
	}
	s, err := cc.primary(now)
	if err != nil {
		return dst, err
	}

	var flags uint8
	body := plaintext
	if c.compress {
		if len(plaintext) > c.maxPlain {
			return dst, ErrTooLarge
		}
		zp := getScratch(len(plaintext) + 64)
		defer putScratch(zp)
		if z, ok := deflate((*zp)[:0], plaintext); ok {
			body, flags = z, FlagCompressed
		}
	}

	rawLen := s.overhead() + len(body)
	encLen := b64.EncodedLen(rawLen)
	if encLen > c.maxToken {
		return dst, ErrTooLarge
	}
	sp := getScratch(len(c.prefix) + rawLen)
	defer putScratch(sp)
	buf := append((*sp)[:0], c.prefix...)
	buf = appendHeader(buf, flags, s.key.ID(), iat, exp)
	aadEnd := len(buf)
	if s.aead != nil {
		nonce := buf[aadEnd : aadEnd+s.nonce]
		c.random(nonce)
		buf = s.aead.Seal(buf[:aadEnd+s.nonce], nonce, body, buf[:aadEnd])
	} else {
		buf = append(buf, body...)
		buf = s.mac(buf, buf)
	}
	s.key.CountSeal(now)

	if dst == nil {
		dst = make([]byte, 0, encLen)
	}
	return b64.AppendEncode(dst, buf[len(c.prefix):]), nil
}
