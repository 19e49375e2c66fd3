package nodesession

import (
	"crypto"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"strings"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/limits"
	"github.com/keyseal/keyseal/internal/redact"
)

// Defaults of [CookieSessionConfig].
const (
	// CookieSessionDefaultName is cookie-session's default cookie name;
	// its signature is in "session.sig".
	CookieSessionDefaultName = "session"
	// CookieSessionDefaultMaxTokenSize bounds a cookie value, in
	// characters, when CookieSessionConfig.MaxTokenSize is zero: one
	// cookie.
	CookieSessionDefaultMaxTokenSize = 4096
)

// CookieSessionConfig describes the Express app whose cookie-session
// cookies a [CookieSession] reads. cookie-session's cookies carry no
// time: the cookie's own Max-Age is all that ends a session, in the
// browser, so there is no MaxAge, Leeway or Clock here (a migration ends
// when the Legacy entry is removed). MaxTokenSize follows the contract
// every format shares (package keyseal).
type CookieSessionConfig struct {
	// Keys are the app's keys option (or [secret]), newest first, as
	// Keygrip takes them: all verify. At least one is required.
	Keys []string
	// Hash is Keygrip's HMAC hash: zero means crypto.SHA1, the default
	// of cookie-session's keys option; crypto.SHA256, SHA384 and SHA512
	// are for an app that passed its own Keygrip.
	Hash crypto.Hash
	// MaxTokenSize is the longest value accepted, in characters, checked
	// before anything is decoded. Zero means
	// CookieSessionDefaultMaxTokenSize.
	MaxTokenSize int
}

// CookieSession reads Express cookie-session cookies. It reads only:
// cookie-session signs but does not encrypt, and puts no expiry under its
// signature, so a cookie written for it could only be revoked by rotating
// every key; a Go service beside an Express app reads its sessions, and
// moves users off it. It is safe for concurrent use.
type CookieSession struct {
	keys     *redact.Box[[][]byte] // two pointers away: no fmt path prints them
	hash     func() hash.Hash
	size     int // of a MAC
	maxToken int
}

// NewCookieSession checks cfg and returns a CookieSession for its keys.
func NewCookieSession(cfg CookieSessionConfig) (*CookieSession, error) {
	bad := func(field, reason string) (*CookieSession, error) {
		return nil, &keyseal.ConfigError{Package: "nodesession", Field: field, Reason: reason}
	}
	if len(cfg.Keys) == 0 {
		return bad("Keys", "at least one is required")
	}
	c := &CookieSession{}
	switch cfg.Hash {
	case 0, crypto.SHA1:
		c.hash, c.size = sha1.New, sha1.Size
	case crypto.SHA256:
		c.hash, c.size = sha256.New, sha256.Size
	case crypto.SHA384:
		c.hash, c.size = sha512.New384, sha512.Size384
	case crypto.SHA512:
		c.hash, c.size = sha512.New, sha512.Size
	default:
		return bad("Hash", "must be SHA1, SHA256, SHA384, SHA512 or zero")
	}
	l, err := limits.Resolve("nodesession", limits.Config{MaxTokenSize: cfg.MaxTokenSize}, IronDefaultMaxAge, CookieSessionDefaultMaxTokenSize)
	if err != nil {
		return nil, err
	}
	c.maxToken = l.MaxTokenSize
	keys := make([][]byte, len(cfg.Keys))
	for i, k := range cfg.Keys {
		if k == "" {
			return bad("Keys", fmt.Sprintf("key %d is empty", i))
		}
		keys[i] = []byte(k)
	}
	c.keys = redact.New(keys)
	return c, nil
}

// Open verifies a cookie-session cookie, named name, with value value and
// the value sig of its companion cookie name+".sig", and returns the
// session, a JSON object. Keygrip signs "name=value", so a cookie moved
// to another name does not open. Meta has no times, since cookie-session
// keeps none; Meta.NeedsReseal is true when a key other than the first
// verified it (cookie-session then re-signs). Errors wrap keyseal's
// sentinels: ErrTooLarge, ErrMalformed, ErrAuth (a wrong key, a tampered
// value, another name, a missing signature).
func (c *CookieSession) Open(name, value, sig string) ([]byte, keyseal.Meta, error) {
	if len(value) > c.maxToken {
		return nil, keyseal.Meta{}, keyseal.ErrTooLarge
	}
	// Keygrip's digest: base64url without padding.
	mac, err := base64.RawURLEncoding.Strict().DecodeString(sig)
	if err != nil || len(mac) != c.size || strings.ContainsAny(sig, "\r\n") {
		return nil, keyseal.Meta{}, keyseal.ErrAuth
	}
	var keys [][]byte
	if k := c.keys.Get(); k != nil { // nil in the zero CookieSession
		keys = *k
	}
	index := -1
	for i, k := range keys {
		h := hmac.New(c.hash, k)
		h.Write([]byte(name))
		h.Write([]byte{'='})
		h.Write([]byte(value))
		if hmac.Equal(h.Sum(nil), mac) {
			index = i
			break
		}
	}
	if index < 0 {
		return nil, keyseal.Meta{}, keyseal.ErrAuth
	}

	// Genuine from here on: Buffer.from(value, "base64") as Node writes it.
	data, err := base64.StdEncoding.Strict().DecodeString(value)
	if err != nil || strings.ContainsAny(value, "\r\n") || !jsonObject(data) {
		return nil, keyseal.Meta{}, fmt.Errorf("%w: not base64 of a JSON object", keyseal.ErrMalformed)
	}
	return data, keyseal.Meta{NeedsReseal: index > 0}, nil
}

// String describes the CookieSession without its keys.
func (c CookieSession) String() string {
	n := 0
	if k := c.keys.Get(); k != nil {
		n = len(*k)
	}
	return fmt.Sprintf("nodesession.CookieSession{keys=%d REDACTED}", n)
}

// GoString is String, for %#v.
func (c CookieSession) GoString() string { return c.String() }

// Format makes every fmt verb print the redacted form, so a key cannot
// reach a log through a format string.
func (c CookieSession) Format(f fmt.State, verb rune) { fmt.Fprint(f, c.String()) }
