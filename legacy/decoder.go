package legacy

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"reflect"
	"strconv"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/limits"
	"github.com/keyseal/keyseal/internal/redact"
)

// Defaults of [Config], those of gorilla/securecookie.
const (
	// DefaultMaxAge is securecookie's default max age: 30 days.
	DefaultMaxAge = 30 * 24 * time.Hour
	// DefaultMaxTokenSize is securecookie's default longest cookie value.
	DefaultMaxTokenSize = 4096
)

// ErrCutoff is returned for every cookie once the decoder's cutoff date
// has passed: legacy sessions are over and their users sign in again.
var ErrCutoff = errors.New("legacy: legacy cookies are no longer accepted (past the cutoff)")

// Encoding is how values were serialized before being sealed.
type Encoding uint8

const (
	// GobEncoding is securecookie's default (securecookie.GobEncoder),
	// used by gorilla/sessions.
	GobEncoding Encoding = iota
	// JSONEncoding is securecookie.JSONEncoder.
	JSONEncoding
)

// Keys are one securecookie key pair, as passed to securecookie.New.
type Keys struct {
	// Hash is the HMAC key. Required.
	Hash []byte
	// Block is the AES key (16, 24 or 32 bytes), or nil when the cookies
	// were not encrypted.
	Block []byte
}

// Config describes how the legacy cookies were issued, and until when they
// are accepted. MaxAge, Leeway, MaxTokenSize and Clock follow the contract
// every format shares (package keyseal).
type Config struct {
	// Keys are the key pairs, tried in order as securecookie.DecodeMulti
	// does. At least one is required.
	Keys []Keys
	// Encoding is how the cookies' values were serialized.
	Encoding Encoding
	// Hash is the MAC hash; nil means SHA-256, securecookie's default.
	Hash func() hash.Hash
	// MaxAge refuses cookies whose timestamp is older, with
	// keyseal.ErrExpired. Zero means DefaultMaxAge. There is no "no
	// limit" (securecookie's MaxAge(0)): give the longest age the old app
	// could have issued.
	MaxAge time.Duration
	// Leeway is the clock skew tolerated on a cookie's timestamp: one
	// further in the future is refused with keyseal.ErrNotYetValid. Zero
	// means keyseal.DefaultLeeway; a negative value means none.
	Leeway time.Duration
	// MaxTokenSize is the longest cookie value accepted, checked before
	// anything is decoded. Zero means DefaultMaxTokenSize.
	MaxTokenSize int
	// Cutoff is when legacy cookies stop being accepted (ErrCutoff).
	// Required: a migration has an end.
	Cutoff time.Time
	// Clock returns the current time; nil means the system's wall clock.
	// For tests.
	Clock func() time.Time
}

// Decoder decodes securecookie values. It is safe for concurrent use.
type Decoder struct {
	keys   *redact.Box[[]keyPair] // two pointers away: no fmt path prints them
	enc    Encoding
	maxAge int64 // seconds
	leeway int64 // seconds
	maxLen int
	cutoff time.Time
	clock  func() time.Time
}

type keyPair struct {
	mac   func() hash.Hash
	block cipher.Block
}

// New returns a decoder for cookies issued with cfg's keys and serializer.
func New(cfg Config) (*Decoder, error) {
	bad := func(field, reason string) (*Decoder, error) {
		return nil, &keyseal.ConfigError{Package: "legacy", Field: field, Reason: reason}
	}
	switch {
	case len(cfg.Keys) == 0:
		return bad("Keys", "at least one key pair is required")
	case cfg.Cutoff.IsZero():
		return bad("Cutoff", "required: a migration has an end")
	case cfg.Encoding > JSONEncoding:
		return bad("Encoding", "unknown encoding")
	}
	l, err := limits.Resolve("legacy", limits.Config{
		MaxAge: cfg.MaxAge, Leeway: cfg.Leeway, MaxTokenSize: cfg.MaxTokenSize, Clock: cfg.Clock,
	}, DefaultMaxAge, DefaultMaxTokenSize)
	if err != nil {
		return nil, err
	}
	h := cfg.Hash
	if h == nil {
		h = sha256.New
	}
	d := &Decoder{enc: cfg.Encoding, maxAge: l.MaxAge, leeway: l.Leeway, maxLen: l.MaxTokenSize,
		cutoff: cfg.Cutoff, clock: l.Clock}
	var pairs []keyPair
	for i, k := range cfg.Keys {
		if len(k.Hash) == 0 {
			return bad("Keys", fmt.Sprintf("key pair %d has no hash key", i))
		}
		hk := append([]byte(nil), k.Hash...)
		p := keyPair{mac: func() hash.Hash { return hmac.New(h, hk) }}
		if k.Block != nil {
			b, err := aes.NewCipher(k.Block)
			if err != nil {
				return bad("Keys", fmt.Sprintf("key pair %d: the block key must be 16, 24 or 32 bytes", i))
			}
			p.block = b
		}
		pairs = append(pairs, p)
	}
	d.keys = redact.New(pairs)
	return d, nil
}

// Cutoff returns the time from which every cookie is refused.
func (d *Decoder) Cutoff() time.Time { return d.cutoff }

