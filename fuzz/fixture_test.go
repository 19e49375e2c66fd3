// Package fuzz holds the fuzz targets of keyseal's decoders and parsers and
// the tests that keep them honest. It has no code of its own.
//
// Run every target briefly with scripts/fuzz.sh, or one for longer:
//
//	go test ./fuzz -run '^$' -fuzz '^FuzzOpen$' -fuzztime 10m
package fuzz

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// The fixture: a fixed ring of deterministic keys, a fixed clock, and a
// codec with small limits so that the fuzzer reaches every one of them.
var (
	now     = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	nowUnix = now.Unix()
)

const (
	name        = "session"
	maxAge      = 3600 // seconds
	leeway      = 30   // seconds
	maxToken    = 1024 // characters
	maxPlain    = 512  // bytes, decompressed
	otherName   = "other"
	strangerIdx = 5 // index in fixtureKeys of the key that is not in the ring
)

// fixtureKey is a key as the reference implementation sees it: its secret
// in the clear.
type fixtureKey struct {
	id      uint32
	alg     keyring.Algorithm
	secret  []byte
	retired bool
}

// fixtureKeys are the ring's keys, primary first, then a key the ring does
// not hold. Tokens naming the JWE key or the stranger fail with
// ErrUnknownKey.
var fixtureKeys = []fixtureKey{
	{id: 0x01020304, alg: keyring.XChaCha20Poly1305},
	{id: 7, alg: keyring.AES256GCM},
	{id: 9, alg: keyring.HMACSHA256},
	{id: 11, alg: keyring.XChaCha20Poly1305, retired: true},
	{id: 15, alg: keyring.A256GCMDirect}, // an imported JWE key: no native tokens
	{id: 13, alg: keyring.AES256GCM},     // strangerIdx: not in the ring
}

func init() {
	for i := range fixtureKeys {
		s := sha256.Sum256(fmt.Appendf(nil, "keyseal fuzz key %d", i))
		fixtureKeys[i].secret = s[:]
	}
}

// fixtureRing builds the ring of fixtureKeys (all but the stranger).
func fixtureRing(tb testing.TB) *keyring.Ring {
	tb.Helper()
	var keys []*keyring.Key
	for _, fk := range fixtureKeys[:strangerIdx] {
		k, err := keyring.NewKey(fk.id, fk.alg, fk.secret, now.Add(-time.Hour))
		if err != nil {
			tb.Fatal(err)
		}
		keys = append(keys, k)
	}
	r, err := keyring.New(keys[0], keys[1:]...)
	if err != nil {
		tb.Fatal(err)
	}
	for _, fk := range fixtureKeys {
		if fk.retired {
			if r, err = r.Retire(fk.id); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return r
}

// fixtureCodec returns a codec over the fixture ring with the fixture's
// limits, bound to n.
func fixtureCodec(tb testing.TB, n string) *codec.Codec {
	tb.Helper()
	c, err := codec.New(fixtureRing(tb), n, codec.Config{
		MaxAge:              maxAge * time.Second,
		Leeway:              leeway * time.Second,
		MaxTokenSize:        maxToken,
		MaxDecompressedSize: maxPlain,
		Clock:               func() time.Time { return now },
	})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// codecSentinels are the errors Open may return, possibly wrapped.
var codecSentinels = []error{
	keyseal.ErrMalformed, keyseal.ErrAuth, keyseal.ErrUnknownKey, keyseal.ErrKeyRetired,
	keyseal.ErrExpired, keyseal.ErrNotYetValid, keyseal.ErrTooLarge, keyseal.ErrUnsupportedVersion,
}

// sentinel returns the one sentinel of list that err is, failing the test if
// it is none or several.
func sentinel(t *testing.T, err error, list []error) error {
	t.Helper()
	var found error
	for _, s := range list {
		if errors.Is(err, s) {
			if found != nil {
				t.Fatalf("error %q is both %q and %q", err, found, s)
			}
			found = s
		}
	}
	if found == nil {
		t.Fatalf("error %q (%T) is none of the sentinels", err, err)
	}
	return found
}
