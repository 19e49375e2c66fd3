package jwe

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/keyuse"
)

// ErrClaims is returned by Seal when the claims are not a JSON object.
var ErrClaims = errors.New("jwe: claims must be a JSON object")

// Seal seals claims, the bytes of a JSON object (as json.Marshal makes of
// a map or a struct), into a token issued now that expires after the
// codec's MaxAge, under the ring's primary key. Its "iat" and "exp" claims
// are set by the codec, replacing any in claims; other registered claims
// ("nbf", "sub", "jti", ...) are the caller's. Anything but a JSON object
// is refused with ErrClaims.
func (c *Codec) Seal(claims []byte) (string, error) {
	now := c.clock()
	return c.SealAt(claims, now, now.Add(time.Duration(c.maxAge)*time.Second))
}

// SealAt is Seal with explicit issue and expiry times, for re-sealing a
// session while keeping its issue time. The expiry is capped at issuedAt +
// MaxAge. Times are truncated to seconds.
func (c *Codec) SealAt(claims []byte, issuedAt, expiresAt time.Time) (string, error) {
	iat, exp := issuedAt.Unix(), expiresAt.Unix()
	exp = min(exp, iat+c.maxAge)
	if iat < 0 || exp <= iat {
		return "", keyseal.ErrLifetime
	}
	payload, err := withTimes(claims, iat, exp)
	if err != nil {
		return "", err
	}
	cc, err := c.keys()
	if err != nil {
		return "", err
	}
	now := c.clock()
	k := cc.ring.Primary(now)
	e, ok := cc.keys[k.ID()]
	if !ok {
		return "", fmt.Errorf("%w: key %d cannot seal %s", keyseal.ErrPrimaryCannotSeal, k.ID(), c.enc)
	}
	enc, err := jose.NewEncrypter(c.enc,
		jose.Recipient{Algorithm: jose.DIRECT, Key: e.cek, KeyID: strconv.FormatUint(uint64(k.ID()), 10)},
		(&jose.EncrypterOptions{}).WithType("JWT"))
	if err != nil {
		return "", fmt.Errorf("jwe: %w", err)
	}
	obj, err := enc.Encrypt(payload)
	if err != nil {
		return "", fmt.Errorf("jwe: %w", err)
	}
	token, err := obj.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("jwe: %w", err)
	}
	if len(token) > c.maxToken {
		return "", keyseal.ErrTooLarge
	}
	keyuse.Seal(k, now)
	return token, nil
}

// withTimes returns the JSON object claims with "iat" and "exp" set.
func withTimes(claims []byte, iat, exp int64) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(claims, &m); err != nil || m == nil {
		return nil, ErrClaims
	}
	m["iat"] = strconv.AppendInt(nil, iat, 10)
	m["exp"] = strconv.AppendInt(nil, exp, 10)
	return json.Marshal(m)
}
