package rails

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/limits"
	"github.com/keyseal/keyseal/internal/redact"
)

// Defaults of [Config].
const (
	// DefaultMaxAge is the longest expiry ahead a cookie may carry, and the
	// lifetime of the cookies Seal makes, when Config.MaxAge is zero: 14
	// days, a common expire_after.
	DefaultMaxAge = 14 * 24 * time.Hour
	// DefaultMaxTokenSize is the longest cookie value read, in characters:
	// Rails' own limit (ActionDispatch::Cookies::MAX_COOKIE_SIZE).
	DefaultMaxTokenSize = 4096
)

// The key generator's salts and iteration count, Rails' defaults
// (config.action_dispatch.*_salt, Rails.application.key_generator).
const (
	gcmSalt    = "authenticated encrypted cookie"
	cbcSalt    = "encrypted cookie"
	cbcMACSalt = "signed encrypted cookie"
	iterations = 1000
)

// ErrMarshal is returned for a genuine cookie whose session Ruby's
// Marshal serialized (cookies_serializer :marshal, the default of apps
// created before Rails 4.1): it is never decoded. Switch the app to
// :hybrid, which rewrites each cookie as JSON on its next request, and
// read the cookies once they are rewritten. It matches
// keyseal.ErrMalformed too.
var ErrMarshal = fmt.Errorf("rails: session serialized with Ruby's Marshal, which keyseal refuses to decode (use cookies_serializer :json or :hybrid): %w", keyseal.ErrMalformed)

// Config describes the Rails application whose cookies a Codec reads.
// MaxAge, Leeway, MaxTokenSize and Clock follow the contract every format
// shares (package keyseal), except that a Rails cookie carries no issue
// time: see MaxAge.
type Config struct {
	// Secrets are secret_key_base values, newest first: the first seals,
	// all open (the old ones of a rotation, as cookies_rotations lists
	// them). At least one is required.
	Secrets []string
	// CookieName is the session cookie's name (session_store's :key, such
	// as "_app_session"), which Rails 6.0+ binds into the cookie as its
	// purpose. Required.
	CookieName string
	// SHA1Keys derives the keys with PBKDF2-HMAC-SHA1, as Rails before
	// 7.0 does, and Rails 7 apps whose
	// config.active_support.key_generator_hash_digest_class is
	// OpenSSL::Digest::SHA1 (a load_defaults older than 7.0). False means
	// PBKDF2-HMAC-SHA256, the default of Rails 7.0 and later.
	SHA1Keys bool
	// MaxAge is the session lifetime. Rails writes no issue time, only an
	// expiry (the store's expire_after), so Open refuses a cookie whose
	// expiry is more than MaxAge (plus Leeway) ahead, with
	// keyseal.ErrExpired: it was issued for longer than allowed. Seal
	// gives new cookies this lifetime. Zero means DefaultMaxAge. A cookie
	// without expiry (a store without expire_after) is read as Rails reads
	// it: its lifetime is the browser's.
	MaxAge time.Duration
	// Leeway is the clock skew tolerated on expiries. Zero means
	// keyseal.DefaultLeeway; negative means none.
	Leeway time.Duration
	// MaxTokenSize bounds a cookie value, in characters, checked before
	// anything is decoded. Zero means DefaultMaxTokenSize.
	MaxTokenSize int
	// Clock returns the current time; nil means the system's wall clock.
	// For tests.
	Clock func() time.Time
}

// Codec opens (and seals) a Rails application's encrypted cookies. It is
// safe for concurrent use.
type Codec struct {
	name     string
	keys     *redact.Box[[]secretKeys] // two pointers away: no fmt path prints them
	maxAge   int64
	leeway   int64
	maxToken int
	clock    func() time.Time
}

// secretKeys are the keys one secret_key_base yields.
type secretKeys struct {
	gcm    cipher.AEAD  // authenticated encrypted cookie
	cbc    cipher.Block // encrypted cookie
	macKey []byte       // signed encrypted cookie, 64 bytes
}

// New derives the keys of every secret. It takes about a millisecond per
// secret (PBKDF2).
func New(cfg Config) (*Codec, error) {
	bad := func(field, reason string) (*Codec, error) {
		return nil, &keyseal.ConfigError{Package: "rails", Field: field, Reason: reason}
	}
	switch {
	case len(cfg.Secrets) == 0:
		return bad("Secrets", "at least one is required")
	case cfg.CookieName == "":
		return bad("CookieName", "required")
	}
	l, err := limits.Resolve("rails", limits.Config{
		MaxAge: cfg.MaxAge, Leeway: cfg.Leeway, MaxTokenSize: cfg.MaxTokenSize, Clock: cfg.Clock,
	}, DefaultMaxAge, DefaultMaxTokenSize)
	if err != nil {
		return nil, err
	}
	h := sha256.New
	if cfg.SHA1Keys {
		h = sha1.New
	}
	var keys []secretKeys
	for _, s := range cfg.Secrets {
		if s == "" {
			return bad("Secrets", "a secret is empty")
		}
		k, err := derive(h, s)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return &Codec{name: cfg.CookieName, keys: redact.New(keys), maxAge: l.MaxAge, leeway: l.Leeway,
		maxToken: l.MaxTokenSize, clock: l.Clock}, nil
}

// derive computes a secret's keys as Rails' key generator does.
func derive(h func() hash.Hash, secret string) (secretKeys, error) {
	gen := func(salt string, n int) ([]byte, error) {
		return pbkdf2.Key(h, secret, []byte(salt), iterations, n)
	}
	gk, err1 := gen(gcmSalt, 32)
	ck, err2 := gen(cbcSalt, 32)
	mk, err3 := gen(cbcMACSalt, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return secretKeys{}, fmt.Errorf("rails: deriving keys: %w", err)
	}
	gb, _ := aes.NewCipher(gk) // 32 bytes: cannot fail
	gcm, _ := cipher.NewGCM(gb)
	cb, _ := aes.NewCipher(ck)
	return secretKeys{gcm: gcm, cbc: cb, macKey: mk}, nil
}

// CookieName returns the name of the session cookie the codec opens.
func (c *Codec) CookieName() string { return c.name }
