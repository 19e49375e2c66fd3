package keyring

import (
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keyseal/keyseal/internal/keyuse"
)

// counters count a key's use. They are shared by every copy of a key across
// ring operations and hot reloads, so an operator can see that an old key is
// no longer used before retiring it.
//
// Every request of a server counts on its primary key, so on many cores one
// counter would be a cache line that every core writes in turn. A key
// therefore counts in base until two goroutines collide on it (a failed
// compare-and-swap), and from then on in stripes: one cache line per
// processor, picked by a hint each P keeps (see hint). Reads sum base and
// every stripe, so counts stay exact. A key that never sees contention, as
// most keys of a large ring, costs this struct alone; one that does adds
// 64 bytes per stripe, one stripe per GOMAXPROCS rounded up to a power of
// two, at most maxStripes (4 KiB).
type counters struct {
	base    [2]atomic.Uint64 // indexed by seals, opens
	lastUse atomic.Int64     // Unix seconds
	stripes atomic.Pointer[stripes]
}

const (
	seals = iota
	opens
)

// maxStripes bounds a contended key's stripes: 64 lines, 4 KiB.
const maxStripes = 64

// stripes are the cache-line-padded counters of a contended key.
type stripes struct {
	mask  uint32 // len(cells) - 1, a power of two minus one
	cells []stripe
}

// stripe is one cache line of counters, so that two processors counting
// in two stripes never write the same line. 64 bytes is the line of the
// x86-64 and arm64 cores servers run on; heap objects of 64-byte multiples
// are 64-byte aligned.
type stripe struct {
	n [2]atomic.Uint64
	_ [64 - 16]byte
}

// hint is a stripe index. Go exposes no processor ID, but sync.Pool keeps
// one private object per P and a Get followed by a Put on the same P hands
// the same one back: so a hint drawn from the pool is, nearly always, the
// current P's. When the pool hands a hint to another P (after a GC empties
// it, or a goroutine moves between Get and Put) two Ps may share a stripe
// for a while: slower, never wrong, as every stripe is atomic. A hash of
// the goroutine's stack address would be cheaper but is not per P: a server
// runs thousands of goroutines per P, which spread over all stripes.
type hint struct{ i uint32 }

var (
	hints    = sync.Pool{New: func() any { return &hint{i: nextHint.Add(1) - 1} }}
	nextHint atomic.Uint32
)

func (c *counters) add(which int) {
	if s := c.stripes.Load(); s != nil {
		h := hints.Get().(*hint)
		s.cells[h.i&s.mask].n[which].Add(1)
		hints.Put(h)
		return
	}
	b := &c.base[which]
	if old := b.Load(); b.CompareAndSwap(old, old+1) {
		return
	}
	// Another goroutine counted between the load and the swap: the key is
	// contended, so it stripes from now on, unless one P runs everything
	// (then only a preemption between the two can collide).
	if runtime.GOMAXPROCS(0) > 1 {
		c.split()
	}
	c.add(which)
}

// split gives c its stripes, once.
func (c *counters) split() {
	n := 1 << bits.Len(uint(runtime.GOMAXPROCS(0)-1)) // GOMAXPROCS rounded up to a power of two
	n = min(n, maxStripes)
	c.stripes.CompareAndSwap(nil, &stripes{mask: uint32(n - 1), cells: make([]stripe, n)})
}

// load returns the count of which: base plus every stripe.
func (c *counters) load(which int) uint64 {
	n := c.base[which].Load()
	if s := c.stripes.Load(); s != nil {
		for i := range s.cells {
			n += s.cells[i].n[which].Load()
		}
	}
	return n
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

// The codecs count a key's uses through internal/keyuse: the counts are
// readable by all (Usage) and writable only by keyseal.
func init() {
	keyuse.Seal = func(k any, now time.Time) { k.(*Key).count(seals, now) }
	keyuse.Open = func(k any, now time.Time) { k.(*Key).count(opens, now) }
}

// count records a use of the key (seals or opens) at now.
func (k *Key) count(which int, now time.Time) {
	k.usage.add(which)
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

// Usage returns a snapshot of the key's usage counters. Counts made while
// it runs may or may not be in it; once they have returned, they are.
func (k *Key) Usage() Usage {
	u := Usage{ID: k.id, State: k.state, Seals: k.usage.load(seals), Opens: k.usage.load(opens)}
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
