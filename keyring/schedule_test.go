package keyring_test

import (
	"errors"
	"testing"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

func TestScheduledPromotion(t *testing.T) {
	now := time.Now()
	r0 := mustGenerate(t, keyring.DefaultAlgorithm)
	old := r0.Primary(now)
	at := now.Add(time.Hour)
	r, next := mustAdd(t, r0, at)

	if !next.ActivateAt().Equal(at) || next.State() != keyring.Active {
		t.Fatalf("scheduled key: state %v, activate at %v", next.State(), next.ActivateAt())
	}
	if p := r.Primary(at.Add(-time.Nanosecond)); p.ID() != old.ID() {
		t.Errorf("before activation the primary is %d, want the old %d", p.ID(), old.ID())
	}
	if p := r.Primary(at); p.ID() != next.ID() {
		t.Errorf("at activation the primary is %d, want the new %d", p.ID(), next.ID())
	}
	if p := r.Primary(at.Add(time.Minute)); p.ID() != next.ID() {
		t.Errorf("after activation the primary is %d, want the new %d", p.ID(), next.ID())
	}

	// Settle before the activation time changes nothing.
	if s := r.Settle(at.Add(-time.Minute)); s != r {
		t.Error("Settle with nothing due returned a new ring")
	}
	before := snapshot(t, r)
	s := r.Settle(at.Add(time.Minute))
	if snapshot(t, r) != before {
		t.Fatal("Settle changed its receiver")
	}
	if got := states(s); got != "active primary" {
		t.Fatalf("after Settle: %s", got)
	}
	if k, _ := s.Key(next.ID()); !k.ActivateAt().IsZero() {
		t.Error("a settled primary keeps its activation time")
	}
	if s.Primary(now).ID() != next.ID() {
		t.Error("a settled ring still depends on the time")
	}
}

func TestTwoScheduledKeys(t *testing.T) {
	now := time.Now()
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	a := r.Primary(now)
	// Scheduled out of order: the later one is added first.
	r, c := mustAdd(t, r, now.Add(2*time.Hour))
	r, b := mustAdd(t, r, now.Add(time.Hour))

	for _, tc := range []struct {
		at   time.Duration
		want *keyring.Key
	}{{30 * time.Minute, a}, {90 * time.Minute, b}, {3 * time.Hour, c}} {
		if p := r.Primary(now.Add(tc.at)); p.ID() != tc.want.ID() {
			t.Errorf("Primary(+%v) = %d, want %d", tc.at, p.ID(), tc.want.ID())
		}
	}

	mid := r.Settle(now.Add(90 * time.Minute))
	if got := states(mid); got != "active active primary" {
		t.Fatalf("settled at +90m: %s", got)
	}
	if k, _ := mid.Key(c.ID()); !k.ActivateAt().Equal(c.ActivateAt()) {
		t.Error("settling must keep a schedule that is still due")
	}
	if p := mid.Primary(now.Add(3 * time.Hour)); p.ID() != c.ID() {
		t.Errorf("after settling at +90m, Primary(+3h) = %d, want %d", p.ID(), c.ID())
	}

	late := r.Settle(now.Add(3 * time.Hour))
	if got := states(late); got != "active primary active" {
		t.Fatalf("settled at +3h: %s", got)
	}
	for _, k := range late.Keys() {
		if !k.ActivateAt().IsZero() {
			t.Errorf("key %d keeps a past activation time", k.ID())
		}
	}
}

// Every operation settles first, so a key whose promotion has come is
// treated as the primary it already is.
func TestOperationsSettleFirst(t *testing.T) {
	r0 := mustGenerate(t, keyring.DefaultAlgorithm)
	old := r0.Primary(time.Now())
	r, next := mustAdd(t, r0, time.Now().Add(-time.Minute)) // due already
	if r.Primary(time.Now()).ID() != next.ID() {
		t.Fatal("a key due in the past is not the primary")
	}
	if k, _ := r.Key(old.ID()); k.State() != keyring.Primary {
		t.Fatal("Add settled the new key's own schedule before adding it")
	}

	retired, err := r.Retire(old.ID())
	if err != nil {
		t.Fatalf("retiring the former primary: %v", err)
	}
	if got := states(retired); got != "retired primary" {
		t.Errorf("after Retire: %s", got)
	}

	_, err = r.Retire(next.ID())
	if !errors.Is(err, keyring.ErrRetirePrimary) {
		t.Errorf("retiring the due key: %v, want ErrRetirePrimary", err)
	}
	_, err = r.Remove(next.ID())
	if !errors.Is(err, keyring.ErrRetirePrimary) {
		t.Errorf("removing the due key: %v, want ErrRetirePrimary", err)
	}

	promoted, err := r.Promote(old.ID())
	if err != nil {
		t.Fatal(err)
	}
	if got := states(promoted); got != "primary active" || promoted.Primary(time.Now()).ID() != old.ID() {
		t.Errorf("promoting back the old key: %s", got)
	}

	added, _ := mustAdd(t, r, time.Time{})
	if got := states(added); got != "active primary active" {
		t.Errorf("after Add: %s", got)
	}
	imported, err := r.Import(mustGenerate(t, keyring.DefaultAlgorithm).Primary(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if got := states(imported); got != "active primary active" {
		t.Errorf("after Import: %s", got)
	}
}

// Retiring or promoting a scheduled key cancels its schedule.
func TestScheduleCancelled(t *testing.T) {
	now := time.Now()
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	old := r.Primary(now)
	r, next := mustAdd(t, r, now.Add(time.Hour))

	retired, err := r.Retire(next.ID())
	if err != nil {
		t.Fatal(err)
	}
	if p := retired.Primary(now.Add(2 * time.Hour)); p.ID() != old.ID() {
		t.Error("a retired key still becomes primary on schedule")
	}
	if _, err := retired.Promote(next.ID()); !errors.Is(err, keyring.ErrRetired) {
		t.Errorf("promoting a retired key: %v", err)
	}

	promoted, err := r.Promote(next.ID())
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := promoted.Key(next.ID()); !k.ActivateAt().IsZero() || k.State() != keyring.Primary {
		t.Errorf("promoted scheduled key: %v", k)
	}
}

// Promoting a key by hand cancels every other scheduled promotion, one
// due before the promoted key's own or after: each was planned to replace
// the former primary, and would otherwise take over from the key just
// promoted. Promoting the primary itself changes nothing.
func TestPromoteCancelsOtherSchedules(t *testing.T) {
	now := time.Now()
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	r, b := mustAdd(t, r, now.Add(time.Hour))
	r, c := mustAdd(t, r, now.Add(2*time.Hour))
	r, d := mustAdd(t, r, time.Time{})
	for _, id := range []uint32{c.ID(), d.ID()} {
		p, err := r.Promote(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Duration{0, 90 * time.Minute, 3 * time.Hour, 1000 * time.Hour} {
			if k := p.Primary(now.Add(at)); k.ID() != id {
				t.Errorf("promoted %d: primary at +%v is %d", id, at, k.ID())
			}
		}
		for _, k := range p.Keys() {
			if !k.ActivateAt().IsZero() {
				t.Errorf("promoted %d: key %d still scheduled for %v", id, k.ID(), k.ActivateAt())
			}
		}
		if again, err := p.Promote(id); err != nil || again != p {
			t.Errorf("promoting the primary again: %v, %v", again, err)
		}
	}
	_ = b
}

// An activation time the keyring file cannot hold is refused when the key
// is added, not later when the ring is written.
func TestAddActivationOutOfFileRange(t *testing.T) {
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	for _, at := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 30, 0, 0, time.FixedZone("", -3600)),
	} {
		if nr, k, err := r.Add(keyring.DefaultAlgorithm, at); !errors.Is(err, keyring.ErrTimeRange) || nr != nil || k != nil {
			t.Errorf("Add at %v: ring %v, key %v, error %v; want ErrTimeRange", at, nr, k, err)
		}
	}
	// The last second of year 9999 still fits, and the ring writes.
	nr, _, err := r.Add(keyring.DefaultAlgorithm, time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.MarshalFile(nr); err != nil {
		t.Errorf("MarshalFile: %v", err)
	}
}
