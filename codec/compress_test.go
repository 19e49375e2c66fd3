package codec_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"math"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

func TestCompressRoundTrip(t *testing.T) {
	for _, alg := range algorithms {
		c := newCodec(t, testkit.FixedRing(t, alg), codec.Config{Compress: true})
		pt := bytes.Repeat([]byte("session data, highly repetitive; "), 40)
		tok, err := c.Seal(pt)
		if err != nil {
			t.Fatal(err)
		}
		h, err := codec.ParseHeader(tok)
		if err != nil || !h.Compressed() {
			t.Fatalf("%v: header %+v, %v: want the compressed flag", alg, h, err)
		}
		if len(tok) >= len(pt) {
			t.Errorf("%v: %d-byte payload gave a %d-character token", alg, len(pt), len(tok))
		}
		got, m, err := c.Open(tok)
		if err != nil || !bytes.Equal(got, pt) || !m.Compressed {
			t.Fatalf("%v: Open = %d bytes, %+v, %v", alg, len(got), m, err)
		}
	}
}

func TestCompressIncompressibleStoredPlain(t *testing.T) {
	c := newCodec(t, testkit.FixedRing(t, keyring.XChaCha20Poly1305), codec.Config{Compress: true})
	for _, pt := range [][]byte{nil, []byte("x"), random(t, 1000)} {
		tok, err := c.Seal(pt)
		if err != nil {
			t.Fatal(err)
		}
		h, err := codec.ParseHeader(tok)
		if err != nil || h.Compressed() {
			t.Fatalf("%d bytes: header %+v, %v: want no compressed flag", len(pt), h, err)
		}
		got, m, err := c.Open(tok)
		if err != nil || !bytes.Equal(got, pt) || m.Compressed {
			t.Fatalf("%d bytes: Open = %d bytes, %+v, %v", len(pt), len(got), m, err)
		}
	}
}

func TestCompressCapEnforced(t *testing.T) {
	r := testkit.FixedRing(t, keyring.XChaCha20Poly1305)
	big := newCodec(t, r, codec.Config{Compress: true, MaxDecompressedSize: 1 << 20})
	small := newCodec(t, r, codec.Config{Compress: true, MaxDecompressedSize: 1000})
	for _, n := range []int{999, 1000, 1001, 100_000} {
		tok, err := big.Seal(make([]byte, n))
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = small.Open(tok)
		if want := n > 1000; want != errors.Is(err, keyseal.ErrTooLarge) || (!want && err != nil) {
			t.Errorf("%d bytes under a 1000-byte cap: %v", n, err)
		}
		// Seal refuses what Open would refuse.
		if _, err := small.Seal(make([]byte, n)); (n > 1000) != errors.Is(err, keyseal.ErrTooLarge) {
			t.Errorf("Seal of %d bytes under a 1000-byte cap: %v", n, err)
		}
	}
}

// A cap near math.MaxInt once overflowed the decompressor's arithmetic and
// panicked on every compressed token.
func TestCompressHugeCap(t *testing.T) {
	c := newCodec(t, testkit.FixedRing(t, keyring.AES256GCM), codec.Config{Compress: true, MaxDecompressedSize: math.MaxInt})
	pt := bytes.Repeat([]byte("a"), 3000)
	tok, err := c.Seal(pt)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := c.Open(tok)
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("Open = %d bytes, %v", len(got), err)
	}
}

func random(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return b
}
