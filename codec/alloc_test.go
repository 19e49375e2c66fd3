package codec_test

import (
	"testing"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// raceEnabled is set by race_test.go. The race detector makes sync.Pool drop
// a share of what is put back, so allocation counts mean nothing under it.
var raceEnabled bool

// allocCodec returns a codec for alg and a token it sealed.
func allocCodec(t *testing.T, alg keyring.Algorithm, cfg codec.Config) (*codec.Codec, []byte, string) {
	t.Helper()
	ring, err := keyring.Generate(alg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := codec.New(ring, "session", cfg)
	if err != nil {
		t.Fatal(err)
	}
	pt := payload(1024)
	tok, err := c.Seal(pt)
	if err != nil {
		t.Fatal(err)
	}
	return c, pt, tok
}

// Seal allocates the token and nothing else; the append variants allocate
// nothing once the caller's buffer is large enough (issue 3).
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	for _, alg := range benchAlgs {
		t.Run(alg.String(), func(t *testing.T) {
			c, pt, tok := allocCodec(t, alg, codec.Config{})
			sealed := make([]byte, 0, 4096)
			opened := make([]byte, 0, 4096)
			cases := []struct {
				name string
				max  float64
				f    func()
			}{
				{"Seal", 1, func() { mustNil(t, second(c.Seal(pt))) }},
				{"AppendSeal", 0, func() { sealed, _ = c.AppendSeal(sealed[:0], pt) }},
				{"AppendOpen", 0, func() { opened, _, _ = c.AppendOpen(opened[:0], tok) }},
				// Open allocates the plaintext only.
				{"Open", 1, func() { mustNil(t, third(c.Open(tok))) }},
			}
			for _, tc := range cases {
				if n := testing.AllocsPerRun(200, tc.f); n > tc.max {
					t.Errorf("%s: %v allocations per run, want at most %v", tc.name, n, tc.max)
				}
			}
			if got, _, err := c.Open(string(sealed)); err != nil || string(got) != string(pt) {
				t.Errorf("AppendSeal output opens to %.16q..., %v", got, err)
			}
			if string(opened) != string(pt) {
				t.Errorf("AppendOpen returned %.16q..., want the plaintext", opened)
			}
		})
	}
}

func second[A, B any](_ A, b B) B        { return b }
func third[A, B, C any](_ A, _ B, c C) C { return c }

func mustNil(t *testing.T, err error) {
	if err != nil {
		t.Fatal(err)
	}
}
