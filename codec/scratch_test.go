package codec

import (
	"bytes"
	"testing"

	"github.com/keyseal/keyseal/keyring"
)

// A scratch buffer holds plaintext or its compressed form while in use;
// putScratch clears what its user wrote, which the user leaves in *p.
func TestPutScratchClears(t *testing.T) {
	for _, n := range []int{10, 4096, maxPooled + 1} {
		p := getScratch(n)
		*p = append((*p)[:0], bytes.Repeat([]byte("secret"), n/6+1)[:n]...)
		putScratch(p)
		if full := (*p)[:cap(*p)]; bytes.Contains(full, []byte("secret")) || bytes.IndexFunc(full, func(r rune) bool { return r != 0 }) >= 0 {
			t.Errorf("n=%d: putScratch left data in the buffer", n)
		}
	}
}

// Compressed sealing and opening (which use scratch buffers) put them back
// cleared: whatever buffer the pool hands out next holds no plaintext.
func TestScratchClearedAfterUse(t *testing.T) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(ring, "session", Config{Compress: true})
	if err != nil {
		t.Fatal(err)
	}
	secret := bytes.Repeat([]byte("secret-session-data "), 100)
	for range 20 {
		tok, err := c.Seal(secret)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.Open(tok); err != nil {
			t.Fatal(err)
		}
		// The plaintext in dst's capacity, so that AppendSeal seals a copy.
		buf := make([]byte, 0, 8192)
		pt := append(buf[100:100], secret...)
		if _, err := c.AppendSeal(buf, pt); err != nil {
			t.Fatal(err)
		}
		p := getScratch(1)
		if bytes.IndexFunc((*p)[:cap(*p)], func(r rune) bool { return r != 0 }) >= 0 {
			t.Fatal("a pooled scratch buffer holds data")
		}
		putScratch(p)
	}
}
