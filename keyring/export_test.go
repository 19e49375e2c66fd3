package keyring

// Poll runs one read of the watcher's polling loop, so that a test can
// step the loop without waiting for its ticker.
func (w *Watcher) Poll() { w.poll() }
