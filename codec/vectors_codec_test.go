package codec

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/derive"
	"github.com/keyseal/keyseal/internal/primitive"
	"github.com/keyseal/keyseal/internal/testkit/vectors"
	"github.com/keyseal/keyseal/keyring"
)

// The codec side of the test vector files in testdata/vectors (see
// FORMAT.md, "Test vectors"); their types and loader are in
// internal/testkit/vectors, shared with codec_test.

// vectorErrors names the sentinel errors in vector files.
var vectorErrors = map[string]error{
	"malformed":           keyseal.ErrMalformed,
	"auth":                keyseal.ErrAuth,
	"unknown_key":         keyseal.ErrUnknownKey,
	"key_retired":         keyseal.ErrKeyRetired,
	"expired":             keyseal.ErrExpired,
	"not_yet_valid":       keyseal.ErrNotYetValid,
	"too_large":           keyseal.ErrTooLarge,
	"unsupported_version": keyseal.ErrUnsupportedVersion,
}

// newVectorKey describes a key with a fixed secret: SHA-256 of
// "keyseal test vector key " and its ID in decimal.
func newVectorKey(id uint32, alg keyring.Algorithm, state keyring.State) vectors.Key {
	sum := sha256.Sum256([]byte("keyseal test vector key " + strconv.FormatUint(uint64(id), 10)))
	k, err := keyring.NewKey(id, alg, sum[:], time.Unix(0, 0))
	if err != nil {
		panic(err)
	}
	return vectors.Key{
		ID: id, Alg: alg.String(), State: state.String(),
		Secret: hex.EncodeToString(sum[:]),
		Info:   derive.Info(alg.String(), primitive.Purpose),
		Subkey: hex.EncodeToString(k.Derive(primitive.Purpose, 32)),
	}
}

// vectorConfig returns the options of v's codec, its clock stopped at Now.
// A vector's leeway of 0 means none, which Config spells as a negative
// duration (its zero value is the default leeway).
func vectorConfig(v vectors.Case) Config {
	leeway := time.Duration(v.Config.Leeway) * time.Second
	if leeway == 0 {
		leeway = -1
	}
	now := time.Unix(v.Now, 0)
	return Config{
		MaxAge:              time.Duration(v.Config.MaxAge) * time.Second,
		Leeway:              leeway,
		MaxTokenSize:        v.Config.MaxTokenSize,
		MaxDecompressedSize: v.Config.MaxDecompressedSize,
		Compress:            v.Config.Compress,
		Clock:               func() time.Time { return now },
	}
}

// vectorCodec returns the codec a vector is sealed and opened with: its
// ring, name and options (see vectorConfig), and nonces taken from nonce
// (which is nil when opening).
func vectorCodec(tb testing.TB, v vectors.Case, nonce []byte) *Codec {
	tb.Helper()
	r, err := vectors.Ring(v.Keys)
	if err != nil {
		tb.Fatalf("%s: ring: %v", v.Description, err)
	}
	c, err := New(r, v.Name, vectorConfig(v))
	if err != nil {
		tb.Fatalf("%s: New: %v", v.Description, err)
	}
	c.random = func(b []byte) {
		if len(nonce) != len(b) {
			panic(errors.New("vector nonce of the wrong size"))
		}
		copy(b, nonce)
	}
	return c
}
