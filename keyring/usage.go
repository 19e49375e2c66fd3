package keyring

import (
	"sync/atomic"
	"time"
)

// counters count a key's use. They are shared by every copy of a key across
// ring operations and hot reloads, so an operator can see that an old key is
// no longer used before retiring it.
type counters struct {
	seals, opens atomic.Uint64
	lastUse      atomic.Int64 // Unix seconds
}

func (c *counters) touch(now time.Time) {
	s := now.Unix()
	// Skip the store when the second has not changed: fewer writes to a
	// shared cache line on the hot path. The compare-and-swap keeps a
	// slower goroutine from moving the time backwards.
	for {
		old := c.lastUse.Load()
		if old >= s || c.lastUse.CompareAndSwap(old, s) {
			return
		}
	}
}

// CountSeal records that the key sealed a token at now. Codecs call it.
func (k *Key) CountSeal(now time.Time) {
	k.usage.seals.Add(1)
	k.usage.touch(now)
}

// CountOpen records that the key opened a token at now. Codecs call it.
func (k *Key) CountOpen(now time.Time) {
	k.usage.opens.Add(1)
	k.usage.touch(now)
}

// Usage is a snapshot of one key's usage counters since the process started.
type Usage struct {
	ID      uint32    `json:"id"`
	State   State     `json:"state"`
	Seals   uint64    `json:"seals"`
	Opens   uint64    `json:"opens"`
	LastUse time.Time `json:"last_use,omitzero"` // zero (and left out of JSON) if never used; one-second resolution
}

// Usage returns a snapshot of the key's usage counters.
func (k *Key) Usage() Usage {
	u := Usage{ID: k.id, State: k.state, Seals: k.usage.seals.Load(), Opens: k.usage.opens.Load()}
	if s := k.usage.lastUse.Load(); s != 0 {
		u.LastUse = time.Unix(s, 0).UTC()
	}
	return u
}

// Usage returns a snapshot of every key's usage counters, in ring order.
func (r *Ring) Usage() []Usage {
	out := make([]Usage, len(r.keys))
	for i, k := range r.keys {
		out[i] = k.Usage()
	}
	return out
}

// adoptCounters makes keys of r that are also in old (same ID and secret)
// share old's counters, so usage survives a hot reload.
func (r *Ring) adoptCounters(old *Ring) {
	if old == nil {
		return
	}
	for _, k := range r.keys {
		if o := old.byID[k.id]; o != nil && o.alg == k.alg && o.sameSecret(k) {
			k.usage = o.usage
		}
	}
}
