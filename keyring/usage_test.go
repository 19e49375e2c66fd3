package keyring_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyseal/keyseal/internal/keyuse"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

func TestUsageCounters(t *testing.T) {
	r := testkit.FixedRing(t, keyring.DefaultAlgorithm, 1, 2)
	k1, _ := r.Key(1)
	if u := k1.Usage(); u != (keyring.Usage{ID: 1, State: keyring.Primary}) {
		t.Fatalf("fresh usage %+v", u)
	}
	t0 := testkit.Epoch
	keyuse.Seal(k1, t0)
	keyuse.Open(k1, t0.Add(time.Second+500*time.Millisecond))
	keyuse.Open(k1, t0.Add(-time.Hour)) // an older time never moves LastUse back
	want := keyring.Usage{ID: 1, State: keyring.Primary, Seals: 1, Opens: 2, LastUse: t0.Add(time.Second)}
	if u := k1.Usage(); u != want {
		t.Fatalf("usage %+v, want %+v", u, want)
	}
	if u := k1.Usage(); u.LastUse.Location() != time.UTC {
		t.Errorf("LastUse in %v, want UTC", u.LastUse.Location())
	}

	all := r.Usage()
	if len(all) != 2 || all[0] != want || all[1] != (keyring.Usage{ID: 2, State: keyring.Active}) {
		t.Fatalf("ring usage %+v", all)
	}
	b, err := json.Marshal(all[0])
	if err != nil || !strings.Contains(string(b), `"seals":1`) || !strings.Contains(string(b), `"state":"primary"`) ||
		!strings.Contains(string(b), `"last_use":"`+t0.Add(time.Second).Format(time.RFC3339)+`"`) {
		t.Errorf("usage JSON %s, %v", b, err)
	}
	// A key never used has no last use, rather than the year 1.
	if b, err := json.Marshal(all[1]); err != nil || strings.Contains(string(b), "last_use") {
		t.Errorf("unused key's usage JSON %s, %v", b, err)
	}

	// Counters are shared by every copy of a key: they survive Promote,
	// Retire and Settle, and counting through any copy counts for all.
	r2, err := r.Promote(2)
	if err != nil {
		t.Fatal(err)
	}
	k1b, _ := r2.Key(1)
	if u := k1b.Usage(); u.Seals != 1 || u.Opens != 2 || u.State != keyring.Active {
		t.Fatalf("after Promote: %+v", u)
	}
	keyuse.Seal(k1b, t0.Add(2*time.Second))
	if k1.Usage().Seals != 2 {
		t.Error("a promoted ring's copy of a key does not share its counters")
	}
	r3, err := r2.Retire(1)
	if err != nil {
		t.Fatal(err)
	}
	if u := r3.Usage()[0]; u.Seals != 2 || u.State != keyring.Retired {
		t.Errorf("after Retire: %+v", u)
	}

	// A key built again from the same secret is another key: fresh counters.
	if u := testkit.FixedRing(t, keyring.DefaultAlgorithm, 1).Usage()[0]; u.Seals != 0 {
		t.Errorf("a new ring inherits counters: %+v", u)
	}
}

func TestUsageConcurrent(t *testing.T) {
	k, _ := testkit.FixedRing(t, keyring.DefaultAlgorithm, 1).Key(1)
	const goroutines, each = 8, 500
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				at := testkit.Epoch.Add(time.Duration(i*goroutines+g) * time.Second)
				keyuse.Seal(k, at)
				keyuse.Open(k, at)
			}
		}()
	}
	wg.Wait()
	u := k.Usage()
	last := testkit.Epoch.Add((goroutines*each - 1) * time.Second)
	if u.Seals != goroutines*each || u.Opens != goroutines*each || !u.LastUse.Equal(last) {
		t.Errorf("usage %+v, want %d seals and opens, last use %v", u, goroutines*each, last)
	}
}

