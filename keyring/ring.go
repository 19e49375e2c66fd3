package keyring

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// MaxKeys is the most keys a ring may hold. A ring rarely needs more than a
// handful; the limit bounds the cost of parsing a hostile keyring file.
const MaxKeys = 1000

// Ring is an immutable set of keys with exactly one primary. Every method is
// safe for concurrent use; operations return a new Ring and leave the
// receiver unchanged.
type Ring struct {
	keys     []*Key          // file order
	byID     map[uint32]*Key // O(1) lookup for opening
	primary  *Key            // the stored primary
	schedule []*Key          // active keys with an activation time, earliest first
}

// Source supplies the current ring. A *Ring is a Source of itself; a
// [*Watcher] is a Source that follows a keyring file. Callers fetch the
// ring once per operation and use that snapshot throughout.
type Source interface {
	Current() *Ring
}

// Current returns r itself, so a fixed ring can serve as a [Source].
func (r *Ring) Current() *Ring { return r }

// Generate returns a new ring holding one freshly generated primary key.
func Generate(alg Algorithm) (*Ring, error) {
	k, err := newKey(alg, nil, time.Now())
	if err != nil {
		return nil, err
	}
	return build([]*Key{k.with(Primary, time.Time{})})
}

// New returns a ring with primary as its primary key and others as they
// are (see [NewKey]). It is for building rings from trusted values, such as
// test vectors or keys imported from another system.
func New(primary *Key, others ...*Key) (*Ring, error) {
	if primary == nil {
		return nil, ErrNoPrimary
	}
	keys := append([]*Key{primary.with(Primary, time.Time{})}, others...)
	return build(keys)
}

// build validates keys and indexes them into a ring.
func build(keys []*Key) (*Ring, error) {
	if len(keys) > MaxKeys {
		return nil, fmt.Errorf("%w: %d keys, at most %d", ErrTooManyKeys, len(keys), MaxKeys)
	}
	r := &Ring{keys: keys, byID: make(map[uint32]*Key, len(keys))}
	for _, k := range keys {
		switch {
		case k == nil:
			return nil, ErrNilKey
		case k.id == 0:
			return nil, ErrZeroID
		case r.byID[k.id] != nil:
			return nil, keyErr(k.id, ErrDuplicateID)
		case !k.alg.Valid():
			return nil, keyErr(k.id, fmt.Errorf("%w %d", ErrUnknownAlgorithm, uint8(k.alg)))
		case k.secret == nil:
			return nil, keyErr(k.id, ErrSecretLength)
		case !k.activateAt.IsZero() && k.state != Active:
			return nil, keyErr(k.id, ErrActivation)
		}
		if _, ok := stateNames[k.state]; !ok {
			return nil, keyErr(k.id, fmt.Errorf("%w %d", ErrUnknownState, uint8(k.state)))
		}
		r.byID[k.id] = k
		if k.state == Primary {
			if r.primary != nil {
				return nil, keyErr(k.id, fmt.Errorf("%w: key %d is primary too", ErrManyPrimaries, r.primary.id))
			}
			r.primary = k
		}
		if !k.activateAt.IsZero() {
			r.schedule = append(r.schedule, k)
		}
	}
	if r.primary == nil {
		return nil, ErrNoPrimary
	}
	slices.SortStableFunc(r.schedule, func(a, b *Key) int { return a.activateAt.Compare(b.activateAt) })
	return r, nil
}

// Key returns the key with the given ID in O(1), whatever its state.
func (r *Ring) Key(id uint32) (*Key, bool) {
	k, ok := r.byID[id]
	return k, ok
}

// Keys returns the ring's keys in order. The slice is a copy.
func (r *Ring) Keys() []*Key { return slices.Clone(r.keys) }

// Len returns the number of keys in the ring.
func (r *Ring) Len() int { return len(r.keys) }

// Primary returns the key that seals at time now: the stored primary, unless
// an active key's activation time has come, in which case the active key
// with the latest such time is the primary.
func (r *Ring) Primary(now time.Time) *Key {
	for i := len(r.schedule) - 1; i >= 0; i-- {
		if k := r.schedule[i]; !k.activateAt.After(now) {
			return k
		}
	}
	return r.primary
}

// Settle returns a ring whose stored primary is the primary at now: a key
// whose scheduled promotion has come is made primary, and the former
// primary becomes active. It returns r itself when there is nothing to do.
// Every operation settles the ring at the current time first.
func (r *Ring) Settle(now time.Time) *Ring {
	p := r.Primary(now)
	if p == r.primary {
		return r
	}
	keys := make([]*Key, len(r.keys))
	for i, k := range r.keys {
		switch {
		case k == p:
			keys[i] = k.with(Primary, time.Time{})
		case k == r.primary:
			keys[i] = k.with(Active, time.Time{})
		case k.state == Active && !k.activateAt.IsZero() && !k.activateAt.After(now):
			// Overtaken by a later scheduled promotion: drop the past schedule.
			keys[i] = k.with(Active, time.Time{})
		default:
			keys[i] = k
		}
	}
	nr, err := build(keys)
	if err != nil {
		panic("keyring: Settle built an invalid ring: " + err.Error()) // impossible state
	}
	return nr
}

