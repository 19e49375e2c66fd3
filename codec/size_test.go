package codec_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

// overhead is what each algorithm adds to a payload before base64.
var overhead = map[keyring.Algorithm]int{
	keyring.XChaCha20Poly1305: codec.HeaderSize + 24 + 16,
	keyring.AES256GCM:         codec.HeaderSize + 12 + 16,
	keyring.HMACSHA256:        codec.HeaderSize + 32,
}

func TestTokenSizes(t *testing.T) {
	for _, alg := range algorithms {
		c := newCodec(t, testkit.FixedRing(t, alg), codec.Config{})
		for _, n := range []int{0, 1, 2, 3, 64, 1000} {
			tok, err := c.Seal(make([]byte, n))
			if err != nil {
				t.Fatal(err)
			}
			if want := base64.RawURLEncoding.EncodedLen(n + overhead[alg]); len(tok) != want {
				t.Errorf("%v, %d bytes: token of %d characters, want %d", alg, n, len(tok), want)
			}
		}
	}
	if overhead[keyring.XChaCha20Poly1305] > 56 {
		t.Error("XChaCha20-Poly1305 overhead over 56 bytes")
	}
}

// Seal refuses a token over MaxTokenSize; one exactly at the limit works.
func TestSealMaxTokenSize(t *testing.T) {
	for _, alg := range algorithms {
		for _, limit := range []int{0, 200, 1001} {
			c := newCodec(t, testkit.FixedRing(t, alg), codec.Config{MaxTokenSize: limit})
			if limit == 0 {
				limit = keyseal.DefaultMaxTokenSize
			}
			// The largest payload whose token fits.
			fit := base64.RawURLEncoding.DecodedLen(limit) - overhead[alg]
			tok, err := c.Seal(make([]byte, fit))
			if err != nil || len(tok) > limit {
				t.Errorf("%v, limit %d: %d-byte payload: %d characters, %v", alg, limit, fit, len(tok), err)
			}
			if _, err := c.Seal(make([]byte, fit+1)); !errors.Is(err, keyseal.ErrTooLarge) {
				t.Errorf("%v, limit %d: %d-byte payload: %v, want ErrTooLarge", alg, limit, fit+1, err)
			}
			dst := []byte("prefix")
			if b, err := c.AppendSeal(dst, make([]byte, fit+1)); !errors.Is(err, keyseal.ErrTooLarge) || string(b) != "prefix" {
				t.Errorf("%v: AppendSeal over the limit: %q, %v", alg, b, err)
			}
			if _, _, err := c.Open(tok + "A"); len(tok)+1 > limit && !errors.Is(err, keyseal.ErrTooLarge) {
				t.Errorf("%v, limit %d: Open of %d characters: %v, want ErrTooLarge", alg, limit, len(tok)+1, err)
			}
		}
	}
}

// Open refuses an over-long token on its length, before decoding or
// allocating anything.
func TestOpenRefusesOversizeBeforeDecoding(t *testing.T) {
	c := newCodec(t, testkit.FixedRing(t, keyring.XChaCha20Poly1305), codec.Config{})
	huge := strings.Repeat("*", 1<<20) // not even base64
	var err error
	allocs := testing.AllocsPerRun(50, func() { _, _, err = c.Open(huge) })
	if allocs != 0 || err != keyseal.ErrTooLarge {
		t.Errorf("Open of a 1 MiB token: %v allocations, %v; want 0 and ErrTooLarge", allocs, err)
	}
	dst := make([]byte, 3, 10)
	if b, _, err := c.AppendOpen(dst, huge); err != keyseal.ErrTooLarge || len(b) != 3 {
		t.Errorf("AppendOpen of a 1 MiB token: %d bytes, %v", len(b), err)
	}
}

func TestAppendVariants(t *testing.T) {
	for _, alg := range algorithms {
		for _, compress := range []bool{false, true} {
			c := newCodec(t, testkit.FixedRing(t, alg), codec.Config{Compress: compress})
			pt := bytes.Repeat([]byte("abc"), 100)
			tok, err := c.AppendSeal([]byte("Cookie: "), pt)
			if err != nil || !bytes.HasPrefix(tok, []byte("Cookie: ")) {
				t.Fatalf("%v: AppendSeal: %q, %v", alg, tok, err)
			}
			got, _, err := c.AppendOpen([]byte("pt:"), string(tok[8:]))
			if err != nil || string(got) != "pt:"+string(pt) {
				t.Errorf("%v, compress %v: AppendOpen: %q, %v", alg, compress, got, err)
			}
			// Another second-to-last character: its six bits are all
			// data, whatever the length (writing "AA" over the last two
			// left the token unchanged whenever it already ended so).
			other := byte('A')
			if tok[len(tok)-2] == 'A' {
				other = 'B'
			}
			bad := string(tok[8:len(tok)-2]) + string(other) + string(tok[len(tok)-1:])
			if got, _, err := c.AppendOpen([]byte("pt:"), bad); err == nil || string(got) != "pt:" {
				t.Errorf("%v, compress %v: AppendOpen of a bad token: %q, %v", alg, compress, got, err)
			}
		}
	}
}
