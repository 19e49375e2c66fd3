package codec

import (
	"cmp"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"hash"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/limits"
	"github.com/keyseal/keyseal/internal/primitive"
	"github.com/keyseal/keyseal/keyring"
)

// Defaults and limits of [Config].
const (
	// DefaultMaxDecompressedSize bounds what a compressed token may expand to.
	DefaultMaxDecompressedSize = 64 << 10
	// MaxNameSize is the longest name a codec may bind its tokens to.
	MaxNameSize = 255
)

// Config holds a codec's options. The zero value is the secure default;
// MaxAge, Leeway, MaxTokenSize and Clock follow the contract every format
// shares (package keyseal).
type Config struct {
	// MaxAge is the longest lifetime of a token, counted from its issue
	// time. Seal gives new tokens this lifetime; Open refuses tokens
	// issued longer ago, even if their own expiry is later, so shortening
	// MaxAge takes effect on tokens already issued. Zero means
	// keyseal.DefaultMaxAge.
	MaxAge time.Duration
	// Leeway is the clock skew tolerated on the issue and expiry times.
	// Zero means keyseal.DefaultLeeway; a negative value means none.
	Leeway time.Duration
	// MaxTokenSize is the longest token Seal produces and Open accepts, in
	// characters. Zero means keyseal.DefaultMaxTokenSize.
	MaxTokenSize int
	// Compress makes Seal compress payloads with DEFLATE when that makes
	// them shorter. Compression leaks information through the token's
	// length: do not enable it when a payload mixes secrets with data an
	// attacker can choose (see CRIME and BREACH). Open always accepts
	// compressed tokens.
	Compress bool
	// MaxDecompressedSize bounds the plaintext of a compressed token; a
	// larger one is refused with keyseal.ErrTooLarge. Zero means
	// DefaultMaxDecompressedSize.
	MaxDecompressedSize int
	// Clock returns the current time; nil means the system's wall clock
	// (time.Now, read more cheaply where the platform allows). For tests.
	Clock func() time.Time
}

// Codec seals and opens tokens bound to one name (typically a cookie name)
// under the keys of a keyring. A Codec is safe for concurrent use. Each
// Seal or Open uses one snapshot of the keyring from start to end.
type Codec struct {
	src      keyring.Source
	name     string
	prefix   []byte // len(name) ‖ name: the start of every token's associated data
	maxAge   int64  // seconds
	leeway   int64  // seconds
	maxToken int
	maxPlain int
	compress bool
	clock    func() time.Time
	random   func([]byte) // fills nonces; replaced only by this package's tests

	compiled atomic.Pointer[compiled]
}

// New returns a codec that seals and opens tokens named name with the keys
// src supplies. The name is authenticated with every token: a token sealed
// for one name does not open under another. New refuses a ring with no key
// native tokens can use (keyseal.ErrNoUsableKey), but not one whose primary alone
// cannot seal: that codec opens, and its Seal returns keyseal.ErrPrimaryCannotSeal.
func New(src keyring.Source, name string, cfg Config) (*Codec, error) {
	if src == nil {
		return nil, keyseal.ErrNoKeyring
	}
	if name == "" || len(name) > MaxNameSize {
		return nil, fmt.Errorf("codec: name must be 1 to %d bytes", MaxNameSize)
	}
	l, err := limits.Resolve("codec", limits.Config{
		MaxAge: cfg.MaxAge, Leeway: cfg.Leeway, MaxTokenSize: cfg.MaxTokenSize, Clock: cfg.Clock,
	}, keyseal.DefaultMaxAge, keyseal.DefaultMaxTokenSize)
	if err != nil {
		return nil, err
	}
	if cfg.MaxDecompressedSize < 0 {
		return nil, &keyseal.ConfigError{Package: "codec", Field: "MaxDecompressedSize", Reason: "must not be negative"}
	}
	c := &Codec{
		src:      src,
		name:     name,
		prefix:   append([]byte{byte(len(name))}, name...),
		maxAge:   l.MaxAge,
		leeway:   l.Leeway,
		maxToken: l.MaxTokenSize,
		maxPlain: cmp.Or(cfg.MaxDecompressedSize, DefaultMaxDecompressedSize),
		compress: cfg.Compress,
		clock:    l.Clock,
		random:   func(b []byte) { rand.Read(b) },
	}
	cc, err := c.keys()
	if err != nil {
		return nil, err
	}
	// Opening never depends on what the primary can seal: a ring whose
	// primary is an imported JWE key still opens native tokens of its
	// other keys, and only Seal reports keyseal.ErrPrimaryCannotSeal.
	if len(cc.keys) == 0 {
		return nil, fmt.Errorf("%w: its %d keys are all imported JWE keys (%v), which native tokens do not use",
			keyseal.ErrNoUsableKey, cc.ring.Len(), keyring.A256GCMDirect)
	}
	return c, nil
}

