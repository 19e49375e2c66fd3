package jwe

import (
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/limits"
	"github.com/keyseal/keyseal/keyring"
)

// Content encryption algorithms ("enc") a [Codec] can use.
const (
	// A256GCM is AES-256-GCM. It is the default.
	A256GCM = keyring.EncA256GCM
	// A256CBCHS512 is AES-256-CBC with HMAC-SHA-512, the choice of Auth.js.
	A256CBCHS512 = keyring.EncA256CBCHS512
)

// Config holds a codec's options. The zero value is the secure default;
// MaxAge, Leeway, MaxTokenSize and Clock follow the contract every format
// shares (package keyseal).
type Config struct {
	// Encryption is the "enc" of the tokens sealed and the only one
	// accepted: A256GCM or A256CBCHS512. Empty means A256GCM.
	Encryption string
	// MaxAge is the longest lifetime of a token, counted from its "iat".
	// Zero means keyseal.DefaultMaxAge.
	MaxAge time.Duration
	// Leeway is the clock skew tolerated on "iat", "nbf" and "exp". Zero
	// means keyseal.DefaultLeeway; a negative value means none.
	Leeway time.Duration
	// MaxTokenSize is the longest token sealed or opened, in characters,
	// checked before anything is parsed. Zero means
	// keyseal.DefaultMaxTokenSize.
	MaxTokenSize int
	// Clock returns the current time; nil means the system's wall clock.
	// For tests.
	Clock func() time.Time
}

// Codec seals and opens JWE tokens under the keys of a keyring. It is safe
// for concurrent use; each Seal or Open uses one keyring snapshot.
type Codec struct {
	src      keyring.Source
	enc      jose.ContentEncryption
	maxAge   int64 // seconds
	leeway   int64 // seconds
	maxToken int
	clock    func() time.Time

	compiled atomic.Pointer[compiled]
}

// New returns a codec sealing and opening JWE tokens with the keys src
// supplies. Its errors match keyseal's sentinels with errors.Is: no source
// or an empty ring is keyseal.ErrNoKeyring, a ring with no key that serves
// the codec's "enc" keyseal.ErrNoUsableKey. A ring whose primary alone
// cannot seal that "enc" (an imported A256GCM key in an A256CBC-HS512
// codec) is accepted, as by codec.New: the codec opens, and Seal returns
// keyseal.ErrPrimaryCannotSeal.
func New(src keyring.Source, cfg Config) (*Codec, error) {
	if src == nil {
		return nil, keyseal.ErrNoKeyring
	}
	l, err := limits.Resolve("jwe", limits.Config{
		MaxAge: cfg.MaxAge, Leeway: cfg.Leeway, MaxTokenSize: cfg.MaxTokenSize, Clock: cfg.Clock,
	}, keyseal.DefaultMaxAge, keyseal.DefaultMaxTokenSize)
	if err != nil {
		return nil, err
	}
	c := &Codec{src: src, maxAge: l.MaxAge, leeway: l.Leeway, maxToken: l.MaxTokenSize, clock: l.Clock}
	switch cfg.Encryption {
	case "", A256GCM:
		c.enc = jose.A256GCM
	case A256CBCHS512:
		c.enc = jose.A256CBC_HS512
	default:
		return nil, &keyseal.ConfigError{Package: "jwe", Field: "Encryption",
			Reason: fmt.Sprintf("%q is not %s or %s", cfg.Encryption, A256GCM, A256CBCHS512)}
	}
	cc, err := c.keys()
	if err != nil {
		return nil, err
	}
	// As codec.New: opening never depends on what the primary can seal.
	if len(cc.keys) == 0 {
		return nil, fmt.Errorf("%w: none of its %d keys serves %s", keyseal.ErrNoUsableKey, cc.ring.Len(), c.enc)
	}
	return c, nil
}

// compiled holds the content encryption keys of one keyring snapshot.
type compiled struct {
	ring *keyring.Ring
	keys map[uint32]entry
}

type entry struct {
	key *keyring.Key
	cek []byte
}

// keys returns the content encryption keys of the source's current ring,
// deriving them once per snapshot. A key that cannot serve the codec's
// "enc" (an imported A256GCM key in an A256CBC-HS512 codec) is left out:
// its tokens do not open, with keyseal.ErrUnknownKey.
func (c *Codec) keys() (*compiled, error) {
	r := c.src.Current()
	if cc := c.compiled.Load(); cc != nil && cc.ring == r {
		return cc, nil
	}
	if r == nil || r.Len() == 0 { // the zero Ring has no keys
		return nil, keyseal.ErrNoKeyring
	}
	cc := &compiled{ring: r, keys: make(map[uint32]entry, r.Len())}
	for _, k := range r.Keys() {
		cek, err := k.JWEKey(string(c.enc))
		if err != nil {
			continue
		}
		cc.keys[k.ID()] = entry{key: k, cek: cek}
	}
	c.compiled.Store(cc)
	return cc, nil
}

// parseKID reads a "kid" header: a key ID in canonical decimal.
func parseKID(s string) (uint32, bool) {
	if len(s) == 0 || len(s) > 10 || (s[0] == '0') {
		return 0, false
	}
	id, err := strconv.ParseUint(s, 10, 32)
	return uint32(id), err == nil
}
