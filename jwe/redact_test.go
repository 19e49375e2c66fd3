package jwe_test

import (
	"testing"

	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/jwe"
)

// A Codec shows no key, whatever holds it and whatever prints it (issue 15
// item 6): fmt at depth, a bad verb's fallback, JSON and gob.
func TestRedactedEverywhere(t *testing.T) {
	for _, enc := range []string{jwe.A256GCM, jwe.A256CBCHS512} {
		c, ring, _ := newCodec(t, enc)
		if _, err := c.Seal([]byte(`{}`)); err != nil { // the keys are derived
			t.Fatal(err)
		}
		k := ring.Primary(t0)
		cek, err := k.JWEKey(enc)
		if err != nil {
			t.Fatal(err)
		}
		testkit.CheckRedacted(t, testkit.Holders(c), cek, cek[len(cek)-8:])
	}
}
