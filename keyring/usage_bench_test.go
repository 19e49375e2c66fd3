package keyring_test

import (
	"testing"
	"time"

	"github.com/keyseal/keyseal/internal/keyuse"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

// BenchmarkCountParallel is the contention benchmark of a key's usage
// counters: every goroutine counts a seal and an open on one key, as every
// request of a server does under its primary key. Run it with -cpu 1,2 (or
// more): with one shared counter, ns/op grows with the goroutines instead
// of falling.
func BenchmarkCountParallel(b *testing.B) {
	k, _ := testkit.FixedRing(b, keyring.DefaultAlgorithm, 1).Key(1)
	now := time.Now()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			keyuse.Seal(k, now)
			keyuse.Open(k, now)
		}
	})
	if u := k.Usage(); u.Seals != u.Opens || u.Seals < uint64(b.N) {
		b.Fatalf("usage %+v after %d rounds", u, b.N)
	}
}

// BenchmarkCount is one goroutine counting on a key that counts in base
// (never contended) or in stripes (contended once): the fixed cost of the
// stripe hint, which no contention hides.
func BenchmarkCount(b *testing.B) {
	for _, striped := range []bool{false, true} {
		b.Run(map[bool]string{false: "path=base", true: "path=striped"}[striped], func(b *testing.B) {
			k, _ := testkit.FixedRing(b, keyring.DefaultAlgorithm, 1).Key(1)
			if striped {
				k.Stripe()
			}
			now := time.Now()
			b.ReportAllocs()
			for b.Loop() {
				keyuse.Seal(k, now)
			}
		})
	}
}
