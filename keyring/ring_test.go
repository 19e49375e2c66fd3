package keyring_test

import (
	"bytes"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

var algorithms = []keyring.Algorithm{keyring.XChaCha20Poly1305, keyring.AES256GCM, keyring.HMACSHA256}

// wantKeyError checks that err is the sentinel want, wrapped in a KeyError
// naming id.
func wantKeyError(t *testing.T, err, want error, id uint32) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
	var ke *keyring.KeyError
	if !errors.As(err, &ke) {
		t.Fatalf("error %v is not a *KeyError", err)
	}
	if ke.ID != id {
		t.Fatalf("KeyError names key %d, want %d", ke.ID, id)
	}
}

func TestGenerate(t *testing.T) {
	for _, alg := range algorithms {
		t.Run(alg.String(), func(t *testing.T) {
			before := time.Now().Add(-time.Second)
			r := mustGenerate(t, alg)
			if r.Len() != 1 {
				t.Fatalf("Len = %d, want 1", r.Len())
			}
			p := r.Primary(time.Now())
			if p.ID() == 0 || p.State() != keyring.Primary || p.Algorithm() != alg {
				t.Fatalf("primary %v", p)
			}
			if c := p.Created(); c.Before(before) || c.After(time.Now()) || c.Location() != time.UTC {
				t.Errorf("Created = %v, want about now in UTC", c)
			}
			if !p.ActivateAt().IsZero() {
				t.Errorf("ActivateAt = %v, want zero", p.ActivateAt())
			}
			if r.Current() != r {
				t.Error("a Ring's Current is not itself")
			}
		})
	}
	if _, err := keyring.Generate(0); !errors.Is(err, keyring.ErrUnknownAlgorithm) {
		t.Errorf("Generate(0) error %v, want ErrUnknownAlgorithm", err)
	}
	a, b := mustGenerate(t, keyring.DefaultAlgorithm), mustGenerate(t, keyring.DefaultAlgorithm)
	sa, sb := secrets(t, a), secrets(t, b)
	if bytes.Equal(sa[a.Primary(time.Now()).ID()], sb[b.Primary(time.Now()).ID()]) {
		t.Error("two generated rings share a secret")
	}
}

func TestAddGivesUniqueNonZeroIDs(t *testing.T) {
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	seen := map[uint32]bool{r.Primary(time.Now()).ID(): true}
	for range 50 {
		before := snapshot(t, r)
		nr, k := mustAdd(t, r, time.Time{})
		if snapshot(t, r) != before {
			t.Fatal("Add changed its receiver")
		}
		if k.ID() == 0 || seen[k.ID()] {
			t.Fatalf("Add gave ID %d, zero or already used", k.ID())
		}
		seen[k.ID()] = true
		if k.State() != keyring.Active {
			t.Fatalf("added key is %v, want active", k.State())
		}
		if got, ok := nr.Key(k.ID()); !ok || got != k {
			t.Fatalf("Key(%d) = %v, %v; want the added key", k.ID(), got, ok)
		}
		if nr.Len() != r.Len()+1 {
			t.Fatalf("Len %d after Add to %d keys", nr.Len(), r.Len())
		}
		r = nr
	}
	for _, alg := range algorithms {
		_, k, err := r.Add(alg, time.Time{})
		if err != nil || k.Algorithm() != alg {
			t.Errorf("Add(%v) = %v, %v", alg, k, err)
		}
	}
	if _, _, err := r.Add(keyring.Algorithm(99), time.Time{}); !errors.Is(err, keyring.ErrUnknownAlgorithm) {
		t.Errorf("Add(99) error %v, want ErrUnknownAlgorithm", err)
	}
}

