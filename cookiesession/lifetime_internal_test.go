package cookiesession

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestLifetimeArithmetic checks the Unix-second arithmetic of a write
// against time.Time's Add and Sub, what it replaces, on clocks with and
// without a monotonic reading, fractional seconds and durations, and
// issue times on either side of now.
func TestLifetimeArithmetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		now := time.Unix(1_700_000_000+rng.Int64N(1<<30), rng.Int64N(1e9))
		if rng.IntN(2) == 0 {
			now = time.Now().Add(time.Duration(rng.Int64N(1 << 50))) // with a monotonic reading
		}
		idle := time.Duration(1+rng.Int64N(3*24*3600)) * time.Second
		if rng.IntN(3) == 0 {
			idle += time.Duration(rng.Int64N(1e9))
		}
		abs := idle + time.Duration(rng.Int64N(30*24*3600))*time.Second + time.Duration(rng.Int64N(2))*time.Duration(rng.Int64N(1e9))
		m := &Manager[struct{}]{idle: idle, abs: abs}
		iat := now.Unix() - rng.Int64N(int64(abs/time.Second)+120) + 60
		exp := iat + rng.Int64N(int64(abs/time.Second)+1)

		// What write and refreshDue computed before, with time.Time.
		iatT, expT := time.Unix(iat, 0), time.Unix(exp, 0)
		wantExp := now.Add(idle)
		if a := iatT.Add(abs); a.Before(wantExp) {
			wantExp = a
		}
		wantLife := wantExp.Sub(now)

		life := m.cookieLife(now, iat)
		if life != wantLife {
			t.Fatalf("now %v, iat %d, idle %v, abs %v: life %v, want %v", now, iat, idle, abs, life, wantLife)
		}
		if got := ceilUnixAfter(now, life); got != ceilUnix(wantExp) {
			t.Fatalf("now %v, life %v: expiry %d, want %d", now, life, got, ceilUnix(wantExp))
		}
		if got, want := sinceUnix(now, exp), now.Sub(expT); got != want {
			t.Fatalf("now %v, exp %d: since %v, want %v", now, exp, got, want)
		}
		if got, want := life+sinceUnix(now, exp), wantExp.Sub(expT); got != want {
			t.Fatalf("refresh gain %v, want %v", got, want)
		}
	}
}

// TestLifetimeClamp: times further apart than any lifetime are clamped
// rather than overflowing.
func TestLifetimeClamp(t *testing.T) {
	now := time.Unix(1_700_000_000, 5)
	if d := sinceUnix(now, -1<<40); d != time.Duration(1<<32)*time.Second+5 {
		t.Errorf("far past: %v", d)
	}
	if d := sinceUnix(now, 1<<40); d != time.Duration(-1<<32)*time.Second+5 {
		t.Errorf("far future: %v", d)
	}
	for _, now := range []time.Time{now, time.Unix(1_700_000_000, 0), time.Unix(1_700_000_000, 999_999_999)} {
		for _, d := range []time.Duration{-1, 0, 1, time.Second - 1, time.Second, time.Second + 1, -time.Second, -time.Second + 1, 1<<62 + 7, -1 << 62} {
			if got, want := ceilUnixAfter(now, d), ceilUnix(now.Add(d)); got != want {
				t.Errorf("ceilUnixAfter(%v, %v) = %d, want %d", now, d, got, want)
			}
		}
	}
}

// ceilUnix returns t in Unix seconds, rounded up.
func ceilUnix(t time.Time) int64 {
	if t.Nanosecond() != 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}
