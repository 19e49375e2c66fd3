package keyring_test

import (
	"bytes"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// pollInterval keeps watcher tests fast; they wait with eventually, never
// with a fixed sleep they depend on.
const pollInterval = 10 * time.Millisecond

// recorder collects a watcher's callbacks; its methods are safe for
// concurrent use.
type recorder struct {
	mu      sync.Mutex
	errs    []error
	reloads []*keyring.Ring
}

func (rc *recorder) onError(err error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.errs = append(rc.errs, err)
}

func (rc *recorder) onReload(r *keyring.Ring) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reloads = append(rc.reloads, r)
}

func (rc *recorder) errors() []error {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]error(nil), rc.errs...)
}

func (rc *recorder) reloaded() []*keyring.Ring {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*keyring.Ring(nil), rc.reloads...)
}

// watch starts a watcher with a recorder and stops it when the test ends.
func watch(t *testing.T, path string, interval time.Duration, logger *slog.Logger) (*keyring.Watcher, *recorder) {
	t.Helper()
	rc := new(recorder)
	w, err := keyring.Watch(path, keyring.WatchConfig{Interval: interval, OnError: rc.onError, OnReload: rc.onReload, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, rc
}

// rotate adds a key to r and promotes it.
func rotate(t *testing.T, r *keyring.Ring) (*keyring.Ring, *keyring.Key) {
	t.Helper()
	r, next := mustAdd(t, r, time.Time{})
	r, err := r.Promote(next.ID())
	if err != nil {
		t.Fatal(err)
	}
	return r, next
}

func primaryIs(w *keyring.Watcher, id uint32) func() bool {
	return func() bool { return w.Current().Primary(time.Now()).ID() == id }
}

// lockedBuffer is an io.Writer that the test can read while a logger
// writes from the watcher's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestWatchReloadsOnChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyring.json")
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	writeRing(t, path, r)
	var logs lockedBuffer
	w, rc := watch(t, path, pollInterval, slog.New(slog.NewJSONHandler(&logs, nil)))
	if w.Path() != path || snapshot(t, w.Current()) != snapshot(t, r) {
		t.Fatal("the watcher does not start with the file's ring")
	}
	if w.Current().Current() != w.Current() {
		t.Fatal("the watcher's ring is not its own source")
	}

	r1, next := rotate(t, r)
	writeRing(t, path, r1)
	eventually(t, "the watcher to load the new primary", primaryIs(w, next.ID()))
	if snapshot(t, w.Current()) != snapshot(t, r1) {
		t.Error("the reloaded ring differs from the file")
	}
	eventually(t, "OnReload", func() bool { return len(rc.reloaded()) == 1 })
	if got := rc.reloaded()[0]; got != w.Current() {
		t.Error("OnReload got another ring than Current returns")
	}

	// A rewrite with identical content is not a reload.
	writeRing(t, path, r1)
	r2, next2 := rotate(t, r1)
	writeRing(t, path, r2)
	eventually(t, "the second rotation", primaryIs(w, next2.ID()))
	eventually(t, "OnReload", func() bool { return len(rc.reloaded()) >= 2 })
	if n := len(rc.reloaded()); n != 2 {
		t.Errorf("%d reloads for 2 changes", n)
	}
	if errs := rc.errors(); len(errs) != 0 {
		t.Errorf("errors: %v", errs)
	}

	w.Close()
	out := logs.String()
	if strings.Count(out, `"msg":"keyring: reloaded"`) != 2 || !strings.Contains(out, `"keys":3`) {
		t.Errorf("log:\n%s", out)
	}
	assertNoSecret(t, "log", out, secrets(t, r2))
}

func TestWatchKeepsLastGoodRing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyring.json")
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	writeRing(t, path, r)
	good, _ := keyring.MarshalFile(r)
	var logs lockedBuffer
	w, rc := watch(t, path, pollInterval, slog.New(slog.NewTextHandler(&logs, nil)))
	first := w.Current()

	wantErrors := func(n int, last error) {
		t.Helper()
		eventually(t, "OnError", func() bool { return len(rc.errors()) >= n })
		// Give the loop several more polls at the same content: the
		// error must still have been reported once. (Waiting longer can
		// only make this check stricter, never flaky.)
		time.Sleep(5 * pollInterval)
		errs := rc.errors()
		if len(errs) != n {
			t.Fatalf("%d errors reported, want %d: %v", len(errs), n, errs)
		}
		err := errs[n-1]
		var fe *keyring.FileError
		if !errors.Is(err, last) || !errors.As(err, &fe) || fe.Path != path {
			t.Fatalf("error %v, want %v about %s", err, last, path)
		}
		if w.Current() != first {
			t.Fatal("the watcher dropped its last good ring")
		}
	}

	writeRaw(t, path, string(good[:len(good)/2]))
	wantErrors(1, keyring.ErrSyntax)

	writeRaw(t, path, `{"version": 1, "keys": []}`)
	wantErrors(2, keyring.ErrNoPrimary)

	// Other bytes, same error: still reported once.
	writeRaw(t, path, `{"version": 1, "keys": [ ]}`)
	wantErrors(2, keyring.ErrNoPrimary)

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	wantErrors(3, fs.ErrNotExist)

	// Back to a valid file: it loads, and a later error is reported anew.
	r1, next := rotate(t, r)
	writeRing(t, path, r1)
	eventually(t, "recovery", primaryIs(w, next.ID()))
	first = w.Current()
	writeRaw(t, path, `{"version": 1, "keys": []}`)
	wantErrors(4, keyring.ErrNoPrimary)

	w.Close()
	out := logs.String()
	if n := strings.Count(out, "keeping the last good keyring"); n != 4 {
		t.Errorf("%d error lines logged, want 4:\n%s", n, out)
	}
	assertNoSecret(t, "log", out, secrets(t, r1))
}