func TestRotation(t *testing.T) {
	r0 := mustGenerate(t, keyring.DefaultAlgorithm)
	old := r0.Primary(time.Now())
	r1, next := mustAdd(t, r0, time.Time{})
	if got := states(r1); got != "primary active" {
		t.Fatalf("after Add: %s", got)
	}

	s1 := snapshot(t, r1)
	r2, err := r1.Promote(next.ID())
	if err != nil {
		t.Fatal(err)
	}
	if snapshot(t, r1) != s1 {
		t.Fatal("Promote changed its receiver")
	}
	if got := states(r2); got != "active primary" {
		t.Fatalf("after Promote: %s", got)
	}
	if p := r2.Primary(time.Now()); p.ID() != next.ID() {
		t.Fatalf("primary %d, want %d", p.ID(), next.ID())
	}
	if k, _ := r2.Key(old.ID()); k.State() != keyring.Active {
		t.Fatalf("old primary is %v, want active", k.State())
	}
	if old.State() != keyring.Primary || next.State() != keyring.Active {
		t.Fatal("Promote changed keys held from an older ring")
	}
	if again, err := r2.Promote(next.ID()); err != nil || snapshot(t, again) != snapshot(t, r2) {
		t.Fatalf("promoting the primary again: %v", err)
	}

	_, err = r2.Retire(next.ID())
	wantKeyError(t, err, keyring.ErrRetirePrimary, next.ID())
	_, err = r2.Remove(next.ID())
	wantKeyError(t, err, keyring.ErrRetirePrimary, next.ID())

	s2 := snapshot(t, r2)
	r3, err := r2.Retire(old.ID())
	if err != nil {
		t.Fatal(err)
	}
	if snapshot(t, r2) != s2 {
		t.Fatal("Retire changed its receiver")
	}
	if got := states(r3); got != "retired primary" {
		t.Fatalf("after Retire: %s", got)
	}
	if k, ok := r3.Key(old.ID()); !ok || k.State() != keyring.Retired {
		t.Fatal("a retired key must stay in the ring, known but refused")
	}
	if again, err := r3.Retire(old.ID()); err != nil || states(again) != "retired primary" {
		t.Fatalf("retiring twice: %v", err)
	}
	_, err = r3.Promote(old.ID())
	wantKeyError(t, err, keyring.ErrRetired, old.ID())

	s3 := snapshot(t, r3)
	r4, err := r3.Remove(old.ID())
	if err != nil {
		t.Fatal(err)
	}
	if snapshot(t, r3) != s3 {
		t.Fatal("Remove changed its receiver")
	}
	if _, ok := r4.Key(old.ID()); ok || r4.Len() != 1 || states(r4) != "primary" {
		t.Fatalf("after Remove: %d keys, %s", r4.Len(), states(r4))
	}

	// Removing an active key (not only a retired one) works too.
	r5, extra := mustAdd(t, r4, time.Time{})
	if r6, err := r5.Remove(extra.ID()); err != nil || r6.Len() != 1 {
		t.Fatalf("Remove(active) = %v, %v", r6, err)
	}
}

func TestUnknownID(t *testing.T) {
	r := testkit.FixedRing(t, keyring.DefaultAlgorithm, 1, 2)
	const missing = 12345
	_, err := r.Promote(missing)
	wantKeyError(t, err, keyring.ErrNotFound, missing)
	_, err = r.Retire(missing)
	wantKeyError(t, err, keyring.ErrNotFound, missing)
	_, err = r.Remove(missing)
	wantKeyError(t, err, keyring.ErrNotFound, missing)
	if k, ok := r.Key(missing); ok || k != nil {
		t.Errorf("Key(missing) = %v, %v", k, ok)
	}
	if k, ok := r.Key(0); ok || k != nil {
		t.Errorf("Key(0) = %v, %v", k, ok)
	}
}

