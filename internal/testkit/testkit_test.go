package testkit_test

import (
	"sync"
	"testing"
	"time"

	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

func TestClock(t *testing.T) {
	c := testkit.NewClock(time.Time{})
	if !c.Now().Equal(testkit.Epoch) {
		t.Fatalf("a new clock reads %v", c.Now())
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				c.Advance(time.Second)
				c.Now()
			}
		}()
	}
	wg.Wait()
	if got := c.Now().Sub(testkit.Epoch); got != 800*time.Second {
		t.Errorf("advanced by %v, want 800s", got)
	}
	c.Set(testkit.Epoch)
	if !c.Now().Equal(testkit.Epoch) {
		t.Errorf("Set: %v", c.Now())
	}
}

func TestFixedRing(t *testing.T) {
	a := testkit.FixedRing(t, keyring.AES256GCM, 3, 1, 2)
	b := testkit.FixedRing(t, keyring.AES256GCM, 3, 1, 2)
	if a.Len() != 3 || a.Primary(time.Now()).ID() != 3 {
		t.Fatalf("ring %v", a)
	}
	for _, k := range a.Keys() {
		o, _ := b.Key(k.ID())
		if k.Fingerprint() != o.Fingerprint() || k.Algorithm() != keyring.AES256GCM {
			t.Errorf("key %d differs between two calls", k.ID())
		}
	}
	if k, _ := a.Key(1); k.Fingerprint() == a.Primary(time.Now()).Fingerprint() {
		t.Error("two IDs share a secret")
	}
	if d := testkit.FixedRing(t, keyring.HMACSHA256); d.Len() != 1 || d.Primary(time.Now()).ID() != 1 {
		t.Errorf("default ring %v", d)
	}
}
