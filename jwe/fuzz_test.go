package jwe_test

import (
	"strconv"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/jwe"
	"github.com/keyseal/keyseal/keyring"
)

// FuzzJWEOpen feeds Open arbitrary tokens: it must never panic, and every
// error must be one of codec's sentinels.
func FuzzJWEOpen(f *testing.F) {
	k, _ := keyring.NewKey(7, keyring.AES256GCM, make([]byte, 32), t0)
	ring, _ := keyring.New(k)
	c, err := jwe.New(ring, jwe.Config{Clock: func() time.Time { return t0 }})
	if err != nil {
		f.Fatal(err)
	}
	good, _ := c.Seal(map[string]any{"sub": "seed"})
	key, _ := k.JWEKey(jwe.A256GCM)
	kid := strconv.Itoa(7)
	exp := strconv.FormatInt(t0.Add(time.Hour).Unix(), 10)
	iat := strconv.FormatInt(t0.Unix(), 10)
	f.Add(good)
	f.Add(seal(f, key, jose.A256GCM, kid, true, nil, `{"iat":`+iat+`,"exp":`+exp+`}`))
	f.Add(seal(f, key, jose.A256GCM, "", false, nil, `{"iat":`+iat+`,"exp":`+exp+`}`))
	f.Add(seal(f, key, jose.A256GCM, kid, false, nil, `{"exp":"x","nbf":1e400}`))
	f.Add(seal(f, key, jose.A256GCM, kid, false, nil, `[[[[[[[[[[`))
	f.Add("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiNyJ9....")
	f.Add("")
	sentinels := []error{codec.ErrMalformed, codec.ErrAuth, codec.ErrUnknownKey, codec.ErrKeyRetired,
		codec.ErrExpired, codec.ErrNotYetValid, codec.ErrTooLarge}
	f.Fuzz(func(t *testing.T, token string) {
		if _, err := c.Open(token, nil); err != nil && !testkit.IsAny(err, sentinels...) {
			t.Fatalf("error %v is not a sentinel", err)
		}
	})
}
