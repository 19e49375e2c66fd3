package gorillastore_test

import (
	"testing"
	"time"

	"github.com/gorilla/sessions"

	"github.com/keyseal/keyseal/gorillastore"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
	"github.com/keyseal/keyseal/legacy"
)

// Printing or marshalling a store in use, however it is held, shows none
// of its keys: neither the keyring's nor the legacy key pairs.
func TestStoreRedacted(t *testing.T) {
	hash, block := testkit.Secret(90), testkit.Secret(91)
	d, err := legacy.New(legacy.Config{Keys: []legacy.Keys{{Hash: hash, Block: block}}, Cutoff: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	st := newStoreOn(t, testkit.FixedRing(t, keyring.XChaCha20Poly1305, 1), gorillastore.Config{Legacy: d})
	s := sessions.NewSession(st, "session")
	s.Values["user_id"] = 7
	save(t, st, s) // compiles the codec of "session" into the store
	testkit.CheckRedacted(t, testkit.Holders(st), testkit.Secret(1), hash, block)
}
