package codec_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

// hostileTokens are inputs no sealer produces.
func hostileTokens() []string {
	toks := []string{
		"", "A", "=", "AQ", "AQA", "====", strings.Repeat("=", 100),
		" ", "\t", "\r\n", "\x00", strings.Repeat("\x00", 64),
		"é", "ΑΩ", "🍪", strings.Repeat("é", 40), "\xff\xfe", strings.Repeat("\xff", 64),
		strings.Repeat("A", 43), strings.Repeat("A", 44), strings.Repeat("A", 4096),
		"AQ" + strings.Repeat("A", 41), "AQ" + strings.Repeat("_", 100), "AQD_____" + strings.Repeat("A", 80),
		strings.Repeat("_", 4096), strings.Repeat("A", 4097), strings.Repeat("A", 1<<20),
		"eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..abc.def.ghi",
		"MTcwMDAwMDAwMHxhYmN8ZGVm",
		strings.Repeat("AQ==", 20), " AQ" + strings.Repeat("A", 60), "AQ" + strings.Repeat("A", 60) + " ",
	}
	// Random strings over the alphabet and beyond, half of them starting
	// like a version 1 token, from a fixed seed.
	rng := rand.New(rand.NewPCG(1, 2))
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range 2000 {
		b := make([]byte, rng.IntN(200))
		for j := range b {
			b[j] = chars[rng.IntN(len(chars))]
			if rng.IntN(500) == 0 {
				b[j] = byte(rng.IntN(256))
			}
		}
		if i%2 == 0 && len(b) > 2 {
			b[0], b[1] = 'A', 'Q'
		}
		toks = append(toks, string(b))
	}
	return toks
}

// Hostile input gives a sentinel error and never a panic, from Open,
// AppendOpen and ParseHeader, under every algorithm.
func TestHostileInputs(t *testing.T) {
	toks := hostileTokens()
	for _, alg := range algorithms {
		r := testkit.FixedRing(t, alg, 1, 0x00ffffff)
		c := newCodec(t, r, codec.Config{})
		for _, tok := range toks {
			pt, _, err := c.Open(tok)
			if err == nil || pt != nil || !isSentinel(err) {
				t.Fatalf("%v: Open(%.40q): %q, %v", alg, tok, pt, err)
			}
			if b, _, err := c.AppendOpen([]byte("x"), tok); err == nil || string(b) != "x" {
				t.Fatalf("%v: AppendOpen(%.40q): %q, %v", alg, tok, b, err)
			}
			if _, err := codec.ParseHeader(tok); err != nil && !isSentinel(err) {
				t.Fatalf("ParseHeader(%.40q): %v", tok, err)
			}
		}
	}
}

// The shape checks give the errors FORMAT.md lists for them.
func TestHostileInputErrors(t *testing.T) {
	c := newCodec(t, testkit.FixedRing(t, keyring.XChaCha20Poly1305), codec.Config{})
	for tok, want := range map[string]error{
		"":                               keyseal.ErrMalformed,
		"A":                              keyseal.ErrMalformed,
		strings.Repeat("=", 100):         keyseal.ErrMalformed,
		strings.Repeat("A", 42):          keyseal.ErrMalformed,
		strings.Repeat("A", 44):          keyseal.ErrUnsupportedVersion,
		strings.Repeat("A", 45):          keyseal.ErrMalformed, // 1 modulo 4
		"AQ" + strings.Repeat("A", 42):   keyseal.ErrMalformed, // expiry not after issue
		strings.Repeat("A", 43) + "\n":   keyseal.ErrMalformed,
		"é" + strings.Repeat("A", 60):    keyseal.ErrMalformed,
		strings.Repeat("A", 4097):        keyseal.ErrTooLarge,
		"AQ" + strings.Repeat("é", 3000): keyseal.ErrTooLarge,
	} {
		if _, _, err := c.Open(tok); err != want {
			t.Errorf("Open(%.20q... %d characters): %v, want %v", tok, len(tok), err, want)
		}
	}
}
