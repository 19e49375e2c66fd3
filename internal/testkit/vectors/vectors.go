// Package vectors reads the test vector files of codec/testdata/vectors
// (FORMAT.md, "Test vectors"): their types, a loader, and the ring each
// vector is opened with.
//
// codec's internal tests generate and check the files with it, and its
// external tests open them through the public API with it, so the files are
// read by one piece of code. It imports keyring only, so that package
// codec's own tests can import it without a cycle. It is test support only.
package vectors

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// File is one file of vectors.
type File struct {
	Comment  string     `json:"comment"`
	Version  int        `json:"format_version"`
	Positive []Positive `json:"positive,omitempty"`
	Negative []Negative `json:"negative,omitempty"`
}

// Key is one key of the ring a vector is opened with. Subkey is
// HKDF-SHA256(secret, no salt, info, 32 bytes), given so that other
// implementations can check their derivation.
type Key struct {
	ID     uint32 `json:"id"`
	Alg    string `json:"alg"`
	State  string `json:"state"`
	Secret string `json:"secret"`
	Info   string `json:"info"`
	Subkey string `json:"subkey"`
}

// Config holds the effective options of the codec, never defaults: times
// in seconds (a leeway of 0 means none), sizes in bytes or characters.
type Config struct {
	MaxAge              int64 `json:"max_age"`
	Leeway              int64 `json:"leeway"`
	MaxTokenSize        int   `json:"max_token_size"`
	MaxDecompressedSize int   `json:"max_decompressed_size"`
	Compress            bool  `json:"compress"`
}

// Case is what every vector holds: a ring, a codec name and options, the
// time at which the token is opened, and the token.
type Case struct {
	Description string `json:"description"`
	Keys        []Key  `json:"keys"`
	Name        string `json:"name"`
	Config      Config `json:"config"`
	Now         int64  `json:"now"`
	Token       string `json:"token"`
}

// Positive is a token that opens. Sealing Plaintext at IssuedAt and
// ExpiresAt under KeyID with Nonce reproduces Token byte for byte; Payload
// is what was encrypted or signed (the DEFLATE stream when Compressed).
type Positive struct {
	Case
	IssuedAt    int64  `json:"iat"`
	ExpiresAt   int64  `json:"exp"`
	KeyID       uint32 `json:"key_id"`
	Nonce       string `json:"nonce"`
	Plaintext   string `json:"plaintext"`
	Compressed  bool   `json:"compressed"`
	Payload     string `json:"payload"`
	NeedsReseal bool   `json:"needs_reseal"`
}

// Negative is a token that does not open, with the name of the error it
// gives ("malformed", "auth", ...).
type Negative struct {
	Case
	Error string `json:"error"`
}

// Named is one vector file as read: its name, its bytes, and their content.
type Named struct {
	Name string
	Data []byte
	File
}

// Read reads every .json file at the root of fsys, in name order. It fails
// if there is none, or if a file does not decode, is not of the given
// format version, or holds no vectors.
func Read(fsys fs.FS, version int) ([]Named, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("vectors: no vector files")
	}
	files := make([]Named, 0, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		n := Named{Name: path.Base(name), Data: data}
		if err := json.Unmarshal(data, &n.File); err != nil {
			return nil, fmt.Errorf("vectors: %s: %w", name, err)
		}
		if n.Version != version || len(n.Positive)+len(n.Negative) == 0 {
			return nil, fmt.Errorf("vectors: %s: format version %d, %d vectors",
				name, n.Version, len(n.Positive)+len(n.Negative))
		}
		files = append(files, n)
	}
	return files, nil
}

// All returns the positive and the negative vectors of files, in order.
func All(files []Named) (pos []Positive, neg []Negative) {
	for _, f := range files {
		pos, neg = append(pos, f.Positive...), append(neg, f.Negative...)
	}
	return pos, neg
}

// Ring builds the ring of a vector: its primary, its active keys, then its
// retired keys retired. Every key is created at the Unix epoch.
func Ring(keys []Key) (*keyring.Ring, error) {
	var primary *keyring.Key
	var others []*keyring.Key
	var retired []uint32
	for _, vk := range keys {
		k, err := vk.New()
		if err != nil {
			return nil, err
		}
		switch vk.State {
		case "primary":
			primary = k
			continue
		case "retired":
			retired = append(retired, vk.ID)
		}
		others = append(others, k)
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

// New returns the keyring key k describes, created at the Unix epoch. Its
// state is not applied: a key is retired through its ring (see [Ring]).
func (k Key) New() (*keyring.Key, error) {
	alg, err := keyring.ParseAlgorithm(k.Alg)
	if err != nil {
		return nil, err
	}
	secret, err := hex.DecodeString(k.Secret)
	if err != nil {
		return nil, fmt.Errorf("vectors: key %d: secret: %w", k.ID, err)
	}
	return keyring.NewKey(k.ID, alg, secret, time.Unix(0, 0))
}
