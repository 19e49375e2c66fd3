package nodesession

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keyseal/keyseal"
)

// The shape of an iron seal, as iron-webcrypto 1 and 2 write it with
// iron-session's options:
//
//	Fe26.2*id*encSalt*iv*ciphertext*expiry*macSalt*mac
//
// followed by iron-session's "~2". The salts are 64 lowercase hex digits
// (256 random bits), iv, ciphertext and mac unpadded base64url, expiry
// milliseconds since 1970. The MAC is HMAC-SHA256 of everything before
// "*macSalt"; the suffix is outside it.
const (
	ironPrefix     = "Fe26.2"
	ironSuffix     = "~2"
	ironSaltLen    = 64
	ironMaxExpiry  = 15 // digits: until the year 33658
	ironParts      = 8
	ironMACSize    = sha256.Size
	ironCipherSize = aes.BlockSize
)

// ironSeal is a parsed seal; its strings point into the seal.
type ironSeal struct {
	signed              string // what the MAC covers
	id                  uint32
	encSalt, macSalt    string
	iv, ciphertext, mac []byte
	expiry              int64 // milliseconds
}

// Open verifies a seal (a cookie value, chunks joined), decrypts it and
// returns the session, a JSON object, as iron-session sealed it.
// Meta.KeyID is the password ID that opened it, and Meta.NeedsReseal is
// true when that is not the highest ID; Meta.ExpiresAt is the seal's
// expiry and Meta.IssuedAt its expiry minus TTL. Errors wrap keyseal's
// sentinels: ErrTooLarge, ErrMalformed, ErrUnsupportedVersion (another
// iron version), ErrUnknownKey (an ID not in Passwords), ErrAuth,
// ErrExpired, ErrNotYetValid.
//
// The seal does not name its cookie: a seal moved to another cookie of an
// app with the same passwords opens.
func (c *Iron) Open(seal string) ([]byte, keyseal.Meta, error) {
	if len(seal) > c.maxToken {
		return nil, keyseal.Meta{}, keyseal.ErrTooLarge
	}
	s, err := parseIron(seal)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	var pw []byte
	if m := c.pw.Get(); m != nil { // nil in the zero Iron
		pw = (*m)[s.id]
	}
	if pw == nil {
		return nil, keyseal.Meta{}, keyseal.ErrUnknownKey
	}
	macKey, err := ironKey(pw, s.macSalt)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	h := hmac.New(sha256.New, macKey)
	h.Write([]byte(s.signed))
	if !hmac.Equal(h.Sum(nil), s.mac) {
		return nil, keyseal.Meta{}, keyseal.ErrAuth
	}

	// Genuine from here on.
	plain, err := ironDecrypt(pw, s)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	now := c.clock().UnixMilli()
	iat := s.expiry - c.ttl
	switch {
	case now-c.leeway >= s.expiry, now-c.leeway >= iat+c.maxAge:
		return nil, keyseal.Meta{}, keyseal.ErrExpired
	case now+c.leeway < iat:
		// Sealed with a longer ttl than TTL, or on a clock far ahead.
		return nil, keyseal.Meta{}, keyseal.ErrNotYetValid
	}
	m := keyseal.Meta{
		KeyID:       s.id,
		IssuedAt:    time.UnixMilli(iat).Truncate(time.Second).UTC(),
		ExpiresAt:   time.UnixMilli(s.expiry).Truncate(time.Second).UTC(),
		NeedsReseal: s.id != c.ids[len(c.ids)-1],
	}
	return plain, m, nil
}

