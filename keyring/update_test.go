package keyring_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// TestUpdateConcurrent runs eight Updates on one file at once: the lock
// serialises them, so every added key lands.
func TestUpdateConcurrent(t *testing.T) {
	const n = 8
	path := filepath.Join(t.TempDir(), "ring.json")
	writeRing(t, path, mustGenerate(t, keyring.XChaCha20Poly1305))
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := keyring.Update(path, func(r *keyring.Ring) (*keyring.Ring, error) {
				nr, _, err := r.Add(keyring.AES256GCM, time.Time{})
				return nr, err
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	r, err := keyring.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Len() != n+1 {
		t.Fatalf("%d keys after %d concurrent adds, want %d", r.Len(), n, n+1)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", fi.Mode(), err)
	}
}

// TestUpdateRefused checks that a failing change leaves the file as it
// was and returns the change's error as is.
func TestUpdateRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ring.json")
	r := mustGenerate(t, keyring.XChaCha20Poly1305)
	writeRing(t, path, r)
	before, _ := os.ReadFile(path)
	primary := r.Primary(time.Now()).ID()
	_, err := keyring.Update(path, func(r *keyring.Ring) (*keyring.Ring, error) { return r.Retire(primary) })
	if !errors.Is(err, keyring.ErrRetirePrimary) {
		t.Fatalf("Update retiring the primary: %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("a refused change rewrote the file")
	}
	if _, err := keyring.Update(path, func(*keyring.Ring) (*keyring.Ring, error) { return nil, nil }); err == nil {
		t.Fatal("a change returning no ring was accepted")
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("a change returning no ring rewrote the file")
	}
}

// TestUpdateCreates checks that f sees a nil ring for a missing file and
// that the ring it returns creates the file; a bad file is an error
// before f runs.
func TestUpdateCreates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ring.json")
	var saw *keyring.Ring
	want := mustGenerate(t, keyring.HMACSHA256)
	got, err := keyring.Update(path, func(r *keyring.Ring) (*keyring.Ring, error) { saw = r; return want, nil })
	if err != nil || saw != nil || got != want {
		t.Fatalf("Update of a missing file: ring %v, saw %v, err %v", got, saw, err)
	}
	if r, err := keyring.ReadFile(path); err != nil || snapshot(t, r) != snapshot(t, want) {
		t.Fatalf("created file: %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	writeRaw(t, bad, `{"version":1,"keys":[]}`)
	ran := false
	_, err = keyring.Update(bad, func(r *keyring.Ring) (*keyring.Ring, error) { ran = true; return r, nil })
	var fe *keyring.FileError
	if !errors.As(err, &fe) || fe.Path != bad || ran {
		t.Fatalf("Update of a bad file: %v (f ran: %t)", err, ran)
	}
}
