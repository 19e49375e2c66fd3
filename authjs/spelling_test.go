package authjs_test

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/internal/testkit/josetest"
)

// Exactly one spelling of an Auth.js token opens, for both "enc" Auth.js
// accepts and with or without "kid": bytes moved between the ciphertext
// and the tag, and every other respelling, are refused before decryption;
// every single-bit change of the bytes is refused.
func TestOneSpelling(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	for name, tok := range map[string]string{
		"A256CBC-HS512":        token(t, katKey64, jose.A256CBC_HS512, katKID64, claimsAt(t0, t0.Add(time.Hour))),
		"A256GCM":              token(t, katKey32, jose.A256GCM, katKID32, claimsAt(t0, t0.Add(time.Hour))),
		"A256CBC-HS512 no kid": token(t, katKey64, jose.A256CBC_HS512, "", claimsAt(t0, t0.Add(time.Hour))),
		"A256GCM no kid":       token(t, katKey32, jose.A256GCM, "", claimsAt(t0, t0.Add(time.Hour))),
	} {
		if _, _, err := c.Open(tok); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range josetest.Respellings(tok) {
			if _, _, err := c.Open(r); !errors.Is(err, keyseal.ErrMalformed) {
				t.Errorf("%s: respelling %s: %v, want ErrMalformed", name, r, err)
			}
		}
		for _, r := range josetest.BitFlips(tok) {
			if _, _, err := c.Open(r); err == nil {
				t.Errorf("%s: bit flip %s opened", name, r)
			}
		}
	}
}

// Tokens refused for an algorithm outside Auth.js's allow-list say which,
// still matching keyseal.ErrMalformed, without key material.
func TestRefusalsSayWhy(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	good := claimsAt(t0, t0.Add(time.Hour))
	rsa := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RSA-OAEP","enc":"A256GCM"}`)) + "..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA"
	p := strings.Split(token(t, katKey32, jose.A256GCM, katKID32, good), ".")
	p[4] = "AA" + p[4][:len(p[4])-2] + "A" // one more byte of tag (not genuine, but refused before)
	for _, tc := range []struct {
		name, token, want string
	}{
		{"RSA-OAEP", rsa, `unsupported alg "RSA-OAEP"`},
		{"A256KW", base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"A256KW","enc":"A256GCM"}`)) + "." + strings.Repeat("A", 54) + ".AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA", `unsupported alg "A256KW"`},
		{"encrypted key", base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"dir","enc":"A256GCM"}`)) + ".AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA", "an encrypted key"},
		{"A128GCM", token(t, katKey32[:32], jose.A128GCM, "", good), `enc "A128GCM" not allowed`},
		{"tag length", strings.Join(p, "."), "IV or tag of the wrong length for A256GCM"},
	} {
		_, _, err := c.Open(tc.token)
		if !errors.Is(err, keyseal.ErrMalformed) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want ErrMalformed saying %s", tc.name, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), katKey32[:8])) {
			t.Errorf("%s: %q shows key material", tc.name, err)
		}
	}
}

// FuzzAuthJSNonMalleable edits genuine Auth.js tokens of both "enc", with
// and without "kid", as text, as decoded bytes and by respelling their
// parts: an edited token that still opens must be the original.
func FuzzAuthJSNonMalleable(f *testing.F) {
	now := t0
	c := newCodec(f, &now, "other secret", secret)
	good := claimsAt(t0, t0.Add(time.Hour))
	valid := []string{
		token(f, katKey64, jose.A256CBC_HS512, katKID64, good),
		token(f, katKey32, jose.A256GCM, katKID32, good),
		token(f, katKey64, jose.A256CBC_HS512, "", good),
		token(f, katKey32, jose.A256GCM, "", `{"exp":`+strconv.FormatInt(t0.Unix()+60, 10)+`}`),
	}
	for i := range 14 {
		f.Add(uint8(i%len(valid)), uint16(i*37), uint8(i), byte(i*29))
	}
	sentinels := []error{keyseal.ErrMalformed, keyseal.ErrAuth, keyseal.ErrUnknownKey}
	f.Fuzz(func(t *testing.T, idx uint8, pos uint16, op uint8, b byte) {
		orig := valid[int(idx)%len(valid)]
		mut := josetest.Mutate(orig, int(pos), op, b)
		_, _, err := c.Open(mut)
		if err == nil && mut != orig {
			t.Fatalf("edit %q of %q opened", mut, orig)
		}
		if err != nil && !testkit.IsAny(err, sentinels...) {
			t.Fatalf("error %v is not a sentinel", err)
		}
	})
}
