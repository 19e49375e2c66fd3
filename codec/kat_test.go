package codec_test

import (
	"bytes"
	"compress/flate"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/derive"
	"github.com/keyseal/keyseal/internal/primitive"
	"github.com/keyseal/keyseal/internal/testkit/vectors"
)

// The vector files, opened through the public API only; the loader and the
// mapping of a vector's options onto codec.Config are shared test glue
// (internal/testkit/vectors, export_test.go). The generator and the sealing
// direction are checked inside the package (vectors_test.go).
//
//go:embed testdata/vectors/*.json
var vectorFS embed.FS

// loadVectors returns every vector of the embedded files.
func loadVectors(t *testing.T) (pos []vectors.Positive, neg []vectors.Negative) {
	t.Helper()
	dir, err := fs.Sub(vectorFS, "testdata/vectors")
	if err != nil {
		t.Fatal(err)
	}
	files, err := vectors.Read(dir, codec.Version)
	if err != nil {
		t.Fatal(err)
	}
	pos, neg = vectors.All(files)
	if len(pos) < 20 || len(neg) < 40 {
		t.Fatalf("%d positive and %d negative vectors: files truncated?", len(pos), len(neg))
	}
	return pos, neg
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// openCodec builds the codec a vector is opened with, through the public
// API (keyring.NewKey, keyring.New, Ring.Retire and codec.New), after
// checking each key's subkey and HKDF info against the vector.
func openCodec(t *testing.T, v vectors.Case) *codec.Codec {
	t.Helper()
	for _, vk := range v.Keys {
		k, err := vk.New()
		if err != nil {
			t.Fatalf("%s: key %d: %v", v.Description, vk.ID, err)
		}
		if got := hex.EncodeToString(k.Derive(primitive.Purpose, primitive.SubkeySize)); got != vk.Subkey {
			t.Errorf("%s: key %d derives subkey %s, vector says %s", v.Description, vk.ID, got, vk.Subkey)
		}
		if got := derive.Info(k.Algorithm().String(), primitive.Purpose); got != vk.Info {
			t.Errorf("%s: info %q, vector says %q", v.Description, got, vk.Info)
		}
	}
	r, err := vectors.Ring(v.Keys)
	if err != nil {
		t.Fatalf("%s: ring: %v", v.Description, err)
	}
	c, err := codec.New(r, v.Name, codec.VectorConfig(v))
	if err != nil {
		t.Fatalf("%s: New: %v", v.Description, err)
	}
	return c
}

func TestKnownAnswers(t *testing.T) {
	pos, neg := loadVectors(t)
	for _, v := range pos {
		c := openCodec(t, v.Case)
		pt := unhex(t, v.Plaintext)
		got, m, err := c.Open(v.Token)
		if err != nil || !bytes.Equal(got, pt) {
			t.Errorf("%s: Open = %x, %v; want %x", v.Description, got, err, pt)
			continue
		}
		if m.KeyID != v.KeyID || m.IssuedAt.Unix() != v.IssuedAt || m.ExpiresAt.Unix() != v.ExpiresAt ||
			m.Compressed != v.Compressed || m.NeedsReseal != v.NeedsReseal {
			t.Errorf("%s: Meta %+v", v.Description, m)
		}
		h, err := codec.ParseHeader(v.Token)
		if err != nil || h.KeyID != v.KeyID || h.Version != codec.Version || h.Compressed() != v.Compressed ||
			h.IssuedAt.Unix() != v.IssuedAt || h.ExpiresAt.Unix() != v.ExpiresAt {
			t.Errorf("%s: ParseHeader = %+v, %v", v.Description, h, err)
		}
		// The codec's own sealing round-trips (with a random nonce).
		tok, err := c.SealAt(pt, m.IssuedAt, m.ExpiresAt)
		if err != nil {
			t.Errorf("%s: SealAt: %v", v.Description, err)
		} else if again, _, err := c.Open(tok); err != nil || !bytes.Equal(again, pt) {
			t.Errorf("%s: resealed token does not open: %v", v.Description, err)
		}
	}
	for _, v := range neg {
		want, ok := codec.VectorErrors[v.Error]
		if !ok {
			t.Fatalf("%s: unknown error %q", v.Description, v.Error)
		}
		_, _, err := openCodec(t, v.Case).Open(v.Token)
		if !errors.Is(err, want) {
			t.Errorf("%s: Open error %v, want %v", v.Description, err, want)
		}
		if want == keyseal.ErrAuth && err != keyseal.ErrAuth {
			t.Errorf("%s: authentication failure %q is not the bare, opaque sentinel", v.Description, err)
		}
	}
}

// TestVectorsIndependently recomputes every positive vector's token from
// FORMAT.md alone, with x/crypto, crypto/hkdf and the standard library,
// sharing no code with the package: a differential check of the format.
func TestVectorsIndependently(t *testing.T) {
	pos, _ := loadVectors(t)
	checked := map[string]int{}
	for _, v := range pos {
		var key vectors.Key
		for _, k := range v.Keys {
			if k.ID == v.KeyID {
				key = k
			}
		}
		// Subkey: HKDF-SHA256, no salt, info "keyseal/v1 <alg> token", 32 bytes.
		sub, err := hkdf.Key(sha256.New, unhex(t, key.Secret), nil, "keyseal/v1 "+key.Alg+" token", 32)
		if err != nil || hex.EncodeToString(sub) != key.Subkey {
			t.Fatalf("%s: subkey %x, %v", v.Description, sub, err)
		}
		// Header: version, flags, key ID u32, issued-at u40, expiry u40, big endian.
		var flags byte
		if v.Compressed {
			flags = 0x01
		}
		header := []byte{0x01, flags}
		header = binary.BigEndian.AppendUint32(header, v.KeyID)
		for _, tm := range []int64{v.IssuedAt, v.ExpiresAt} {
			header = append(header, byte(tm>>32), byte(tm>>24), byte(tm>>16), byte(tm>>8), byte(tm))
		}
		aad := append(append([]byte{byte(len(v.Name))}, v.Name...), header...)
		payload := unhex(t, v.Payload)
		nonce := unhex(t, v.Nonce)

		raw := append([]byte(nil), header...)
		switch key.Alg {
		case "xchacha20poly1305":
			a, err := chacha20poly1305.NewX(sub)
			if err != nil {
				t.Fatal(err)
			}
			raw = a.Seal(append(raw, nonce...), nonce, payload, aad)
		case "aes256gcm":
			b, _ := aes.NewCipher(sub)
			a, err := cipher.NewGCM(b)
			if err != nil {
				t.Fatal(err)
			}
			raw = a.Seal(append(raw, nonce...), nonce, payload, aad)
		case "hmacsha256":
			m := hmac.New(sha256.New, sub)
			m.Write(aad)
			m.Write(payload)
			raw = m.Sum(append(raw, payload...))
		default:
			t.Fatalf("%s: algorithm %q", v.Description, key.Alg)
		}
		if tok := base64.RawURLEncoding.EncodeToString(raw); tok != v.Token {
			t.Errorf("%s: independent token\n%s\nvector token\n%s", v.Description, tok, v.Token)
		}
		// Compressed payloads are raw DEFLATE (RFC 1951) of the plaintext.
		pt := payload
		if v.Compressed {
			pt, err = io.ReadAll(flate.NewReader(bytes.NewReader(payload)))
			if err != nil {
				t.Fatalf("%s: inflate: %v", v.Description, err)
			}
		}
		if !bytes.Equal(pt, unhex(t, v.Plaintext)) {
			t.Errorf("%s: payload does not give the plaintext", v.Description)
		}
		checked[key.Alg]++
	}
	if len(checked) != 3 {
		t.Errorf("checked %v: want every algorithm", checked)
	}
}
