package codec

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// The types of the test vector files in testdata/vectors (see FORMAT.md,
// "Test vectors"). codec_test reads the same files through its own copy of
// these types, so the files, not this code, are the contract.

// vectorFile is one file of vectors.
type vectorFile struct {
	Comment  string           `json:"comment"`
	Version  int              `json:"format_version"`
	Positive []positiveVector `json:"positive,omitempty"`
	Negative []negativeVector `json:"negative,omitempty"`
}

// vectorKey is one key of the ring a vector is opened with. Subkey is
// HKDF-SHA256(secret, no salt, info, 32 bytes), given so that other
// implementations can check their derivation.
type vectorKey struct {
	ID     uint32 `json:"id"`
	Alg    string `json:"alg"`
	State  string `json:"state"`
	Secret string `json:"secret"`
	Info   string `json:"info"`
	Subkey string `json:"subkey"`
}

// vectorConfig holds the effective options of the codec, never defaults:
// times in seconds (a leeway of 0 means none), sizes in bytes or
// characters.
type vectorConfig struct {
	MaxAge              int64 `json:"max_age"`
	Leeway              int64 `json:"leeway"`
	MaxTokenSize        int   `json:"max_token_size"`
	MaxDecompressedSize int   `json:"max_decompressed_size"`
	Compress            bool  `json:"compress"`
}

// vectorCase is what every vector holds: a ring, a codec name and options,
// the time at which the token is opened, and the token.
type vectorCase struct {
	Description string       `json:"description"`
	Keys        []vectorKey  `json:"keys"`
	Name        string       `json:"name"`
	Config      vectorConfig `json:"config"`
	Now         int64        `json:"now"`
	Token       string       `json:"token"`
}

// positiveVector is a token that opens. Sealing Plaintext at IssuedAt and
// ExpiresAt under KeyID with Nonce reproduces Token byte for byte; Payload
// is what was encrypted or signed (the DEFLATE stream when Compressed).
type positiveVector struct {
	vectorCase
	IssuedAt    int64  `json:"iat"`
	ExpiresAt   int64  `json:"exp"`
	KeyID       uint32 `json:"key_id"`
	Nonce       string `json:"nonce"`
	Plaintext   string `json:"plaintext"`
	Compressed  bool   `json:"compressed"`
	Payload     string `json:"payload"`
	NeedsReseal bool   `json:"needs_reseal"`
}

// negativeVector is a token that does not open, with the error it gives.
type negativeVector struct {
	vectorCase
	Error string `json:"error"`
}

// vectorErrors names the sentinel errors in vector files.
var vectorErrors = map[string]error{
	"malformed":           ErrMalformed,
	"auth":                ErrAuth,
	"unknown_key":         ErrUnknownKey,
	"key_retired":         ErrKeyRetired,
	"expired":             ErrExpired,
	"not_yet_valid":       ErrNotYetValid,
	"too_large":           ErrTooLarge,
	"unsupported_version": ErrUnsupportedVersion,
}

// newVectorKey describes a key with a fixed secret: SHA-256 of
// "keyseal test vector key " and its ID in decimal.
func newVectorKey(id uint32, alg keyring.Algorithm, state keyring.State) vectorKey {
	sum := sha256.Sum256([]byte("keyseal test vector key " + strconv.FormatUint(uint64(id), 10)))
	k, err := keyring.NewKey(id, alg, sum[:], time.Unix(0, 0))
	if err != nil {
		panic(err)
	}
	return vectorKey{
		ID: id, Alg: alg.String(), State: state.String(),
		Secret: hex.EncodeToString(sum[:]),
		Info:   keyring.DeriveInfo(alg, KeyPurpose),
		Subkey: hex.EncodeToString(k.Derive(KeyPurpose, 32)),
	}
}

// vectorRing builds the ring of a vector: its primary, its active keys,
// then its retired keys retired.
func vectorRing(keys []vectorKey) (*keyring.Ring, error) {
	var primary *keyring.Key
	var others []*keyring.Key
	var retired []uint32
	for _, vk := range keys {
		alg, err := keyring.ParseAlgorithm(vk.Alg)
		if err != nil {
			return nil, err
		}
		secret, err := hex.DecodeString(vk.Secret)
		if err != nil {
			return nil, err
		}
		k, err := keyring.NewKey(vk.ID, alg, secret, time.Unix(0, 0))
		if err != nil {
			return nil, err
		}
		switch vk.State {
		case "primary":
			primary = k
		case "retired":
			retired = append(retired, vk.ID)
			others = append(others, k)
		default:
			others = append(others, k)
		}
	}
	r, err := keyring.New(primary, others...)
	for _, id := range retired {
		if err != nil {
			break
		}
		r, err = r.Retire(id)
	}
	return r, err
}

// vectorCodec returns the codec a vector is sealed and opened with: its
// ring, name and options, its clock stopped at Now, and nonces taken from
// nonce (which is nil when opening).
func vectorCodec(tb testing.TB, v vectorCase, nonce []byte) *Codec {
	tb.Helper()
	r, err := vectorRing(v.Keys)
	if err != nil {
		tb.Fatalf("%s: ring: %v", v.Description, err)
	}
	leeway := time.Duration(v.Config.Leeway) * time.Second
	if leeway == 0 {
		leeway = -1
	}
	now := time.Unix(v.Now, 0)
	c, err := New(r, v.Name, Config{
		MaxAge:              time.Duration(v.Config.MaxAge) * time.Second,
		Leeway:              leeway,
		MaxTokenSize:        v.Config.MaxTokenSize,
		MaxDecompressedSize: v.Config.MaxDecompressedSize,
		Compress:            v.Config.Compress,
		Clock:               func() time.Time { return now },
	})
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
