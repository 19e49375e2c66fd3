package keyring

// Poll runs one read of the watcher's polling loop, so that a test can
// step the loop without waiting for its ticker.
func (w *Watcher) Poll() { w.poll() }

// Stripe makes the key count in stripes, as a contended key does, and
// returns how many it has.
func (k *Key) Stripe() int {
	k.usage.split()
	return len(k.usage.stripes.Load().cells)
}

// Striped reports whether the key counts in stripes.
func (k *Key) Striped() bool { return k.usage.stripes.Load() != nil }
