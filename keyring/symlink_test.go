package keyring_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// symlink makes link point at target, skipping the test where the system
// does not let this process make links (Windows without the privilege).
func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
}

// assertLink fails the test unless link is still a symbolic link to target.
func assertLink(t *testing.T, link, target string) {
	t.Helper()
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symbolic link (mode %v, %v)", link, fi.Mode(), err)
	}
	if got, err := os.Readlink(link); err != nil || got != target {
		t.Fatalf("%s points at %q (%v), want %q", link, got, err, target)
	}
}

// TestUpdateThroughSymlink changes a ring through a symbolic link: the
// change lands in the file the link points at (which the services read),
// the link stays a link, no temporary or lock file is left next to the
// link, and a watcher following the link reloads.
func TestUpdateThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	targetDir := filepath.Join(dir, "secrets")
	if err := os.Mkdir(targetDir, 0o700); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(targetDir, "ring.json")
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	writeRing(t, target, r)
	link := filepath.Join(dir, "ring.json")
	symlink(t, filepath.Join("secrets", "ring.json"), link)
	w, err := keyring.Watch(link, keyring.WatchConfig{Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	var added *keyring.Key
	got, err := keyring.Update(link, func(r *keyring.Ring) (*keyring.Ring, error) {
		nr, k, err := r.Add(keyring.DefaultAlgorithm, time.Time{})
		added = k
		return nr, err
	})
	if err != nil {
		t.Fatal(err)
	}
	assertLink(t, link, filepath.Join("secrets", "ring.json"))
	onDisk, err := keyring.ReadFile(target)
	if err != nil || snapshot(t, onDisk) != snapshot(t, got) {
		t.Fatalf("the target does not hold the updated ring (%v)", err)
	}
	if _, ok := onDisk.Key(added.ID()); !ok {
		t.Fatal("the added key is not in the target")
	}
	fi, err := os.Stat(target)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("target mode %v, %v", fi.Mode(), err)
	}
	assertOnlyFiles(t, dir, "ring.json", "secrets")
	// The lock is next to the target: flock platforms keep the lock file,
	// the others (js/wasm, ...) remove it after the write.
	if _, err := os.Stat(filepath.Join(targetDir, "ring.json.lock")); err == nil {
		assertOnlyFiles(t, targetDir, "ring.json", "ring.json.lock")
	} else {
		assertOnlyFiles(t, targetDir, "ring.json")
	}
	if changed, err := w.Reload(); !changed || err != nil {
		t.Fatalf("the watcher on the link did not reload: %v, %v", changed, err)
	}
	if _, ok := w.Current().Key(added.ID()); !ok {
		t.Fatal("the watcher on the link does not hold the added key")
	}

	// WriteFile alone writes through too.
	r2, _ := mustAdd(t, onDisk, time.Time{})
	writeRing(t, link, r2)
	assertLink(t, link, filepath.Join("secrets", "ring.json"))
	if onDisk, err := keyring.ReadFile(target); err != nil || snapshot(t, onDisk) != snapshot(t, r2) {
		t.Fatalf("WriteFile through the link did not reach the target (%v)", err)
	}
	assertOnlyFiles(t, dir, "ring.json", "secrets")
}

// TestUpdateLinkAndTargetSerialise holds the lock through the target's
// path (an Update blocked in its change) and checks that an Update
// through a link to it waits, so both changes land.
func TestUpdateLinkAndTargetSerialise(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.json")
	writeRing(t, target, mustGenerate(t, keyring.DefaultAlgorithm))
	link := filepath.Join(dir, "link.json")
	symlink(t, target, link)
	add := func(r *keyring.Ring) (*keyring.Ring, error) {
		nr, _, err := r.Add(keyring.DefaultAlgorithm, time.Time{})
		return nr, err
	}

	inside, release := make(chan struct{}), make(chan struct{})
	viaTarget := make(chan error, 1)
	go func() {
		_, err := keyring.Update(target, func(r *keyring.Ring) (*keyring.Ring, error) {
			close(inside)
			<-release
			return add(r)
		})
		viaTarget <- err
	}()
	<-inside
	viaLink := make(chan error, 1)
	go func() {
		_, err := keyring.Update(link, add)
		viaLink <- err
	}()
	select {
	case err := <-viaLink:
		t.Fatalf("an Update through the link ran while the target's lock was held (err %v)", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if err := <-viaTarget; err != nil {
		t.Fatal(err)
	}
	if err := <-viaLink; err != nil {
		t.Fatal(err)
	}
	r, err := keyring.ReadFile(target)
	if err != nil || r.Len() != 3 {
		t.Fatalf("target after both changes: %d keys (%v), want 3", r.Len(), err)
	}
	assertLink(t, link, target)
}

// TestUpdateDanglingSymlink checks that a link to a file that does not
// exist is refused with an error naming the missing target, and that
// nothing is created.
func TestUpdateDanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "gone", "ring.json")
	link := filepath.Join(dir, "ring.json")
	symlink(t, target, link)
	ran := false
	_, err := keyring.Update(link, func(*keyring.Ring) (*keyring.Ring, error) {
		ran = true
		return mustGenerate(t, keyring.DefaultAlgorithm), nil
	})
	var fe *keyring.FileError
	if err == nil || ran || !errors.As(err, &fe) || fe.Path != link || !strings.Contains(err.Error(), target) {
		t.Fatalf("Update through a dangling link: %v (change ran: %t)", err, ran)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v does not match fs.ErrNotExist", err)
	}
	if err := keyring.WriteFile(link, mustGenerate(t, keyring.DefaultAlgorithm)); err == nil || !strings.Contains(err.Error(), target) {
		t.Fatalf("WriteFile through a dangling link: %v", err)
	}
	assertLink(t, link, target)
	assertOnlyFiles(t, dir, "ring.json")
}