func TestNewAndImport(t *testing.T) {
	secret := testkit.Secret(7)
	k, err := keyring.NewKey(7, keyring.AES256GCM, secret, testkit.Epoch.Add(500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	secret[0] ^= 1 // NewKey must have copied it
	if k.ID() != 7 || k.Algorithm() != keyring.AES256GCM || k.State() != keyring.Active || !k.Created().Equal(testkit.Epoch) {
		t.Fatalf("NewKey = %v created %v", k, k.Created())
	}
	r, err := keyring.New(k)
	if err != nil {
		t.Fatal(err)
	}
	if got := secrets(t, r)[7]; !bytes.Equal(got, testkit.Secret(7)) {
		t.Fatal("NewKey did not copy its secret")
	}
	if k.State() != keyring.Active {
		t.Fatal("New changed the key it was given")
	}
	if p := r.Primary(time.Now()); p.ID() != 7 || p.State() != keyring.Primary {
		t.Fatalf("New: primary %v", p)
	}

	imported := testkit.Key(t, keyring.HMACSHA256, 9)
	r2, err := r.Import(imported)
	if err != nil {
		t.Fatal(err)
	}
	if got := states(r2); got != "primary active" || r.Len() != 1 {
		t.Fatalf("after Import: %s, receiver has %d keys", got, r.Len())
	}
	_, err = r2.Import(testkit.Key(t, keyring.DefaultAlgorithm, 9))
	wantKeyError(t, err, keyring.ErrDuplicateID, 9)
	if _, err := r2.Import(nil); !errors.Is(err, keyring.ErrNilKey) {
		t.Errorf("Import(nil) error %v, want ErrNilKey", err)
	}

	// Importing the primary of another ring makes it active here.
	other := testkit.FixedRing(t, keyring.DefaultAlgorithm, 11)
	r3, err := r2.Import(other.Primary(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := r3.Key(11); k.State() != keyring.Active {
		t.Errorf("imported primary is %v, want active", k.State())
	}

	if _, err := keyring.NewKey(0, keyring.DefaultAlgorithm, testkit.Secret(0), time.Time{}); !errors.Is(err, keyring.ErrZeroID) {
		t.Errorf("NewKey(0) error %v, want ErrZeroID", err)
	}
	_, err = keyring.NewKey(3, keyring.DefaultAlgorithm, make([]byte, 31), time.Time{})
	wantKeyError(t, err, keyring.ErrSecretLength, 3)
	_, err = keyring.NewKey(3, keyring.DefaultAlgorithm, make([]byte, 33), time.Time{})
	wantKeyError(t, err, keyring.ErrSecretLength, 3)
	_, err = keyring.NewKey(3, keyring.Algorithm(0), testkit.Secret(3), time.Time{})
	wantKeyError(t, err, keyring.ErrUnknownAlgorithm, 3)
	// A creation time the keyring file cannot hold: year 10000 in UTC,
	// also when it is spelled in an earlier year with an offset.
	for _, created := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -2*3600)),
		time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		_, err = keyring.NewKey(3, keyring.DefaultAlgorithm, testkit.Secret(3), created)
		wantKeyError(t, err, keyring.ErrTimeRange, 3)
	}
	if _, err := keyring.NewKey(3, keyring.DefaultAlgorithm, testkit.Secret(3), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)); err != nil {
		t.Errorf("NewKey at the end of year 9999: %v", err)
	}

	if _, err := keyring.New(nil); !errors.Is(err, keyring.ErrNoPrimary) {
		t.Errorf("New(nil) error %v, want ErrNoPrimary", err)
	}
	if _, err := keyring.New(k, nil); !errors.Is(err, keyring.ErrNilKey) {
		t.Errorf("New(k, nil) error %v, want ErrNilKey", err)
	}
	_, err = keyring.New(k, testkit.Key(t, keyring.DefaultAlgorithm, 7))
	wantKeyError(t, err, keyring.ErrDuplicateID, 7)
	_, err = keyring.New(k, other.Primary(time.Now()))
	wantKeyError(t, err, keyring.ErrManyPrimaries, 11)
}

func TestLookupIsIndexed(t *testing.T) {
	ids := make([]uint32, keyring.MaxKeys)
	for i := range ids {
		ids[i] = uint32(i)*2654435761 + 1 // spread out, none zero
	}
	r := testkit.FixedRing(t, keyring.DefaultAlgorithm, ids...)
	if r.Len() != keyring.MaxKeys {
		t.Fatalf("Len = %d", r.Len())
	}
	for i, k := range r.Keys() {
		if k.ID() != ids[i] {
			t.Fatalf("Keys()[%d] = %d, want %d (ring order is insertion order)", i, k.ID(), ids[i])
		}
		if got, ok := r.Key(ids[i]); !ok || got != k {
			t.Fatalf("Key(%d) = %v, %v", ids[i], got, ok)
		}
	}
	last := ids[len(ids)-1]
	if n := testing.AllocsPerRun(100, func() { r.Key(last) }); n != 0 {
		t.Errorf("Key allocates %v times", n)
	}
	// Keys returns a copy: changing it does not change the ring.
	ks := r.Keys()
	ks[0] = nil
	if r.Keys()[0] == nil {
		t.Error("Keys returned the ring's own slice")
	}

	more := append(ids, 4242)
	if _, err := keyring.New(testkit.Key(t, keyring.DefaultAlgorithm, more[0]), keysOf(t, more[1:])...); !errors.Is(err, keyring.ErrTooManyKeys) {
		t.Errorf("%d keys: error %v, want ErrTooManyKeys", len(more), err)
	}
}

func keysOf(t *testing.T, ids []uint32) []*keyring.Key {
	out := make([]*keyring.Key, len(ids))
	for i, id := range ids {
		out[i] = testkit.Key(t, keyring.DefaultAlgorithm, id)
	}
	return out
}

// BenchmarkKey shows that lookup by ID costs the same with one key and
// with a thousand: opening a token never tries keys in turn.
func BenchmarkKey(b *testing.B) {
	for _, n := range []int{1, 100, keyring.MaxKeys} {
		ids := make([]uint32, n)
		for i := range ids {
			ids[i] = uint32(i) + 1
		}
		r := testkit.FixedRing(b, keyring.DefaultAlgorithm, ids...)
		b.Run(strconv.Itoa(n)+"keys", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, ok := r.Key(ids[i%n]); !ok {
					b.Fatal("missing key")
				}
			}
		})
	}
}
