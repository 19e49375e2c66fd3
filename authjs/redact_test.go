package authjs_test

import (
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/keyseal/keyseal/authjs"
	"github.com/keyseal/keyseal/internal/testkit"
)

// A Codec shows neither its secrets nor its derived keys, whatever holds
// it and whatever prints it (issue 15 item 6): a copy, a struct holding it
// by value or by pointer, fmt's fallback for a bad verb, JSON and gob.
func TestRedactedEverywhere(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	k64, _ := hex.DecodeString(katKey64)
	k32, _ := hex.DecodeString(katKey32) // the first 32 bytes of k64
	testkit.CheckRedacted(t, testkit.Holders(c), []byte(secret), k64, k64[32:], k32)
}

// The zero Codec prints too.
func TestZeroCodecPrints(t *testing.T) {
	var c authjs.Codec
	if got := fmt.Sprintf("%v %+v", c, &c); got != `authjs.Codec{cookie="" secrets=0 REDACTED} authjs.Codec{cookie="" secrets=0 REDACTED}` {
		t.Errorf("zero Codec prints %q", got)
	}
}
