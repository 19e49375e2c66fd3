package jwe_test

import (
	"strconv"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/internal/testkit/josetest"
	"github.com/keyseal/keyseal/jwe"
	"github.com/keyseal/keyseal/keyring"
)

// FuzzJWEOpen feeds Open arbitrary tokens: it must never panic, and every
// error must be one of keyseal's sentinels.
func FuzzJWEOpen(f *testing.F) {
	k, _ := keyring.NewKey(7, keyring.AES256GCM, make([]byte, 32), t0)
	ring, _ := keyring.New(k)
	c, err := jwe.New(ring, jwe.Config{Clock: func() time.Time { return t0 }})
	if err != nil {
		f.Fatal(err)
	}
	good, _ := c.Seal([]byte(`{"sub":"seed"}`))
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
	sentinels := []error{keyseal.ErrMalformed, keyseal.ErrAuth, keyseal.ErrUnknownKey, keyseal.ErrKeyRetired,
		keyseal.ErrExpired, keyseal.ErrNotYetValid, keyseal.ErrTooLarge}
	f.Fuzz(func(t *testing.T, token string) {
		if _, _, err := c.Open(token); err != nil && !testkit.IsAny(err, sentinels...) {
			t.Fatalf("error %v is not a sentinel", err)
		}
	})
}

// FuzzJWENonMalleable edits genuine tokens of both "enc", as text, as
// decoded bytes and by respelling their parts: an edited token that still
// opens must be the original, and every refusal is a sentinel.
func FuzzJWENonMalleable(f *testing.F) {
	clock := func() time.Time { return t0 }
	ring := testkit.FixedRing(f, keyring.DefaultAlgorithm, 1, 2)
	var codecs []*jwe.Codec
	var valid []string
	for _, enc := range []string{jwe.A256GCM, jwe.A256CBCHS512} {
		c, err := jwe.New(ring, jwe.Config{Encryption: enc, Clock: clock})
		if err != nil {
			f.Fatal(err)
		}
		for _, claims := range []string{`{}`, `{"sub":"alice","role":"admin"}`} {
			tok, err := c.Seal([]byte(claims))
			if err != nil {
				f.Fatal(err)
			}
			codecs, valid = append(codecs, c), append(valid, tok)
		}
	}
	for i := range 14 {
		f.Add(uint8(i%len(valid)), uint16(i*37), uint8(i), byte(i*29))
	}
	sentinels := []error{keyseal.ErrMalformed, keyseal.ErrAuth, keyseal.ErrUnknownKey}
	f.Fuzz(func(t *testing.T, idx uint8, pos uint16, op uint8, b byte) {
		i := int(idx) % len(valid)
		mut := josetest.Mutate(valid[i], int(pos), op, b)
		_, _, err := codecs[i].Open(mut)
		if err == nil && mut != valid[i] {
			t.Fatalf("edit %q of %q opened", mut, valid[i])
		}
		if err != nil && !testkit.IsAny(err, sentinels...) {
			t.Fatalf("error %v is not a sentinel", err)
		}
	})
}
