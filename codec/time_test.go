package codec_test

import (
	"errors"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

// openAt opens tok with c while clock reads at.
func openAt(t *testing.T, c *codec.Codec, clock *testkit.Clock, tok string, at time.Time) error {
	t.Helper()
	clock.Set(at)
	_, _, err := c.Open(tok)
	return err
}

func TestTimeBoundariesWithLeeway(t *testing.T) {
	for _, leeway := range []time.Duration{0, 10 * time.Second, 5 * time.Minute} {
		clock := testkit.NewClock(time.Time{})
		iat := clock.Now()
		cfg := codec.Config{MaxAge: time.Hour, Leeway: leeway, Clock: clock.Now}
		c := newCodec(t, testkit.FixedRing(t, keyring.XChaCha20Poly1305), cfg)
		tok, err := c.Seal([]byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		l := leeway
		if l == 0 {
			l = keyseal.DefaultLeeway
		}
		exp := iat.Add(time.Hour)
		for _, tc := range []struct {
			at   time.Time
			want error
		}{
			{iat.Add(-l - time.Second), keyseal.ErrNotYetValid},
			{iat.Add(-l), nil},
			{iat, nil},
			{exp.Add(l - time.Second), nil},
			{exp.Add(l), keyseal.ErrExpired},
			{exp.Add(l + 999*time.Millisecond), keyseal.ErrExpired},
		} {
			if err := openAt(t, c, clock, tok, tc.at); !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Errorf("leeway %v, open at iat%+v: %v, want %v", leeway, tc.at.Sub(iat), err, tc.want)
			}
		}
	}
}

func TestNegativeLeewayMeansNone(t *testing.T) {
	clock := testkit.NewClock(time.Time{})
	iat := clock.Now()
	c := newCodec(t, testkit.FixedRing(t, keyring.AES256GCM), codec.Config{MaxAge: time.Hour, Leeway: -1, Clock: clock.Now})
	tok, _ := c.Seal([]byte("x"))
	for _, tc := range []struct {
		at   time.Duration
		want error
	}{
		{-time.Second, keyseal.ErrNotYetValid},
		{0, nil},
		{time.Hour - time.Second, nil},
		{time.Hour, keyseal.ErrExpired},
	} {
		if err := openAt(t, c, clock, tok, iat.Add(tc.at)); !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
			t.Errorf("open at iat%+v: %v, want %v", tc.at, err, tc.want)
		}
	}
}

// Shortening MaxAge applies to tokens issued before the change, whatever
// expiry they carry.
func TestShorterMaxAgeAppliesToOldTokens(t *testing.T) {
	clock := testkit.NewClock(time.Time{})
	iat := clock.Now()
	r := testkit.FixedRing(t, keyring.XChaCha20Poly1305)
	long := newCodec(t, r, codec.Config{MaxAge: 24 * time.Hour, Clock: clock.Now})
	short := newCodec(t, r, codec.Config{MaxAge: time.Hour, Clock: clock.Now})
	tok, _ := long.Seal([]byte("x"))
	if h, _ := codec.ParseHeader(tok); !h.ExpiresAt.Equal(iat.Add(24 * time.Hour)) {
		t.Fatalf("expiry %v", h.ExpiresAt)
	}
	edge := iat.Add(time.Hour + keyseal.DefaultLeeway)
	if err := openAt(t, short, clock, tok, edge.Add(-time.Second)); err != nil {
		t.Errorf("1 s before MaxAge plus leeway: %v", err)
	}
	if err := openAt(t, short, clock, tok, edge); !errors.Is(err, keyseal.ErrExpired) {
		t.Errorf("at MaxAge plus leeway: %v, want ErrExpired", err)
	}
	if err := openAt(t, long, clock, tok, edge); err != nil {
		t.Errorf("the 24 h codec: %v", err)
	}
}

func TestSealAtCapsExpiryAndKeepsIssuedAt(t *testing.T) {
	clock := testkit.NewClock(time.Time{})
	c := newCodec(t, testkit.FixedRing(t, keyring.XChaCha20Poly1305), codec.Config{MaxAge: time.Hour, Clock: clock.Now})
	iat := clock.Now().Add(-30 * time.Minute)
	tok, err := c.SealAt([]byte("x"), iat, iat.Add(10*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	_, m, err := c.Open(tok)
	if err != nil || !m.IssuedAt.Equal(iat) || !m.ExpiresAt.Equal(iat.Add(time.Hour)) {
		t.Errorf("Meta %+v, %v: want issued %v, expiry capped at an hour later", m, err, iat)
	}
	for _, tc := range []struct{ iat, exp time.Time }{
		{iat, iat},
		{iat, iat.Add(-time.Second)},
		{time.Unix(-1, 0), time.Unix(10, 0)},
		{time.Unix(1<<40-1, 0), time.Unix(1<<40, 0)},
		{time.Time{}, time.Time{}.Add(time.Hour)},
	} {
		if _, err := c.SealAt([]byte("x"), tc.iat, tc.exp); !errors.Is(err, keyseal.ErrLifetime) {
			t.Errorf("SealAt(%v, %v): %v, want ErrLifetime", tc.iat, tc.exp, err)
		}
		if b, err := c.AppendSealAt([]byte("keep"), []byte("x"), tc.iat, tc.exp); !errors.Is(err, keyseal.ErrLifetime) || string(b) != "keep" {
			t.Errorf("AppendSealAt(%v, %v): %q, %v", tc.iat, tc.exp, b, err)
		}
	}
}
