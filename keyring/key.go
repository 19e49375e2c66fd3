package keyring

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/keyseal/keyseal/internal/derive"
)

// SecretSize is the length in bytes of every key's secret.
const SecretSize = 32

// Key is one versioned key of a ring. A Key is immutable (apart from its
// usage counters, which are atomic) and safe for concurrent use.
//
// A Key never reveals its secret: it prints, formats and marshals to JSON
// as its ID, algorithm and state only. Subkeys come from [Key.Derive].
type Key struct {
	id         uint32
	alg        Algorithm
	state      State
	secret     *secretBox
	created    time.Time
	activateAt time.Time
	usage      *counters
}

// secretBox holds a key's secret two pointers away from the Key. fmt
// prints what a pointer points to only at the top level of a value (and of
// its fallback for a wrong verb), so a copied Key printed with any verb, or
// a struct holding one in an unexported field, shows an address here and
// never the secret's bytes.
type secretBox struct{ b *[SecretSize]byte }

// newSecret copies b, which must be SecretSize bytes long.
func newSecret(b []byte) *secretBox {
	s := &secretBox{new([SecretSize]byte)}
	copy(s.b[:], b)
	return s
}

func (s *secretBox) bytes() []byte { return s.b[:] }

// ID returns the key's non-zero ID, carried in every token sealed under it.
func (k *Key) ID() uint32 { return k.id }

// Algorithm returns the algorithm the key is used with.
func (k *Key) Algorithm() Algorithm { return k.alg }

// State returns the key's state as stored in the ring. [Ring.Primary] tells
// which key seals at a given time, honouring scheduled promotion.
func (k *Key) State() State { return k.state }

// Created returns when the key was generated.
func (k *Key) Created() time.Time { return k.created }

// ActivateAt returns the time at which an active key becomes the primary,
// or the zero time if its promotion is not scheduled.
func (k *Key) ActivateAt() time.Time { return k.activateAt }

// Derive returns a subkey of length bytes for one purpose, derived from the
// key's secret with HKDF-SHA256 (RFC 5869) with no salt and the info string
//
//	"keyseal/v1 " + algorithm + " " + purpose
//
// so that one secret never keys two algorithms or two purposes. Callers
// derive once per key and cache the result (derivation is an HKDF run).
// Derive panics if purpose is empty or length is out of the
// range 1..255*32, which are programmer errors.
func (k *Key) Derive(purpose string, length int) []byte {
	if purpose == "" {
		panic("keyring: Derive with an empty purpose")
	}
	if length < 1 || length > 255*sha256.Size {
		panic("keyring: Derive length out of range")
	}
	sub, err := derive.Key(k.secret.bytes(), nil, derive.Info(k.alg.String(), purpose), length)
	if err != nil {
		panic("keyring: Derive: " + err.Error())
	}
	return sub
}

// Fingerprint returns a short identifier of the key's secret: 8 bytes of a
// derived subkey, in hex. It lets operators compare keys across machines
// without revealing them.
func (k *Key) Fingerprint() string {
	return hex.EncodeToString(k.Derive("fingerprint", 8))
}

// sameSecret reports whether two keys hold the same secret, in constant time.
func (k *Key) sameSecret(o *Key) bool {
	return subtle.ConstantTimeCompare(k.secret.bytes(), o.secret.bytes()) == 1
}

// String describes the key without its secret.
func (k *Key) String() string {
	if k == nil {
		return "keyring.Key(nil)"
	}
	s := fmt.Sprintf("keyring.Key{id=%d alg=%s state=%s", k.id, k.alg, k.state)
	if !k.activateAt.IsZero() {
		s += " activate_at=" + k.activateAt.UTC().Format(time.RFC3339)
	}
	return s + " secret=REDACTED}"
}

// GoString describes the key without its secret, for %#v.
func (k *Key) GoString() string { return k.String() }

// Format makes every fmt verb (%v, %+v, %#v, %s, %x, ...) print the redacted
// form, so a secret cannot reach a log through a format string.
func (k *Key) Format(f fmt.State, verb rune) { fmt.Fprint(f, k.String()) }

// MarshalJSON encodes the key's public description; the secret is never
// included. The keyring file format is written by [MarshalFile].
func (k *Key) MarshalJSON() ([]byte, error) {
	return json.Marshal(k.info())
}

// KeyInfo is the public description of a key: everything but its secret.
type KeyInfo struct {
	ID          uint32     `json:"id"`
	Algorithm   Algorithm  `json:"algorithm"`
	State       State      `json:"state"`
	Created     time.Time  `json:"created"`
	ActivateAt  *time.Time `json:"activate_at,omitempty"`
	Fingerprint string     `json:"fingerprint"`
}

func (k *Key) info() KeyInfo {
	i := KeyInfo{ID: k.id, Algorithm: k.alg, State: k.state, Created: k.created, Fingerprint: k.Fingerprint()}
	if !k.activateAt.IsZero() {
		t := k.activateAt
		i.ActivateAt = &t
	}
	return i
}

// Info returns the key's public description.
func (k *Key) Info() KeyInfo { return k.info() }

// inFileRange reports whether t, in UTC, falls in the years 0 to 9999, the
// times a keyring file (RFC 3339) can hold.
func inFileRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 0 && y <= 9999
}

// with returns a copy of k in a new state, sharing its usage counters.
func (k *Key) with(state State, activateAt time.Time) *Key {
	c := *k
	c.state = state
	c.activateAt = activateAt
	return &c
}

// newKey generates a key with a fresh secret and an ID not in taken.
func newKey(alg Algorithm, taken map[uint32]*Key, now time.Time) (*Key, error) {
	if !alg.Valid() {
		return nil, fmt.Errorf("%w %d", ErrUnknownAlgorithm, uint8(alg))
	}
	secret := &secretBox{new([SecretSize]byte)}
	rand.Read(secret.b[:]) // never returns an error since Go 1.24; it crashes the program instead
	var id uint32
	for id == 0 || taken[id] != nil {
		var b [4]byte
		rand.Read(b[:])
		id = binary.BigEndian.Uint32(b[:])
	}
	return &Key{id: id, alg: alg, state: Active, secret: secret, created: now.UTC().Truncate(time.Second), usage: new(counters)}, nil
}

// NewKey returns a key built from trusted values, for importing a key from
// another system. The secret is copied. The key's state is Active; add it
// to a ring with [Ring.Import]. created must fall in the years 0 to 9999 in
// UTC, as the keyring file requires ([ErrTimeRange]).
func NewKey(id uint32, alg Algorithm, secret []byte, created time.Time) (*Key, error) {
	if id == 0 {
		return nil, ErrZeroID
	}
	if !alg.Valid() {
		return nil, keyErr(id, fmt.Errorf("%w %d", ErrUnknownAlgorithm, uint8(alg)))
	}
	if len(secret) != SecretSize {
		return nil, keyErr(id, ErrSecretLength)
	}
	if !inFileRange(created) {
		return nil, keyErr(id, ErrTimeRange)
	}
	return &Key{id: id, alg: alg, state: Active, secret: newSecret(secret),
		created: created.UTC().Truncate(time.Second), usage: new(counters)}, nil
}
