package codec_test

import (
	"bytes"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

// swapSource is a keyring source whose ring the test replaces, as a
// keyring.Watcher does on reload.
type swapSource struct{ p atomic.Pointer[keyring.Ring] }

func newSwapSource(r *keyring.Ring) *swapSource {
	s := new(swapSource)
	s.p.Store(r)
	return s
}

func (s *swapSource) Current() *keyring.Ring { return s.p.Load() }
func (s *swapSource) set(r *keyring.Ring)    { s.p.Store(r) }

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestRotation(t *testing.T) {
	for _, alg := range algorithms {
		clock := testkit.NewClock(time.Time{})
		r1 := testkit.FixedRing(t, alg, 1)
		src := newSwapSource(r1)
		c := newCodec(t, src, codec.Config{Clock: clock.Now})
		pt := []byte("user=ada")
		old := must[string](t)(c.Seal(pt))
		issued := clock.Now()

		// Add a key and deploy it: it opens but does not seal yet.
		r2, k2, err := r1.Add(alg, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		src.set(r2)
		if h := must[codec.Header](t)(codec.ParseHeader(must[string](t)(c.Seal(pt)))); h.KeyID != 1 {
			t.Fatalf("%v: sealed under key %d before promotion", alg, h.KeyID)
		}

		// Promote it: old tokens still open, and ask to be re-sealed.
		src.set(must[*keyring.Ring](t)(r2.Promote(k2.ID())))
		clock.Advance(time.Minute)
		got, m, err := c.Open(old)
		if err != nil || !bytes.Equal(got, pt) || m.KeyID != 1 || !m.NeedsReseal {
			t.Fatalf("%v: old token after promotion: %q, %+v, %v", alg, got, m, err)
		}
		fresh, err := c.SealAt(got, m.IssuedAt, m.ExpiresAt)
		if err != nil {
			t.Fatal(err)
		}
		_, m2, err := c.Open(fresh)
		if err != nil || m2.KeyID != k2.ID() || m2.NeedsReseal || !m2.IssuedAt.Equal(issued) || !m2.ExpiresAt.Equal(m.ExpiresAt) {
			t.Fatalf("%v: re-sealed token: %+v, %v; want key %d, issued %v", alg, m2, err, k2.ID(), issued)
		}

		// Retire the old key: its tokens are refused, new ones open.
		r4 := must[*keyring.Ring](t)(src.Current().Retire(1))
		src.set(r4)
		if _, _, err := c.Open(old); !errors.Is(err, keyseal.ErrKeyRetired) {
			t.Errorf("%v: old token after retirement: %v, want ErrKeyRetired", alg, err)
		}
		if _, _, err := c.Open(fresh); err != nil {
			t.Errorf("%v: re-sealed token after retirement: %v", alg, err)
		}

		// Remove it: its tokens are unknown.
		src.set(must[*keyring.Ring](t)(r4.Remove(1)))
		if _, _, err := c.Open(old); !errors.Is(err, keyseal.ErrUnknownKey) {
			t.Errorf("%v: old token after removal: %v, want ErrUnknownKey", alg, err)
		}
	}
}

func TestScheduledPromotion(t *testing.T) {
	clock := testkit.NewClock(time.Time{})
	at := clock.Now().Add(time.Hour)
	r1 := testkit.FixedRing(t, keyring.XChaCha20Poly1305, 1)
	r2, k2, err := r1.Add(keyring.XChaCha20Poly1305, at)
	if err != nil {
		t.Fatal(err)
	}
	c := newCodec(t, r2, codec.Config{Clock: clock.Now})
	keyOf := func() uint32 {
		t.Helper()
		return must[codec.Header](t)(codec.ParseHeader(must[string](t)(c.Seal([]byte("x"))))).KeyID
	}
	before := must[string](t)(c.Seal([]byte("x")))
	clock.Set(at.Add(-time.Second))
	if id := keyOf(); id != 1 {
		t.Errorf("1 s before the activation time: sealed under %d, want 1", id)
	}
	clock.Set(at)
	if id := keyOf(); id != k2.ID() {
		t.Errorf("at the activation time: sealed under %d, want %d", id, k2.ID())
	}
	_, m, err := c.Open(before)
	if err != nil || m.KeyID != 1 || !m.NeedsReseal {
		t.Errorf("token sealed before the promotion: %+v, %v: want NeedsReseal", m, err)
	}
}