// Name returns the name the codec binds its tokens to.
func (c *Codec) Name() string { return c.name }

// MaxAge returns the longest lifetime of the codec's tokens.
func (c *Codec) MaxAge() time.Duration { return time.Duration(c.maxAge) * time.Second }

// compiled holds the ciphers of one keyring snapshot, built once per
// snapshot so no request pays for key derivation or cipher setup.
type compiled struct {
	ring *keyring.Ring
	keys map[uint32]*sealer
	prim *sealer // the ring's primary without scheduled promotions, if native
	macs bool    // some key is signed-only (HMAC-SHA256)
}

// sealer is one key, ready to use.
type sealer struct {
	key   *keyring.Key
	aead  cipher.AEAD // nil in signed-only mode
	macs  *sync.Pool  // of hash.Hash, in signed-only mode
	nonce int         // nonce size
	tag   int         // tag size
}

// keys returns the ciphers for the source's current ring, building them
// when the ring has changed since the last call.
func (c *Codec) keys() (*compiled, error) {
	r := c.src.Current()
	if cc := c.compiled.Load(); cc != nil && cc.ring == r {
		return cc, nil
	}
	if r == nil || r.Len() == 0 { // the zero Ring has no keys
		return nil, keyseal.ErrNoKeyring
	}
	cc := &compiled{ring: r, keys: make(map[uint32]*sealer, r.Len())}
	for _, k := range r.Keys() {
		s, err := newSealer(k)
		if err != nil {
			return nil, err
		}
		if s != nil {
			cc.keys[k.ID()] = s
			cc.macs = cc.macs || s.aead == nil
		}
	}
	cc.prim = cc.keys[r.Primary(time.Time{}).ID()]
	c.compiled.Store(cc)
	return cc, nil
}

// lookup returns the sealer of the key with the given ID, or nil. Most
// tokens name the primary, which is checked before the map.
func (cc *compiled) lookup(id uint32) *sealer {
	if cc.prim != nil && cc.prim.key.ID() == id {
		return cc.prim
	}
	return cc.keys[id]
}

// primary returns the sealer of the ring's primary key at now. A ring
// whose primary is a key native tokens cannot use (an imported JWE key)
// cannot seal.
func (cc *compiled) primary(now time.Time) (*sealer, error) {
	k := cc.ring.Primary(now)
	if s := cc.lookup(k.ID()); s != nil {
		return s, nil
	}
	return nil, fmt.Errorf("%w: key %d is a %v key, which cannot seal native tokens", keyseal.ErrPrimaryCannotSeal, k.ID(), k.Algorithm())
}

// newSealer builds the ciphers of one key. It returns nil for keys of an
// algorithm native tokens do not use (an imported JWE key): they are left
// out, so a ring holding one still opens and seals native tokens under its
// other keys, and tokens naming such a key fail with keyseal.ErrUnknownKey.
func newSealer(k *keyring.Key) (*sealer, error) {
	switch k.Algorithm() {
	case keyring.XChaCha20Poly1305, keyring.AES256GCM, keyring.HMACSHA256:
	default:
		return nil, nil
	}
	sub := k.Derive(primitive.Purpose, primitive.SubkeySize)
	s := &sealer{key: k}
	switch k.Algorithm() {
	case keyring.XChaCha20Poly1305, keyring.AES256GCM:
		a, err := primitive.NewAEAD(k.Algorithm(), sub)
		if err != nil {
			return nil, err
		}
		s.aead = a
	case keyring.HMACSHA256:
		s.macs = &sync.Pool{New: func() any {
			h, _ := primitive.NewMAC(keyring.HMACSHA256, sub) // cannot fail for this algorithm
			return h
		}}
		s.tag = sha256.Size
		return s, nil
	default:
		return nil, fmt.Errorf("codec: key %d: unsupported algorithm %v", k.ID(), k.Algorithm())
	}
	s.nonce = s.aead.NonceSize()
	s.tag = s.aead.Overhead()
	return s, nil
}

// overhead is what the key adds to a payload before base64: header, nonce
// and tag.
func (s *sealer) overhead() int { return HeaderSize + s.nonce + s.tag }

// mac computes the signed-only tag of msg, appended to dst.
func (s *sealer) mac(dst, msg []byte) []byte {
	h := s.macs.Get().(hash.Hash)
	h.Reset()
	h.Write(msg)
	dst = h.Sum(dst)
	s.macs.Put(h)
	return dst
}
