package cluster_test

import (
	"errors"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// TestSkewAtTheCodec: instances whose clocks are up to the leeway apart
// open each other's tokens; one second further, the token is refused with
// the error that names the reason. The harness checks the same through the
// demo's cookies; this pins the boundaries exactly, with fixed clocks.
func TestSkewAtTheCodec(t *testing.T) {
	ring, err := keyring.Generate(keyring.DefaultAlgorithm)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Unix(1_800_000_000, 0)
	const maxAge = time.Hour
	at := func(now time.Time) *codec.Codec {
		c, err := codec.New(ring, "session", codec.Config{MaxAge: maxAge, Clock: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	token, err := at(t0).Seal([]byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	L := keyseal.DefaultLeeway
	exp := t0.Add(maxAge)
	for _, tc := range []struct {
		name string
		now  time.Time
		want error
	}{
		{"opener behind by the leeway", t0.Add(-L), nil},
		{"opener behind by more", t0.Add(-L - time.Second), keyseal.ErrNotYetValid},
		{"opener ahead, inside the lifetime", t0.Add(L), nil},
		{"expiry plus the leeway not reached", exp.Add(L - time.Second), nil},
		{"expiry plus the leeway", exp.Add(L), keyseal.ErrExpired},
	} {
		_, _, err := at(tc.now).Open(token)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: Open: %v, want %v", tc.name, err, tc.want)
		}
	}
}
