package flask

import (
	"crypto/hmac"
	"crypto/sha1"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/limits"
	"github.com/keyseal/keyseal/internal/redact"
)

// Defaults and limits of [Config].
const (
	// DefaultMaxAge is Flask's default PERMANENT_SESSION_LIFETIME, 31
	// days: the oldest signing time Open accepts when Config.MaxAge is
	// zero.
	DefaultMaxAge = 31 * 24 * time.Hour
	// DefaultMaxTokenSize is the longest cookie value read, in characters,
	// when Config.MaxTokenSize is zero: one cookie.
	DefaultMaxTokenSize = 4096
	// MaxSessionSize bounds a session's JSON once decompressed: a
	// compressed cookie inflating beyond it is refused with
	// keyseal.ErrTooLarge before more is read.
	MaxSessionSize = 64 << 10
)

// salt is the salt of Flask's SecureCookieSessionInterface.
const salt = "cookie-session"

// Config describes the Flask application whose cookies a Codec reads.
// MaxAge, Leeway, MaxTokenSize and Clock follow the contract every format
// shares (package keyseal).
type Config struct {
	// Secrets are the app's SECRET_KEY followed by its
	// SECRET_KEY_FALLBACKS (Flask 3.1+): the first seals, all open. At
	// least one is required.
	Secrets []string
	// MaxAge is the app's PERMANENT_SESSION_LIFETIME: Open refuses a
	// session signed longer ago, as Flask does for every session. Zero
	// means DefaultMaxAge, Flask's default.
	MaxAge time.Duration
	// Leeway is the clock skew tolerated on the signing time. Zero means
	// keyseal.DefaultLeeway; negative means none.
	Leeway time.Duration
	// MaxTokenSize bounds a cookie value, in characters, checked before
	// anything is decoded. Zero means DefaultMaxTokenSize.
	MaxTokenSize int
	// Clock returns the current time; nil means the system's wall clock.
	// For tests.
	Clock func() time.Time
}

// Codec opens (and seals) a Flask application's session cookies. It is
// safe for concurrent use.
type Codec struct {
	keys     *redact.Box[[][]byte] // derived keys, two pointers away
	maxAge   int64
	leeway   int64
	maxToken int
	clock    func() time.Time
}

// New derives the signing key of every secret.
func New(cfg Config) (*Codec, error) {
	if len(cfg.Secrets) == 0 {
		return nil, &keyseal.ConfigError{Package: "flask", Field: "Secrets", Reason: "at least one is required"}
	}
	l, err := limits.Resolve("flask", limits.Config{
		MaxAge: cfg.MaxAge, Leeway: cfg.Leeway, MaxTokenSize: cfg.MaxTokenSize, Clock: cfg.Clock,
	}, DefaultMaxAge, DefaultMaxTokenSize)
	if err != nil {
		return nil, err
	}
	var keys [][]byte
	for _, s := range cfg.Secrets {
		if s == "" {
			return nil, &keyseal.ConfigError{Package: "flask", Field: "Secrets", Reason: "a secret is empty"}
		}
		// itsdangerous' key derivation "hmac".
		h := hmac.New(sha1.New, []byte(s))
		h.Write([]byte(salt))
		keys = append(keys, h.Sum(nil))
	}
	return &Codec{keys: redact.New(keys), maxAge: l.MaxAge, leeway: l.Leeway, maxToken: l.MaxTokenSize, clock: l.Clock}, nil
}

// sign returns the signature of signed under key.
func sign(key []byte, signed string) []byte {
	h := hmac.New(sha1.New, key)
	h.Write([]byte(signed))
	return h.Sum(nil)
}
