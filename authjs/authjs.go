package authjs

import (
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/limits"
	"github.com/keyseal/keyseal/internal/redact"
)

// Auth.js's default session cookie names.
const (
	// CookieName is the session cookie of an Auth.js app served over HTTP.
	CookieName = "authjs.session-token"
	// SecureCookieName is the session cookie of an Auth.js app served over
	// HTTPS: the usual one in production.
	SecureCookieName = "__Secure-authjs.session-token"
)

// Defaults of [Config].
const (
	// DefaultMaxAge is Auth.js's default session lifetime, 30 days: the
	// lifetime of tokens Seal makes, and the oldest issue time Open
	// accepts, when Config.MaxAge is zero.
	DefaultMaxAge = 30 * 24 * time.Hour
	// DefaultMaxTokenSize bounds a session token, all chunks joined: four
	// full cookies.
	DefaultMaxTokenSize = 4 * 4096
	// MaxChunks is the most chunks OpenCookies joins.
	MaxChunks = 16
)

// Config holds a codec's options. MaxAge, Leeway, MaxTokenSize and Clock
// follow the contract every format shares (package keyseal).
type Config struct {
	// Secrets are the AUTH_SECRET values, newest first, as Auth.js takes
	// them: the first seals, all open. At least one is required.
	Secrets []string
	// CookieName is the session cookie's name, which is also the salt of
	// the key derivation. Required (see CookieName, SecureCookieName).
	CookieName string
	// MaxAge is the longest lifetime of a token, counted from its "iat":
	// Open refuses tokens issued longer ago, even if their "exp" is later,
	// and tokens without "iat" (Auth.js always writes one), whose age is
	// unknown; Seal gives new tokens this lifetime. Zero means
	// DefaultMaxAge, Auth.js's own default (set the app's session.maxAge
	// if it changed it).
	MaxAge time.Duration
	// Leeway is the clock skew tolerated. Zero means keyseal.DefaultLeeway;
	// negative means none.
	Leeway time.Duration
	// MaxTokenSize bounds a token, chunks joined, in characters. Zero
	// means DefaultMaxTokenSize.
	MaxTokenSize int
	// Clock returns the current time; nil means the system's wall clock.
	// For tests.
	Clock func() time.Time
}

// Codec opens (and seals) Auth.js session tokens. It is safe for
// concurrent use.
type Codec struct {
	name     string
	keys     *redact.Box[keySet] // two pointers away: no fmt path prints them
	maxAge   int64
	leeway   int64
	maxToken int
	clock    func() time.Time
}

// keySet is the keys of a codec's secrets.
type keySet struct {
	pairs [][2]secretKey // per secret: A256CBC-HS512, A256GCM
	byKID map[string]*secretKey
}

// secretKey is the key one secret yields for one "enc".
type secretKey struct {
	index int // of the secret
	enc   jose.ContentEncryption
	cek   []byte
	kid   string
}

// New derives the keys of every secret for the cookie name.
func New(cfg Config) (*Codec, error) {
	if len(cfg.Secrets) == 0 {
		return nil, &keyseal.ConfigError{Package: "authjs", Field: "Secrets", Reason: "at least one is required"}
	}
	if cfg.CookieName == "" {
		return nil, &keyseal.ConfigError{Package: "authjs", Field: "CookieName", Reason: "required"}
	}
	l, err := limits.Resolve("authjs", limits.Config{
		MaxAge: cfg.MaxAge, Leeway: cfg.Leeway, MaxTokenSize: cfg.MaxTokenSize, Clock: cfg.Clock,
	}, DefaultMaxAge, DefaultMaxTokenSize)
	if err != nil {
		return nil, err
	}
	ks := keySet{byKID: map[string]*secretKey{}}
	c := &Codec{name: cfg.CookieName, maxAge: l.MaxAge, leeway: l.Leeway, maxToken: l.MaxTokenSize, clock: l.Clock}
	for i, s := range cfg.Secrets {
		if s == "" {
			return nil, &keyseal.ConfigError{Package: "authjs", Field: "Secrets", Reason: "a secret is empty"}
		}
		var pair [2]secretKey
		for j, enc := range []jose.ContentEncryption{jose.A256CBC_HS512, jose.A256GCM} {
			k, err := derive(s, cfg.CookieName, enc)
			if err != nil {
				return nil, err
			}
			k.index = i
			pair[j] = k
		}
		ks.pairs = append(ks.pairs, pair)
	}
	for i := range ks.pairs {
		for j := range ks.pairs[i] {
			k := &ks.pairs[i][j]
			if _, dup := ks.byKID[k.kid]; !dup { // a repeated secret: the first wins
				ks.byKID[k.kid] = k
			}
		}
	}
	c.keys = redact.New(ks)
	return c, nil
}

// derive computes Auth.js's key for a secret, a salt (the cookie name) and
// an "enc", and its "kid": the RFC 7638 thumbprint of the key as an oct
// JWK, hashed with SHA-256 for a 32-byte key and SHA-512 for a 64-byte one.
func derive(secret, salt string, enc jose.ContentEncryption) (secretKey, error) {
	n := 64
	if enc == jose.A256GCM {
		n = 32
	}
	cek, err := hkdf.Key(sha256.New, []byte(secret), []byte(salt), "Auth.js Generated Encryption Key ("+salt+")", n)
	if err != nil {
		return secretKey{}, err
	}
	// The members of an oct JWK's thumbprint input, in lexical order.
	canonical := `{"k":"` + base64.RawURLEncoding.EncodeToString(cek) + `","kty":"oct"}`
	var sum []byte
	if n == 32 {
		s := sha256.Sum256([]byte(canonical))
		sum = s[:]
	} else {
		s := sha512.Sum512([]byte(canonical))
		sum = s[:]
	}
	return secretKey{enc: enc, cek: cek, kid: base64.RawURLEncoding.EncodeToString(sum)}, nil
}

// CookieName returns the name of the session cookie the codec opens.
func (c *Codec) CookieName() string { return c.name }
