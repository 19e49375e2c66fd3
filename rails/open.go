package rails

import (
	"bytes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/keyseal/keyseal"
)

// marshalHeader starts every Ruby Marshal dump: format version 4.8.
var marshalHeader = []byte{0x04, 0x08}

// Open decrypts a session cookie's value as the browser sends it
// (URL-escaped as Rack escapes it, and only so), checks its purpose and
// expiry, and returns the serialized session: JSON, as Rails' JSON cookie
// serializer wrote it. Meta.IssuedAt is always zero (Rails writes no issue time);
// Meta.ExpiresAt is the cookie's expiry, zero without one;
// Meta.NeedsReseal is true when an old secret or the CBC form opened it.
// Errors wrap keyseal's sentinels: ErrTooLarge, ErrMalformed (ErrMarshal
// among them), ErrAuth (a tampered cookie, a wrong secret, or a cookie
// made for another cookie name), ErrExpired.
func (c *Codec) Open(value string) ([]byte, keyseal.Meta, error) {
	return c.open(c.name, value)
}

// open is Open for a cookie named name.
func (c *Codec) open(name, value string) ([]byte, keyseal.Meta, error) {
	if len(value) > c.maxToken {
		return nil, keyseal.Meta{}, keyseal.ErrTooLarge
	}
	// One spelling per cookie: Rack's escaping (upper-case hex), so that
	// "%2f" for "%2F" is not another value that opens.
	raw, err := url.QueryUnescape(value)
	if err != nil || url.QueryEscape(raw) != value {
		return nil, keyseal.Meta{}, keyseal.ErrMalformed
	}
	var keys []secretKeys
	if k := c.keys.Get(); k != nil { // nil in the zero Codec
		keys = *k
	}
	parts := strings.Split(raw, "--")
	var plain []byte
	var index int
	switch len(parts) {
	case 3:
		plain, index, err = openGCM(keys, parts)
	case 2:
		plain, index, err = openCBC(keys, parts)
		index = max(index, 1) // Rails rewrites CBC cookies as GCM
	default:
		err = keyseal.ErrMalformed
	}
	if err != nil {
		return nil, keyseal.Meta{}, err
	}

	// Genuine from here on.
	env, err := unwrap(plain)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	if env.purpose != "" && env.purpose != "cookie."+name {
		return nil, keyseal.Meta{}, fmt.Errorf("%w: made for another cookie", keyseal.ErrAuth)
	}
	if bytes.HasPrefix(env.message, marshalHeader) {
		return nil, keyseal.Meta{}, ErrMarshal
	}
	if !json.Valid(env.message) {
		return nil, keyseal.Meta{}, fmt.Errorf("%w: the session is not JSON", keyseal.ErrMalformed)
	}
	m := keyseal.Meta{NeedsReseal: index > 0}
	if env.hasExp {
		now, exp := c.clock().Unix(), env.exp.Unix()
		switch {
		case now-c.leeway >= exp:
			return nil, keyseal.Meta{}, keyseal.ErrExpired
		case exp > now+c.maxAge+c.leeway:
			return nil, keyseal.Meta{}, fmt.Errorf("%w: its expiry is further ahead than MaxAge", keyseal.ErrExpired)
		}
		m.ExpiresAt = time.Unix(exp, 0).UTC()
	}
	return env.message, m, nil
}

// openGCM opens base64(ciphertext)--base64(iv)--base64(tag) and returns
// the plaintext and the index of the secret that opened it.
func openGCM(keys []secretKeys, parts []string) ([]byte, int, error) {
	ct, err1 := base64.StdEncoding.Strict().DecodeString(parts[0])
	iv, err2 := base64.StdEncoding.Strict().DecodeString(parts[1])
	tag, err3 := base64.StdEncoding.Strict().DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || len(iv) != 12 || len(tag) != 16 {
		return nil, 0, keyseal.ErrMalformed
	}
	sealed := append(ct, tag...)
	for i, k := range keys {
		if plain, err := k.gcm.Open(nil, iv, sealed, nil); err == nil {
			return plain, i, nil
		}
	}
	return nil, 0, keyseal.ErrAuth
}

// openCBC verifies base64(base64(ciphertext)--base64(iv))--hex(mac) with
// HMAC-SHA1 and decrypts it.
func openCBC(keys []secretKeys, parts []string) ([]byte, int, error) {
	data, digest := parts[0], parts[1]
	if len(digest) != 2*sha1.Size || strings.ToLower(digest) != digest {
		return nil, 0, keyseal.ErrMalformed
	}
	want, err := hex.DecodeString(digest)
	if err != nil {
		return nil, 0, keyseal.ErrMalformed
	}
	index := -1
	for i, k := range keys {
		h := hmac.New(sha1.New, k.macKey)
		h.Write([]byte(data))
		if subtle.ConstantTimeCompare(h.Sum(nil), want) == 1 {
			index = i
			break
		}
	}
	if index < 0 {
		return nil, 0, keyseal.ErrAuth
	}
	inner, err := base64.StdEncoding.Strict().DecodeString(data)
	if err != nil {
		return nil, 0, keyseal.ErrMalformed
	}
	b64ct, b64iv, ok := strings.Cut(string(inner), "--")
	if !ok {
		return nil, 0, keyseal.ErrMalformed
	}
	ct, err1 := base64.StdEncoding.Strict().DecodeString(b64ct)
	iv, err2 := base64.StdEncoding.Strict().DecodeString(b64iv)
	block := keys[index].cbc
	n := block.BlockSize()
	if err1 != nil || err2 != nil || len(iv) != n || len(ct) == 0 || len(ct)%n != 0 {
		return nil, 0, keyseal.ErrMalformed
	}
	plain := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, ct)
	pad := int(plain[len(plain)-1])
	if pad == 0 || pad > n {
		return nil, 0, keyseal.ErrMalformed
	}
	for _, b := range plain[len(plain)-pad:] {
		if int(b) != pad {
			return nil, 0, keyseal.ErrMalformed
		}
	}
	return plain[:len(plain)-pad], index, nil
}
