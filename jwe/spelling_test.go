package jwe_test

import (
	"errors"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/testkit/josetest"
	"github.com/keyseal/keyseal/jwe"
)

// Exactly one spelling of a token opens. go-jose joins ciphertext and tag
// and only checks that the tag has at least 16 bytes, so bytes moved from
// the end of the ciphertext to the tag (1 for A256GCM, 16 for
// A256CBC-HS512) gave another string that opened to the same claims; a
// denylist or replay cache keyed on the string would miss it. Every
// respelling and every single-bit change of the bytes is refused.
func TestOneSpelling(t *testing.T) {
	for _, enc := range []string{jwe.A256GCM, jwe.A256CBCHS512} {
		t.Run(enc, func(t *testing.T) {
			c, _, _ := newCodec(t, enc)
			tok, err := c.Seal([]byte(`{"sub":"alice"}`))
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range josetest.Respellings(tok) {
				if _, _, err := c.Open(r); !errors.Is(err, keyseal.ErrMalformed) {
					t.Errorf("respelling %s: %v, want ErrMalformed", r, err)
				}
			}
			for _, r := range josetest.BitFlips(tok) {
				if _, _, err := c.Open(r); err == nil {
					t.Errorf("bit flip %s opened", r)
				}
			}
		})
	}
}
