package codec_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/codecat"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

// moment is a codec at a fixed time, through the hooks cookiesession uses.
type moment struct {
	c   *codec.Codec
	now time.Time
}

func atTime(c *codec.Codec, now time.Time) moment { return moment{c, now} }

func (m moment) Open(token string) ([]byte, keyseal.Meta, error) {
	return m.AppendOpen(nil, token)
}

func (m moment) AppendOpen(dst []byte, token string) ([]byte, keyseal.Meta, error) {
	return codecat.AppendOpen(m.c, dst, token, m.now)
}

func (m moment) AppendSealAt(dst, pt []byte, iat, exp time.Time) ([]byte, error) {
	return codecat.AppendSealAt(m.c, dst, pt, m.now, iat, exp)
}

func (m moment) SealAt(pt []byte, iat, exp time.Time) (string, error) {
	b, err := m.AppendSealAt(nil, pt, iat, exp)
	return string(b), err
}

func (m moment) Seal(pt []byte) (string, error) {
	return m.SealAt(pt, m.now, m.now.Add(m.c.MaxAge()))
}

// A codec at a time never reads the codec's clock, issues its tokens at its own
// time and checks them against it.
func TestAtUsesItsTimeOnly(t *testing.T) {
	reads := 0
	clock := func() time.Time { reads++; return time.Unix(1_900_000_000, 0) }
	for _, alg := range algorithms {
		c := newCodec(t, testkit.FixedRing(t, alg), codec.Config{MaxAge: time.Hour, Clock: clock})
		reads = 0
		t0 := time.Unix(1_800_000_000, 0)
		m := atTime(c, t0)
		pt := []byte("moment")

		tok, err := m.Seal(pt)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := codec.ParseHeader(tok)
		if !h.IssuedAt.Equal(t0) || !h.ExpiresAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("%v: Seal at %v: issued %v, expires %v", alg, t0, h.IssuedAt, h.ExpiresAt)
		}
		b, err := m.AppendSealAt([]byte("x"), pt, t0, t0.Add(time.Minute))
		if err != nil || b[0] != 'x' {
			t.Fatal(err)
		}
		tokAt, err := m.SealAt(pt, t0.Add(-time.Minute), t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		b2, err := m.AppendSealAt(nil, pt, t0, t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range []string{tok, string(b[1:]), tokAt, string(b2)} {
			got, meta, err := m.Open(tk)
			if err != nil || !bytes.Equal(got, pt) || meta.NeedsReseal {
				t.Fatalf("%v: Open at the sealing time: %q, %+v, %v", alg, got, meta, err)
			}
			if got, _, err := m.AppendOpen([]byte("y"), tk); err != nil || string(got) != "ymoment" {
				t.Fatalf("%v: AppendOpen: %q, %v", alg, got, err)
			}
		}
		if reads != 0 {
			t.Errorf("%v: the codec at a time read its clock %d times", alg, reads)
		}

		// The codec's own clock is an hour and more later: expired there,
		// valid at the moment; and a moment two hours on refuses it.
		if _, _, err := c.Open(tok); !errors.Is(err, keyseal.ErrExpired) {
			t.Errorf("%v: Open on the codec's clock = %v, want ErrExpired", alg, err)
		}
		if _, _, err := atTime(c, t0.Add(2*time.Hour)).Open(tok); !errors.Is(err, keyseal.ErrExpired) {
			t.Errorf("%v: Open two hours on = %v, want ErrExpired", alg, err)
		}
		if _, _, err := atTime(c, t0.Add(-time.Hour)).Open(tok); !errors.Is(err, keyseal.ErrNotYetValid) {
			t.Errorf("%v: Open an hour before = %v, want ErrNotYetValid", alg, err)
		}
	}
}

// A codec at a time seals under the primary at its time: before a scheduled
// promotion the old key, after it the new one.
func TestAtHonoursScheduledPromotion(t *testing.T) {
	r1 := testkit.FixedRing(t, keyring.XChaCha20Poly1305)
	at := time.Unix(1_800_000_000, 0)
	r2, k2, err := r1.Add(keyring.XChaCha20Poly1305, at)
	if err != nil {
		t.Fatal(err)
	}
	c := newCodec(t, r2, codec.Config{Clock: func() time.Time { return at.Add(-time.Hour) }})
	for _, tc := range []struct {
		now  time.Time
		want uint32
	}{
		{at.Add(-time.Second), r1.Primary(at).ID()},
		{at, k2.ID()},
	} {
		tok, err := atTime(c, tc.now).Seal([]byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		if h, _ := codec.ParseHeader(tok); h.KeyID != tc.want {
			t.Errorf("sealed at %v under key %d, want %d", tc.now, h.KeyID, tc.want)
		}
	}
}
