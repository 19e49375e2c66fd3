// Package testkit holds small helpers shared by keyseal's tests: a fake
// clock and deterministic keyrings. It is test support only; nothing in the
// library imports it.
package testkit

import (
	"sync"
	"time"
)

// Epoch is the time a new [Clock] starts at and the creation time of the
// keys [FixedRing] builds: a fixed instant, so tests print the same times
// on every run.
var Epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Clock is a fake clock for tests. Its methods are safe for concurrent use;
// Now can be passed wherever a func() time.Time is wanted (codec.Config's
// Clock, for one).
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock reading t, or [Epoch] if t is zero.
func NewClock(t time.Time) *Clock {
	if t.IsZero() {
		t = Epoch
	}
	return &Clock{now: t}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (backward if d is negative) and
// returns the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