// parseIron splits a seal and decodes its parts, refusing every spelling
// iron-webcrypto does not write.
func parseIron(seal string) (ironSeal, error) {
	var s ironSeal
	body, suffix, hasSuffix := strings.Cut(seal, "~")
	if hasSuffix && "~"+suffix != ironSuffix {
		return s, fmt.Errorf("%w: iron-session marker %q", keyseal.ErrUnsupportedVersion, "~"+suffix)
	}
	if strings.Count(body, "*") != ironParts-1 {
		return s, keyseal.ErrMalformed
	}
	p := strings.SplitN(body, "*", ironParts)
	if p[0] != ironPrefix {
		if strings.HasPrefix(p[0], "Fe26.") {
			return s, fmt.Errorf("%w: iron %s", keyseal.ErrUnsupportedVersion, p[0])
		}
		return s, keyseal.ErrMalformed
	}
	s.signed = body[:len(body)-len(p[6])-len(p[7])-2]
	s.encSalt, s.macSalt = p[2], p[6]
	if !ironSalt(s.encSalt) || !ironSalt(s.macSalt) {
		return s, keyseal.ErrMalformed
	}
	var err error
	s.expiry, err = ironExpiry(p[5])
	if err != nil {
		return s, err
	}
	s.iv, err = ironB64(p[3], ironCipherSize)
	if err != nil || len(s.iv) != ironCipherSize {
		return s, keyseal.ErrMalformed
	}
	s.mac, err = ironB64(p[7], ironMACSize)
	if err != nil || len(s.mac) != ironMACSize {
		return s, keyseal.ErrMalformed
	}
	s.ciphertext, err = ironB64(p[4], len(p[4]))
	if err != nil || len(s.ciphertext) == 0 || len(s.ciphertext)%ironCipherSize != 0 {
		return s, keyseal.ErrMalformed
	}
	// The ID is checked last: an unknown one says nothing of a malformed
	// seal. iron-session looks the ID up as a JavaScript property name, so
	// only canonical decimals name a password.
	id, err := strconv.ParseUint(p[1], 10, 32)
	if err != nil || strconv.FormatUint(id, 10) != p[1] {
		return s, keyseal.ErrUnknownKey
	}
	s.id = uint32(id)
	return s, nil
}

// ironSalt reports whether s is a salt as iron-webcrypto makes them.
func ironSalt(s string) bool {
	if len(s) != ironSaltLen {
		return false
	}
	for i := range len(s) {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// ironExpiry parses the expiry, which iron-session always sets (its ttl
// is never zero here).
func ironExpiry(s string) (int64, error) {
	if s == "" {
		return 0, fmt.Errorf("%w: a seal without expiry, whose age is unknown", keyseal.ErrMalformed)
	}
	if len(s) > ironMaxExpiry || s[0] == '0' {
		return 0, keyseal.ErrMalformed
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, keyseal.ErrMalformed
		}
	}
	v, _ := strconv.ParseInt(s, 10, 64) // at most 15 digits: no overflow
	return v, nil
}

// ironB64 decodes unpadded base64url strictly, refusing input that
// decodes to more than max bytes before allocating.
func ironB64(s string, max int) ([]byte, error) {
	if base64.RawURLEncoding.DecodedLen(len(s)) > max {
		return nil, keyseal.ErrMalformed
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || strings.ContainsAny(s, "\r\n") {
		return nil, keyseal.ErrMalformed
	}
	return b, nil
}

// ironDecrypt decrypts an authenticated seal's AES-256-CBC ciphertext and
// checks that it is a JSON object in UTF-8, as iron-session seals.
func ironDecrypt(pw []byte, s ironSeal) ([]byte, error) {
	key, err := ironKey(pw, s.encSalt)
	if err != nil {
		return nil, err
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(s.ciphertext))
	cipher.NewCBCDecrypter(b, s.iv).CryptBlocks(plain, s.ciphertext)
	n := int(plain[len(plain)-1])
	if n == 0 || n > aes.BlockSize || !bytes.Equal(plain[len(plain)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, fmt.Errorf("%w: bad padding", keyseal.ErrMalformed)
	}
	plain = plain[:len(plain)-n]
	if !jsonObject(plain) {
		return nil, fmt.Errorf("%w: the session is not a JSON object in UTF-8", keyseal.ErrMalformed)
	}
	return plain, nil
}

// jsonObject reports whether b is a JSON object in valid UTF-8, what
// iron-session and cookie-session store.
func jsonObject(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && t[0] == '{' && utf8.Valid(b) && json.Valid(b)
}