func TestWatchRefusesBadStart(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.json")
	if w, err := keyring.Watch(missing, keyring.WatchConfig{}); w != nil || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Watch(missing) = %v, %v", w, err)
	}
	bad := filepath.Join(dir, "bad.json")
	writeRaw(t, bad, `{"version": 2, "keys": []}`)
	var fe *keyring.FileError
	if w, err := keyring.Watch(bad, keyring.WatchConfig{}); w != nil || !errors.Is(err, keyring.ErrVersion) || !errors.As(err, &fe) || fe.Path != bad {
		t.Errorf("Watch(bad) = %v, %v", w, err)
	}
}

// Kubernetes mounts a Secret as a directory of symlinks: the file is a
// link into ..data, itself a link to a timestamped directory, and an update
// swaps ..data atomically to a new directory.
func TestWatchKubernetesSecretSwap(t *testing.T) {
	dir := t.TempDir()
	publish := func(version string, r *keyring.Ring) {
		t.Helper()
		ts := filepath.Join(dir, "..2026_01_02_"+version)
		if err := os.Mkdir(ts, 0o755); err != nil {
			t.Fatal(err)
		}
		writeRing(t, filepath.Join(ts, "keyring.json"), r)
		tmp := filepath.Join(dir, "..data_tmp")
		if err := os.Symlink(filepath.Base(ts), tmp); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, "..data")); err != nil {
			t.Fatal(err)
		}
	}
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	publish("a", r)
	path := filepath.Join(dir, "keyring.json")
	if err := os.Symlink(filepath.Join("..data", "keyring.json"), path); err != nil {
		t.Fatal(err)
	}
	w, rc := watch(t, path, pollInterval, nil)

	r1, next := rotate(t, r)
	publish("b", r1)
	if err := os.RemoveAll(filepath.Join(dir, "..2026_01_02_a")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the swapped Secret to load", primaryIs(w, next.ID()))
	if errs := rc.errors(); len(errs) != 0 {
		t.Errorf("errors during the swap: %v", errs)
	}
}

func TestWatchClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyring.json")
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	writeRing(t, path, r)
	w, rc := watch(t, path, pollInterval, nil)
	before := w.Current()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r1, _ := rotate(t, r)
	writeRing(t, path, r1)
	time.Sleep(5 * pollInterval) // a running loop would reload now
	if w.Current() != before || len(rc.reloaded()) != 0 {
		t.Error("the watcher reloaded after Close")
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestWatchForcedReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyring.json")
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	writeRing(t, path, r)
	w, rc := watch(t, path, time.Hour, nil) // only Reload loads

	if changed, err := w.Reload(); changed || err != nil {
		t.Fatalf("Reload of an unchanged file = %v, %v", changed, err)
	}
	r1, next := rotate(t, r)
	writeRing(t, path, r1)
	if changed, err := w.Reload(); !changed || err != nil {
		t.Fatalf("Reload = %v, %v", changed, err)
	}
	if w.Current().Primary(time.Now()).ID() != next.ID() {
		t.Fatal("Reload did not swap the ring in")
	}
	if got := rc.reloaded(); len(got) != 1 || got[0] != w.Current() {
		t.Fatalf("OnReload calls: %v", got)
	}

	good := w.Current()
	writeRaw(t, path, "{")
	for i := 1; i <= 2; i++ {
		changed, err := w.Reload()
		var fe *keyring.FileError
		if changed || !errors.Is(err, keyring.ErrSyntax) || !errors.As(err, &fe) || fe.Path != path {
			t.Fatalf("Reload of a bad file = %v, %v", changed, err)
		}
		if errs := rc.errors(); len(errs) != i || errs[i-1] != err {
			t.Fatalf("Reload reports every error it returns: %v", errs)
		}
	}
	if w.Current() != good {
		t.Fatal("a failed Reload dropped the last good ring")
	}
}

// TestErrorReportedAgainAfterGoodReload: the polling loop reports an
// error once until the error changes or a read succeeds, also a read by
// Reload; so the same error after a good Reload is reported again. The
// loop's reads are stepped with Poll (its ticker is an hour).
func TestErrorReportedAgainAfterGoodReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyring.json")
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	writeRing(t, path, r)
	w, rc := watch(t, path, time.Hour, nil)
	const bad = `{"version": 1, "keys": []}`
	writeRaw(t, path, bad)
	w.Poll()
	w.Poll()
	if n := len(rc.errors()); n != 1 {
		t.Fatalf("a persistent error reported %d times, want once", n)
	}
	// Fixed and reloaded at once (as a SIGHUP handler would), then broken
	// the same way again before the loop reads the good file.
	r1, next := rotate(t, r)
	writeRing(t, path, r1)
	if ok, err := w.Reload(); !ok || err != nil || w.Current().Primary(time.Now()).ID() != next.ID() {
		t.Fatalf("Reload = %v, %v", ok, err)
	}
	writeRaw(t, path, bad)
	w.Poll()
	if n := len(rc.errors()); n != 2 {
		t.Fatalf("%d errors reported, want 2: the error after a good Reload went unreported", n)
	}
	// An error Reload reports is not reported again by the loop.
	writeRaw(t, path, "{")
	if _, err := w.Reload(); err == nil {
		t.Fatal("Reload of a broken file succeeded")
	}
	w.Poll()
	if n := len(rc.errors()); n != 3 {
		t.Fatalf("%d errors reported, want 3", n)
	}
}
