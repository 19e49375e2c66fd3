package keyring

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultPollInterval is how often a [Watcher] reads its file by default.
const DefaultPollInterval = time.Second

// WatchConfig configures a [Watcher]. The zero value is ready to use.
type WatchConfig struct {
	// Interval is how often the file is read and hashed; zero means
	// DefaultPollInterval. Polling the content (not modification times or
	// inotify) works with Kubernetes Secret volumes, where a symlink is
	// swapped, and with editors that replace files.
	Interval time.Duration
	// OnReload, if set, is called after a new ring has been swapped in.
	// It runs while the watcher holds its reload lock, so it must not
	// call [Watcher.Reload].
	OnReload func(*Ring)
	// OnError, if set, is called when the file cannot be read or parsed.
	// The last good ring stays in use. The polling loop reports an error
	// once until the error changes or a reload succeeds; [Watcher.Reload]
	// reports every error it returns.
	OnError func(error)
	// Logger, if set, receives a line for every reload and every error.
	Logger *slog.Logger
}

// Watcher is a [Source] that follows a keyring file. It reloads the file
// when its content changes, validates it, and swaps the new ring in
// atomically. On any error it keeps the last good ring and reports the
// error, so a process never runs without a valid ring. Its methods are safe
// for concurrent use.
type Watcher struct {
	path string
	cfg  WatchConfig

	ring atomic.Pointer[Ring]
	mu   sync.Mutex        // serialises reloads
	hash [sha256.Size]byte // of the last good content, to skip re-parsing
	bad  string            // last error reported since the last good read; under mu

	stop context.CancelFunc
	done chan struct{}
}

// Watch loads the keyring file at path and starts following it. It fails if
// the file is not a valid keyring now: a process must not start without
// one. Call Close to stop the polling goroutine.
func Watch(path string, cfg WatchConfig) (*Watcher, error) {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultPollInterval
	}
	w := &Watcher{path: path, cfg: cfg, done: make(chan struct{})}
	if _, err := w.reload(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.stop = cancel
	go w.loop(ctx)
	return w, nil
}

// Current returns the last good ring.
func (w *Watcher) Current() *Ring { return w.ring.Load() }

// Path returns the file the watcher follows.
func (w *Watcher) Path() string { return w.path }

// Reload reads the file now instead of waiting for the next poll. It
// reports whether a new ring was swapped in; on error the last good ring
// stays in use and the error is also passed to OnError and the Logger.
func (w *Watcher) Reload() (bool, error) {
	changed, err := w.reload()
	if err != nil {
		w.reported(err)
		w.report(err)
	}
	return changed, err
}

// Close stops the watcher. The last ring stays available through Current.
func (w *Watcher) Close() error {
	w.stop()
	<-w.done
	return nil
}

func (w *Watcher) loop(ctx context.Context) {
	defer close(w.done)
	t := time.NewTicker(w.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			w.poll()
		}
	}
}

// poll is one read of the polling loop. It reports a persistent error
// once, not once per poll.
func (w *Watcher) poll() {
	if _, err := w.reload(); err != nil && w.reported(err) {
		w.report(err)
	}
}

// reported records err as reported, and reports whether it differs from
// the error reported last since the file was last read well.
func (w *Watcher) reported(err error) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	msg := err.Error()
	if msg == w.bad {
		return false
	}
	w.bad = msg
	return true
}

func (w *Watcher) reload() (changed bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	// A regular file only: a FIFO's open would wait for a writer, and
	// hang the watcher, Reload and Close.
	data, err := readLimited(w.path, openRegular)
	if err != nil {
		return false, &FileError{Path: w.path, Err: err}
	}
	sum := sha256.Sum256(data)
	if w.ring.Load() == nil || sum != w.hash {
		if err := w.swap(data, sum); err != nil {
			return false, &FileError{Path: w.path, Err: err}
		}
		changed = true
	}
	w.bad = "" // the file is good (again): its next error is news
	return changed, nil
}

// swap parses data, of hash sum, and makes it the current ring. Called
// with w.mu held.
func (w *Watcher) swap(data []byte, sum [sha256.Size]byte) error {
	r, err := parse(data)
	if err != nil {
		return err
	}
	old := w.ring.Load()
	r.adoptCounters(old)
	w.ring.Store(r)
	w.hash = sum
	if old != nil {
		if w.cfg.Logger != nil {
			w.cfg.Logger.Info("keyring: reloaded", "path", w.path, "keys", r.Len(), "primary", r.Primary(time.Now()).ID())
		}
		if w.cfg.OnReload != nil {
			w.cfg.OnReload(r)
		}
	}
	return nil
}

func (w *Watcher) report(err error) {
	if w.cfg.Logger != nil {
		w.cfg.Logger.Error("keyring: reload failed; keeping the last good keyring", "path", w.path, "err", err)
	}
	if w.cfg.OnError != nil {
		w.cfg.OnError(err)
	}
}