// Counters follow a key across a watcher's reload when its ID, algorithm
// and secret are unchanged, so an operator sees the whole history.
func TestUsageSurvivesReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyring.json")
	r := testkit.FixedRing(t, keyring.DefaultAlgorithm, 1, 2)
	writeRing(t, path, r)
	w, err := keyring.Watch(path, keyring.WatchConfig{Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	k1, _ := w.Current().Key(1)
	k2, _ := w.Current().Key(2)
	keyuse.Seal(k1, testkit.Epoch)
	keyuse.Open(k2, testkit.Epoch)

	// Same keys, a new one added and the primary changed.
	r2, _ := mustAdd(t, r, time.Time{})
	r2, err = r2.Promote(2)
	if err != nil {
		t.Fatal(err)
	}
	writeRing(t, path, r2)
	if changed, err := w.Reload(); !changed || err != nil {
		t.Fatalf("Reload = %v, %v", changed, err)
	}
	n1, _ := w.Current().Key(1)
	n2, _ := w.Current().Key(2)
	if n1 == k1 || n1.Usage().Seals != 1 || n2.Usage().Opens != 1 {
		t.Fatalf("counters lost in a reload: %+v", w.Current().Usage())
	}
	keyuse.Seal(n1, testkit.Epoch)
	if k1.Usage().Seals != 2 {
		t.Error("the reloaded key does not share the old key's counters")
	}

	// Key 2 now holds another secret: it is a different key, counted anew.
	other, err := keyring.NewKey(2, keyring.DefaultAlgorithm, testkit.Secret(3), testkit.Epoch)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := w.Current().Key(1)
	r3, err := keyring.New(p, other)
	if err != nil {
		t.Fatal(err)
	}
	writeRing(t, path, r3)
	if changed, err := w.Reload(); !changed || err != nil {
		t.Fatalf("Reload = %v, %v", changed, err)
	}
	if u := w.Current().Usage(); u[0].Seals != 2 || u[1].Opens != 0 {
		t.Errorf("after replacing key 2's secret: %+v", u)
	}
}

// A contended key counts in stripes, one cache line per processor, and its
// counts stay exact: what was counted before it striped, and every count
// of many goroutines after, with no count lost or counted twice.
func TestUsageStripedExact(t *testing.T) {
	k, _ := testkit.FixedRing(t, keyring.DefaultAlgorithm, 1).Key(1)
	keyuse.Seal(k, testkit.Epoch)
	keyuse.Open(k, testkit.Epoch)
	keyuse.Open(k, testkit.Epoch)
	if k.Striped() {
		t.Fatal("a key counted by one goroutine striped")
	}
	if n := k.Stripe(); n < 1 || n > 64 || n&(n-1) != 0 {
		t.Fatalf("%d stripes, want a power of two up to 64", n)
	}
	const goroutines, each = 16, 1000
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range each {
				keyuse.Seal(k, testkit.Epoch)
				keyuse.Open(k, testkit.Epoch)
				keyuse.Open(k, testkit.Epoch)
			}
		})
	}
	// Reads while counting see counts that only grow.
	var last uint64
	for range 100 {
		u := k.Usage()
		if u.Seals < last || u.Opens < u.Seals {
			t.Fatalf("usage went back: %+v after %d seals", u, last)
		}
		last = u.Seals
	}
	wg.Wait()
	want := keyring.Usage{ID: 1, State: keyring.Primary, Seals: goroutines*each + 1, Opens: 2 * (goroutines*each + 1), LastUse: testkit.Epoch}
	if u := k.Usage(); u != want {
		t.Errorf("usage %+v, want %+v", u, want)
	}
}

// Keys that no two goroutines count at once never stripe, so a ring of
// 1000 keys costs no more than before.
func TestUsageUncontendedStaysSmall(t *testing.T) {
	k, _ := testkit.FixedRing(t, keyring.DefaultAlgorithm, 1).Key(1)
	for range 10000 {
		keyuse.Seal(k, testkit.Epoch)
	}
	if k.Striped() {
		t.Error("a key counted by one goroutine striped")
	}
	if u := k.Usage(); u.Seals != 10000 {
		t.Errorf("%d seals, want 10000", u.Seals)
	}
}
