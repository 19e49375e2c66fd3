package flask

import (
	"bytes"
	"compress/zlib"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keyseal/keyseal"
)

var b64 = base64.RawURLEncoding.Strict()

// Open verifies a session cookie's value and its age, and returns the
// session as plain JSON (Flask's tags undone, see the package doc).
// Meta.IssuedAt is the signing time, Meta.ExpiresAt that plus MaxAge;
// Meta.NeedsReseal is true when a fallback secret opened it. Errors wrap
// keyseal's sentinels: ErrTooLarge (the value, or its decompressed JSON
// over MaxSessionSize), ErrMalformed, ErrAuth (a tampered value or
// another secret), ErrExpired, ErrNotYetValid.
func (c *Codec) Open(value string) ([]byte, keyseal.Meta, error) {
	if len(value) > c.maxToken {
		return nil, keyseal.Meta{}, keyseal.ErrTooLarge
	}
	// payload.timestamp.signature; a compressed payload starts with ".".
	signed, sig64, ok := cutLast(value)
	if !ok {
		return nil, keyseal.Meta{}, keyseal.ErrMalformed
	}
	payload, ts64, ok := cutLast(signed)
	if !ok || payload == "" || payload == "." {
		return nil, keyseal.Meta{}, keyseal.ErrMalformed
	}
	sig, err := b64.DecodeString(sig64)
	if err != nil || len(sig) != sha1.Size {
		return nil, keyseal.Meta{}, keyseal.ErrMalformed
	}
	var keys [][]byte
	if k := c.keys.Get(); k != nil { // nil in the zero Codec
		keys = *k
	}
	index := -1
	for i, k := range keys {
		if hmac.Equal(sign(k, signed), sig) {
			index = i
			break
		}
	}
	if index < 0 {
		return nil, keyseal.Meta{}, keyseal.ErrAuth
	}

	// Genuine from here on.
	ts, err := b64.DecodeString(ts64)
	if err != nil || len(ts) == 0 || len(ts) > 8 || ts[0] == 0 {
		return nil, keyseal.Meta{}, fmt.Errorf("%w: timestamp", keyseal.ErrMalformed)
	}
	var iat int64
	for _, b := range ts {
		iat = iat<<8 | int64(b)
	}
	now := c.clock().Unix()
	switch {
	case iat < 0 || iat > 1<<40:
		return nil, keyseal.Meta{}, fmt.Errorf("%w: timestamp", keyseal.ErrMalformed)
	case iat > now+c.leeway:
		return nil, keyseal.Meta{}, keyseal.ErrNotYetValid
	case iat+c.maxAge < now-c.leeway:
		return nil, keyseal.Meta{}, keyseal.ErrExpired
	}
	raw, err := decodePayload(payload)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	session, err := untag(raw)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	m := keyseal.Meta{
		IssuedAt:    time.Unix(iat, 0).UTC(),
		ExpiresAt:   time.Unix(iat+c.maxAge, 0).UTC(),
		NeedsReseal: index > 0,
	}
	return session, m, nil
}

// cutLast splits s around its last ".".
func cutLast(s string) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// decodePayload returns the JSON of a payload, inflating a compressed one
// up to MaxSessionSize.
func decodePayload(payload string) ([]byte, error) {
	compressed := payload[0] == '.'
	if compressed {
		payload = payload[1:]
	}
	b, err := b64.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: payload", keyseal.ErrMalformed)
	}
	if compressed {
		if b, err = inflate(b); err != nil {
			return nil, err
		}
	}
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("%w: payload is not UTF-8", keyseal.ErrMalformed)
	}
	return b, nil
}

// inflate decompresses a zlib stream, reading no more than
// MaxSessionSize+1 bytes of output.
func inflate(b []byte) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: zlib", keyseal.ErrMalformed)
	}
	out, err := io.ReadAll(io.LimitReader(zr, MaxSessionSize+1))
	switch {
	case len(out) > MaxSessionSize:
		return nil, keyseal.ErrTooLarge
	case err != nil:
		return nil, fmt.Errorf("%w: zlib", keyseal.ErrMalformed)
	}
	// The stream must end here (and its checksum match).
	if _, err := zr.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: zlib", keyseal.ErrMalformed)
	}
	return out, nil
}
