package josetest_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/keyseal/keyseal/internal/testkit/josetest"
)

func TestDirect(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	tok := josetest.Direct(t, key, jose.A256GCM, "k1", &jose.EncrypterOptions{Compression: jose.DEFLATE}, `{"sub":"x"}`)
	obj, err := jose.ParseEncryptedCompact(tok, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{jose.A256GCM})
	if err != nil {
		t.Fatal(err)
	}
	if obj.Header.KeyID != "k1" || obj.Header.Algorithm != "dir" {
		t.Errorf("header %+v", obj.Header)
	}
	pt, err := obj.Decrypt(key)
	if err != nil || string(pt) != `{"sub":"x"}` {
		t.Errorf("Decrypt = %q, %v", pt, err)
	}
}

// Respellings must include spellings that go-jose itself still opens
// (it joins ciphertext and tag), or the tests that use them prove nothing.
func TestRespellingsReachGoJose(t *testing.T) {
	for _, tc := range []struct {
		enc  jose.ContentEncryption
		size int
	}{{jose.A256GCM, 32}, {jose.A256CBC_HS512, 64}} {
		key := bytes.Repeat([]byte{7}, tc.size)
		tok := josetest.Direct(t, key, tc.enc, "k1", nil, `{"sub":"x"}`)
		opened := 0
		for _, r := range josetest.Respellings(tok) {
			if r == tok {
				t.Fatalf("%s: Respellings returned the token itself", tc.enc)
			}
			obj, err := jose.ParseEncryptedCompact(r, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{tc.enc})
			if err != nil {
				continue
			}
			if pt, err := obj.Decrypt(key); err == nil && string(pt) == `{"sub":"x"}` {
				opened++
			}
		}
		if opened == 0 {
			t.Errorf("%s: no respelling opens under go-jose", tc.enc)
		}
		bits := 0
		for part := range strings.SplitSeq(tok, ".") {
			bits += 8 * (len(part) * 6 / 8) // whole bytes
		}
		flips := josetest.BitFlips(tok)
		if len(flips) != bits || slices.Contains(flips, tok) {
			t.Errorf("%s: %d bit flips, want %d, none the token", tc.enc, len(flips), bits)
		}
	}
}
