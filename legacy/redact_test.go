package legacy_test

import (
	"testing"

	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/legacy"
)

// A Decoder shows neither key, whatever holds it and whatever prints it
// (issue 15 item 6): fmt at depth, a bad verb's fallback, JSON and gob.
func TestRedactedEverywhere(t *testing.T) {
	hk := []byte("hash key 0123456789 hash key 0123456789")
	bk := []byte("block key 0123456789abcdefghijkl")
	d := decoder(t, legacy.Config{Keys: []legacy.Keys{{Hash: hk, Block: bk}}})
	testkit.CheckRedacted(t, testkit.Holders(d), hk, bk)
}
