package codec_test

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

// sentinels are the errors Open may return for a token that does not open.
var sentinels = []error{
	keyseal.ErrMalformed, keyseal.ErrAuth, keyseal.ErrUnknownKey, keyseal.ErrKeyRetired,
	keyseal.ErrExpired, keyseal.ErrNotYetValid, keyseal.ErrTooLarge, keyseal.ErrUnsupportedVersion,
}

func isSentinel(err error) bool { return testkit.IsAny(err, sentinels...) }

// tamperCase is a codec and a valid token it sealed.
type tamperCase struct {
	c   *codec.Codec
	tok string
	pt  []byte
}

// tamperCases returns, for every algorithm, a codec over a ring of two keys
// of that algorithm, with tokens compressed and not.
func tamperCases(t *testing.T) map[string]tamperCase {
	out := map[string]tamperCase{}
	for _, alg := range algorithms {
		r := testkit.FixedRing(t, alg, 1, 2)
		clock := testkit.NewClock(testkit.Epoch)
		for _, compress := range []bool{false, true} {
			c := newCodec(t, r, codec.Config{Compress: compress, Clock: clock.Now})
			// Long and repetitive enough that every compress/flate since Go
			// 1.26 shrinks it (Go 1.27's leaves inputs under ~100 bytes as
			// literals).
			pt := []byte(`{"user":"ada","roles":["admin","admin","admin","admin","admin","admin","admin","admin","admin","admin","admin","admin","admin","admin","admin","admin"]}`)
			tok, err := c.Seal(pt)
			if err != nil {
				t.Fatal(err)
			}
			if h, _ := codec.ParseHeader(tok); h.Compressed() != compress {
				t.Fatalf("%v: compressed %v, want %v", alg, h.Compressed(), compress)
			}
			name := alg.String()
			if compress {
				name += " compressed"
			}
			out[name] = tamperCase{c, tok, pt}
		}
	}
	return out
}

// Every single-bit flip of the raw token is rejected with a sentinel error.
func TestEveryBitFlipRejected(t *testing.T) {
	for name, tc := range tamperCases(t) {
		raw, err := base64.RawURLEncoding.DecodeString(tc.tok)
		if err != nil {
			t.Fatal(err)
		}
		if got, _, err := tc.c.Open(tc.tok); err != nil || !bytes.Equal(got, tc.pt) {
			t.Fatalf("%s: untouched token: %v", name, err)
		}
		for i := range raw {
			for bit := range 8 {
				raw[i] ^= 1 << bit
				got, _, err := tc.c.Open(base64.RawURLEncoding.EncodeToString(raw))
				raw[i] ^= 1 << bit
				if err == nil || got != nil || !isSentinel(err) {
					t.Fatalf("%s: flip of byte %d bit %d: plaintext %q, error %v", name, i, bit, got, err)
				}
				// Past the header, nothing but authentication can notice.
				if i >= codec.HeaderSize && err != keyseal.ErrAuth {
					t.Errorf("%s: flip of byte %d bit %d: %v, want ErrAuth", name, i, bit, err)
				}
			}
		}
	}
}

// Every substitution of one character of the token by another is rejected,
// including those that only touch the unused bits of the last character.
func TestEveryCharacterSubstitutionRejected(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .\r\n\x00"
	for name, tc := range tamperCases(t) {
		tok := []byte(tc.tok)
		for i := range tok {
			orig := tok[i]
			for _, ch := range []byte(alphabet) {
				if ch == orig {
					continue
				}
				tok[i] = ch
				if got, _, err := tc.c.Open(string(tok)); err == nil || got != nil || !isSentinel(err) {
					t.Fatalf("%s: character %d %q→%q: plaintext %q, error %v", name, i, orig, ch, got, err)
				}
			}
			tok[i] = orig
		}
	}
}

func TestRelabelAndNameSwapFailAuth(t *testing.T) {
	for _, alg := range algorithms {
		r := testkit.FixedRing(t, alg, 1, 2)
		c := newCodec(t, r, codec.Config{})
		tok, err := c.Seal([]byte("payload"))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := base64.RawURLEncoding.DecodeString(tok)
		raw[5] = 2 // key 1 → key 2, also in the ring
		if _, _, err := c.Open(base64.RawURLEncoding.EncodeToString(raw)); err != keyseal.ErrAuth {
			t.Errorf("%v: relabelled key ID: %v, want ErrAuth", alg, err)
		}
		for _, name := range []string{"Session", "session2", "sessio", "x"} {
			other, err := codec.New(r, name, codec.Config{})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := other.Open(tok); err != keyseal.ErrAuth {
				t.Errorf("%v: token for %q opened as %q: %v, want ErrAuth", alg, "session", name, err)
			}
		}
	}
}

// A token relabelled to a key of another algorithm fails too: the token
// never chooses its algorithm.
func TestRelabelAcrossAlgorithms(t *testing.T) {
	x := testkit.Key(t, keyring.XChaCha20Poly1305, 1)
	h := testkit.Key(t, keyring.HMACSHA256, 2)
	r, err := keyring.New(x, h)
	if err != nil {
		t.Fatal(err)
	}
	c := newCodec(t, r, codec.Config{})
	tok, _ := c.Seal(bytes.Repeat([]byte("p"), 40))
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	raw[5] = 2
	if _, _, err := c.Open(base64.RawURLEncoding.EncodeToString(raw)); err != keyseal.ErrAuth {
		t.Errorf("XChaCha token relabelled to an HMAC key: %v, want ErrAuth", err)
	}
}
