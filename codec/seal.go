package codec

import (
	"slices"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/b64url"
	"github.com/keyseal/keyseal/internal/keyuse"
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
//
// The raw token (header ‖ nonce ‖ ciphertext) is built at the end of the
// space its encoding takes in dst, right after the name prefix that starts
// the associated data, and is then encoded in place: b64url.Encode allows
// its input to end where its output ends. No scratch buffer, no copy.
func (c *Codec) appendSeal(dst, plaintext []byte, now time.Time, iat, exp int64) ([]byte, error) {
	if exp > iat+c.maxAge {
		exp = iat + c.maxAge
	}
	if iat < 0 || exp <= iat || exp > maxTime {
		return dst, keyseal.ErrLifetime
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
			return dst, keyseal.ErrTooLarge
		}
		zp := getScratch(len(plaintext) + 64)
		defer putScratch(zp)
		z, ok := deflate((*zp)[:0], plaintext)
		*zp = z // for putScratch to clear
		if ok {
			body, flags = z, flagCompressed
		}
	}

	rawLen := s.overhead() + len(body)
	encLen := b64url.EncodedLen(rawLen)
	if encLen > c.maxToken {
		return dst, keyseal.ErrTooLarge
	}
	// raw starts at off in the region the token takes in dst; the prefix
	// just before it, which usually fits in the space the encoding gains.
	off := max(encLen-rawLen, len(c.prefix))
	if dst == nil {
		dst = make([]byte, 0, off+rawLen)
	} else {
		dst = slices.Grow(dst, off+rawLen)
	}
	region := dst[len(dst) : len(dst)+off+rawLen]
	if overlaps(body, region) {
		// The plaintext lives in dst's spare capacity: seal a copy.
		bp := getScratch(len(body))
		defer putScratch(bp)
		body = append((*bp)[:0], body...)
		*bp = body // for putScratch to clear
	}

	buf := append(region[off-len(c.prefix):off-len(c.prefix)], c.prefix...)
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
	if len(buf) != len(c.prefix)+rawLen || &buf[0] != &region[off-len(c.prefix)] {
		panic("codec: sealed token outgrew its buffer") // impossible: region has room for it
	}
	keyuse.Seal(s.key, now)

	b64url.Encode(region[:encLen], region[off:])
	return dst[:len(dst)+encLen], nil
}
