package nodesession

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/limits"
	"github.com/keyseal/keyseal/internal/redact"
)

// Defaults and limits of [IronConfig], those of iron-session 8 and 9.
const (
	// IronDefaultTTL is iron-session's default ttl, 14 days: the lifetime
	// of the seals Seal makes when IronConfig.TTL is zero.
	IronDefaultTTL = 14 * 24 * time.Hour
	// IronDefaultMaxAge is the oldest seal Open accepts when
	// IronConfig.MaxAge is zero: IronDefaultTTL.
	IronDefaultMaxAge = IronDefaultTTL
	// IronDefaultMaxTokenSize bounds a seal, in characters, when
	// IronConfig.MaxTokenSize is zero: four cookies, the most chunks
	// iron-session writes with its chunk option.
	IronDefaultMaxTokenSize = 4 * 4096
	// IronMinPasswordLength is the shortest password iron-session takes,
	// in UTF-16 code units (JavaScript's string length).
	IronMinPasswordLength = 32
)

// IronConfig describes the iron-session app whose seals an [Iron] opens.
// MaxAge, Leeway, MaxTokenSize and Clock follow the contract every format
// shares (package keyseal).
type IronConfig struct {
	// Passwords is the app's password map, {id: password} as given to
	// iron-session (a single string there is {1: password}): each at
	// least IronMinPasswordLength long. Seal uses the highest ID, as
	// iron-session does; Open uses the ID the seal names. Required.
	Passwords map[uint32]string
	// TTL is the app's ttl option: the lifetime of new seals, and how the
	// issue time of a seal is found (its expiry minus TTL), since a seal
	// carries only its expiry. Zero means IronDefaultTTL. iron-session's
	// ttl 0, seals that never expire, is not supported: their age is
	// unknown, so Open refuses them.
	TTL time.Duration
	// MaxAge is the oldest seal Open accepts, counted from its issue
	// time. Zero means IronDefaultMaxAge; with a TTL longer than that,
	// set MaxAge too (New refuses to guess). A MaxAge shorter than TTL
	// ends sessions earlier than the app would.
	MaxAge time.Duration
	// Leeway is the clock skew tolerated on expiry and issue times. Zero
	// means keyseal.DefaultLeeway, iron's own 60 s; negative means none.
	Leeway time.Duration
	// MaxTokenSize is the longest seal accepted, in characters, checked
	// before anything is decoded. Zero means IronDefaultMaxTokenSize.
	MaxTokenSize int
	// Clock returns the current time; nil means the system's wall clock.
	// For tests.
	Clock func() time.Time
}

// Iron opens and seals iron-session cookies. It is safe for concurrent
// use.
type Iron struct {
	pw       *redact.Box[map[uint32][]byte] // two pointers away: no fmt path prints them
	ids      []uint32                       // sorted
	ttl      int64                          // milliseconds
	maxAge   int64                          // milliseconds
	leeway   int64                          // milliseconds
	maxToken int
	clock    func() time.Time
}

// NewIron checks cfg and returns an Iron for its passwords.
func NewIron(cfg IronConfig) (*Iron, error) {
	bad := func(field, reason string) (*Iron, error) {
		return nil, &keyseal.ConfigError{Package: "nodesession", Field: field, Reason: reason}
	}
	if len(cfg.Passwords) == 0 {
		return bad("Passwords", "at least one is required")
	}
	switch {
	case cfg.TTL < 0:
		return bad("TTL", "must not be negative")
	case cfg.TTL != 0 && cfg.TTL < time.Second:
		return bad("TTL", "must be at least a second (or zero, the default)")
	case cfg.MaxAge == 0 && cfg.TTL > IronDefaultMaxAge:
		return bad("MaxAge", "zero means 14 days, less than TTL: set it")
	}
	l, err := limits.Resolve("nodesession", limits.Config{
		MaxAge: cfg.MaxAge, Leeway: cfg.Leeway, MaxTokenSize: cfg.MaxTokenSize, Clock: cfg.Clock,
	}, IronDefaultMaxAge, IronDefaultMaxTokenSize)
	if err != nil {
		return nil, err
	}
	ttl := cfg.TTL
	if ttl == 0 {
		ttl = IronDefaultTTL
	}
	pw := make(map[uint32][]byte, len(cfg.Passwords))
	ids := make([]uint32, 0, len(cfg.Passwords))
	for id, p := range cfg.Passwords {
		if len(utf16.Encode([]rune(p))) < IronMinPasswordLength {
			return bad("Passwords", fmt.Sprintf("password %d is shorter than %d characters", id, IronMinPasswordLength))
		}
		pw[id] = []byte(p)
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return &Iron{
		pw: redact.New(pw), ids: ids,
		ttl: ttl.Milliseconds(), maxAge: l.MaxAge * 1000, leeway: l.Leeway * 1000,
		maxToken: l.MaxTokenSize, clock: l.Clock,
	}, nil
}

// ironKey derives the 32-byte key of one half of a seal: PBKDF2-SHA1 of
// the password with the seal's salt (the hex string's own bytes) and one
// iteration, iron-webcrypto's defaults for a password given as a string.
// Only FIPS 140-3 mode refuses these parameters, which iron's format fixes.
func ironKey(password []byte, salt string) ([]byte, error) {
	k, err := pbkdf2.Key(sha1.New, string(password), []byte(salt), 1, 32)
	if err != nil {
		return nil, fmt.Errorf("nodesession: iron key derivation: %w", err)
	}
	return k, nil
}

// String describes the Iron without its passwords.
func (c Iron) String() string {
	s := "nodesession.Iron{passwords="
	for i, id := range c.ids {
		if i > 0 {
			s += ","
		}
		s += strconv.FormatUint(uint64(id), 10)
	}
	return s + " REDACTED}"
}

// GoString is String, for %#v.
func (c Iron) GoString() string { return c.String() }

// Format makes every fmt verb print the redacted form, so a password
// cannot reach a log through a format string.
func (c Iron) Format(f fmt.State, verb rune) { fmt.Fprint(f, c.String()) }