// Add returns a ring with a new active key of the given algorithm, and that
// key. Deploy the new ring everywhere before promoting the key, so every
// instance can open what any instance seals. If activateAt is not zero, the
// key becomes the primary at that time without another change of the ring
// (scheduled promotion); it must fall in the years 0 to 9999 in UTC, as the
// keyring file requires, or Add fails with [ErrTimeRange].
func (r *Ring) Add(alg Algorithm, activateAt time.Time) (*Ring, *Key, error) {
	if !activateAt.IsZero() && !inFileRange(activateAt) {
		return nil, nil, ErrTimeRange
	}
	r = r.Settle(time.Now())
	k, err := newKey(alg, r.byID, time.Now())
	if err != nil {
		return nil, nil, err
	}
	if !activateAt.IsZero() {
		k.activateAt = activateAt.UTC()
	}
	nr, err := build(append(slices.Clone(r.keys), k))
	if err != nil {
		return nil, nil, err
	}
	return nr, k, nil
}

// Import returns a ring with k added as an active key. The key's ID must not
// be in the ring already.
func (r *Ring) Import(k *Key) (*Ring, error) {
	if k == nil {
		return nil, ErrNilKey
	}
	r = r.Settle(time.Now())
	return build(append(slices.Clone(r.keys), k.with(Active, time.Time{})))
}

// Promote returns a ring in which the key with the given ID is the primary
// and the former primary is active. A retired key cannot be promoted.
// Promoting a key by hand also cancels every scheduled promotion: each was
// planned to replace the former primary, and one still pending would
// otherwise take over from the key just promoted when its time came.
// Promoting the key that is already the primary changes nothing, its
// schedules included.
func (r *Ring) Promote(id uint32) (*Ring, error) {
	r = r.Settle(time.Now())
	k, ok := r.byID[id]
	switch {
	case !ok:
		return nil, keyErr(id, ErrNotFound)
	case k.state == Retired:
		return nil, keyErr(id, ErrRetired)
	case k == r.primary:
		return r, nil
	}
	return r.replace(func(c *Key) *Key {
		switch {
		case c == k:
			return c.with(Primary, time.Time{})
		case c == r.primary, !c.activateAt.IsZero():
			return c.with(Active, time.Time{})
		}
		return c
	})
}

// Retire returns a ring in which the key with the given ID is retired:
// tokens sealed under it no longer open. The primary cannot be retired.
func (r *Ring) Retire(id uint32) (*Ring, error) {
	r = r.Settle(time.Now())
	k, ok := r.byID[id]
	switch {
	case !ok:
		return nil, keyErr(id, ErrNotFound)
	case k == r.primary:
		return nil, keyErr(id, ErrRetirePrimary)
	case k.state == Retired:
		return r, nil
	}
	return r.replace(func(c *Key) *Key {
		if c == k {
			return c.with(Retired, time.Time{})
		}
		return c
	})
}

// Remove returns a ring without the key with the given ID. Tokens sealed
// under it then fail with an unknown-key error; retiring first keeps the
// clearer retired-key error. The primary cannot be removed.
func (r *Ring) Remove(id uint32) (*Ring, error) {
	r = r.Settle(time.Now())
	k, ok := r.byID[id]
	switch {
	case !ok:
		return nil, keyErr(id, ErrNotFound)
	case k == r.primary:
		return nil, keyErr(id, ErrRetirePrimary)
	}
	keys := slices.DeleteFunc(slices.Clone(r.keys), func(c *Key) bool { return c == k })
	return build(keys)
}

func (r *Ring) replace(f func(*Key) *Key) (*Ring, error) {
	keys := make([]*Key, len(r.keys))
	for i, k := range r.keys {
		keys[i] = f(k)
	}
	return build(keys)
}

// Info returns the public description of every key, in ring order.
func (r *Ring) Info() []KeyInfo {
	out := make([]KeyInfo, len(r.keys))
	for i, k := range r.keys {
		out[i] = k.info()
	}
	return out
}

// String describes the ring without any secret.
func (r *Ring) String() string {
	if r == nil {
		return "keyring.Ring(nil)"
	}
	parts := make([]string, len(r.keys))
	for i, k := range r.keys {
		parts[i] = k.String()
	}
	return "keyring.Ring[" + strings.Join(parts, " ") + "]"
}

// GoString describes the ring without any secret, for %#v.
func (r *Ring) GoString() string { return r.String() }

// Format makes every fmt verb print the redacted form.
func (r *Ring) Format(f fmt.State, verb rune) { fmt.Fprint(f, r.String()) }

// MarshalJSON encodes the ring's public description, without secrets. The
// keyring file format, with secrets, is written by [MarshalFile].
func (r *Ring) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Keys []KeyInfo `json:"keys"`
	}{r.Info()})
}