// Decode verifies value as a securecookie cookie named name and
// deserializes it into dst, a pointer. The returned meta has IssuedAt set
// to the cookie's timestamp and ExpiresAt to IssuedAt + MaxAge, for
// re-sealing with codec.SealAt. Errors are ErrCutoff or wrap a keyseal
// sentinel: ErrTooLarge, ErrMalformed, ErrAuth (a wrong key, a tampered
// value or another cookie name), ErrExpired, ErrNotYetValid.
func (d *Decoder) Decode(name, value string, dst any) (keyseal.Meta, error) {
	val, keys, m, err := d.open(name, value)
	if err != nil {
		return m, err
	}
	// Key pairs sharing a hash key all verify the MAC (encryption added,
	// or the block key rotated, under one hash key). Like
	// securecookie.DecodeMulti, try each until one deserializes; all but
	// the last are tried on a scratch value, so that a failed attempt
	// leaves nothing in dst.
	for i, k := range keys {
		plain, derr := k.decrypt(val)
		if derr != nil {
			err = derr
			continue
		}
		if i < len(keys)-1 {
			if err = d.deserialize(plain, scratch(dst)); err != nil {
				continue
			}
		}
		if err = d.deserialize(plain, dst); err == nil {
			return m, nil
		}
	}
	return keyseal.Meta{}, err
}

// scratch returns a new zero value of the type dst points to, or dst
// itself when it is not a non-nil pointer (the deserializer refuses it).
func scratch(dst any) any {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return dst
	}
	return reflect.New(v.Type().Elem()).Interface()
}

// deserialize decodes plain into dst with the decoder's serializer.
func (d *Decoder) deserialize(plain []byte, dst any) error {
	var err error
	switch d.enc {
	case JSONEncoding:
		err = json.Unmarshal(plain, dst)
	default:
		err = gob.NewDecoder(bytes.NewReader(plain)).Decode(dst)
	}
	if err != nil {
		// Gob names unregistered types here: a hint for the operator, not
		// a secret.
		return fmt.Errorf("%w: deserializing: %v", keyseal.ErrMalformed, err)
	}
	return nil
}

// open verifies the MAC and times of a cookie and returns its value part,
// still encrypted, with the key pairs whose MAC matched, in order.
func (d *Decoder) open(name, value string) (string, []*keyPair, keyseal.Meta, error) {
	now := d.clock()
	if !now.Before(d.cutoff) {
		return "", nil, keyseal.Meta{}, ErrCutoff
	}
	if len(value) > d.maxLen {
		return "", nil, keyseal.Meta{}, keyseal.ErrTooLarge
	}
	b, err := base64.URLEncoding.Strict().DecodeString(value)
	if err != nil {
		return "", nil, keyseal.Meta{}, keyseal.ErrMalformed
	}
	// "timestamp|value|mac"; the MAC covers "name|timestamp|value".
	ts, rest, ok1 := bytes.Cut(b, []byte("|"))
	val, mac, ok2 := bytes.Cut(rest, []byte("|"))
	if !ok1 || !ok2 {
		return "", nil, keyseal.Meta{}, keyseal.ErrMalformed
	}
	signed := make([]byte, 0, len(name)+1+len(b)-len(mac)-1)
	signed = append(append(append(signed, name...), '|'), b[:len(b)-len(mac)-1]...)
	var keys []*keyPair
	var pairs []keyPair
	if p := d.keys.Get(); p != nil { // nil in the zero Decoder
		pairs = *p
	}
	for i := range pairs {
		h := pairs[i].mac()
		h.Write(signed)
		if hmac.Equal(h.Sum(nil), mac) {
			keys = append(keys, &pairs[i])
		}
	}
	if keys == nil {
		return "", nil, keyseal.Meta{}, keyseal.ErrAuth
	}

	// Genuine from here on.
	iat, err := strconv.ParseInt(string(ts), 10, 64)
	if err != nil || iat < 0 || iat > 1<<40 {
		return "", nil, keyseal.Meta{}, keyseal.ErrMalformed
	}
	switch {
	case iat+d.maxAge < now.Unix()-d.leeway:
		return "", nil, keyseal.Meta{}, keyseal.ErrExpired
	case iat > now.Unix()+d.leeway:
		return "", nil, keyseal.Meta{}, keyseal.ErrNotYetValid
	}
	m := keyseal.Meta{IssuedAt: time.Unix(iat, 0).UTC(), ExpiresAt: time.Unix(iat+d.maxAge, 0).UTC()}
	return string(val), keys, m, nil
}

// decrypt returns the serialized value of a cookie's value part.
func (p *keyPair) decrypt(val string) ([]byte, error) {
	plain, err := base64.URLEncoding.Strict().DecodeString(val)
	if err != nil {
		return nil, keyseal.ErrMalformed
	}
	if p.block != nil {
		n := p.block.BlockSize()
		if len(plain) <= n {
			return nil, keyseal.ErrMalformed
		}
		cipher.NewCTR(p.block, plain[:n]).XORKeyStream(plain[n:], plain[n:])
		plain = plain[n:]
	}
	return plain, nil
}
