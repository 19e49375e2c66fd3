package testkit

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"

	"github.com/keyseal/keyseal/keyring"
)

// Secret returns the deterministic 32-byte secret [FixedRing] gives the key
// with the given ID: SHA-256 of "keyseal testkit key " and the ID as 4
// big-endian bytes. Never use it outside tests.
func Secret(id uint32) []byte {
	h := sha256.New()
	h.Write([]byte("keyseal testkit key "))
	binary.Write(h, binary.BigEndian, id)
	return h.Sum(nil)
}

// Key returns an active key with the given ID, algorithm and the secret
// [Secret] gives, created at [Epoch]. It fails the test on error.
func Key(t testing.TB, alg keyring.Algorithm, id uint32) *keyring.Key {
	t.Helper()
	k, err := keyring.NewKey(id, alg, Secret(id), Epoch)
	if err != nil {
		t.Fatalf("testkit: NewKey(%d): %v", id, err)
	}
	return k
}

// FixedRing returns a ring of keys of one algorithm with the given IDs and
// deterministic secrets (see [Secret]): the first ID is the primary, the
// others are active. With no IDs it uses the single ID 1. Two calls with the
// same arguments give rings whose keys seal and open each other's tokens.
// It fails the test on error.
func FixedRing(t testing.TB, alg keyring.Algorithm, ids ...uint32) *keyring.Ring {
	t.Helper()
	if len(ids) == 0 {
		ids = []uint32{1}
	}
	keys := make([]*keyring.Key, len(ids))
	for i, id := range ids {
		keys[i] = Key(t, alg, id)
	}
	r, err := keyring.New(keys[0], keys[1:]...)
	if err != nil {
		t.Fatalf("testkit: FixedRing: %v", err)
	}
	return r
}
