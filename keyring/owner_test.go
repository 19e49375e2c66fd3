//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package keyring_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// TestWriteFileKeepsOwner changes, as root, a keyring file owned by a
// service account: the new file must stay the service's, or the service
// (mode 0600) can no longer read its keyring.
func TestWriteFileKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file to another user")
	}
	const uid, gid = 65534, 65533 // nobody, and a group root is not in
	path := filepath.Join(t.TempDir(), "keyring.json")
	writeRing(t, path, richRing(t))
	if err := os.Chown(path, uid, gid); err != nil {
		t.Fatal(err)
	}
	writeRing(t, path, richRing(t))
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != uid || st.Gid != gid || fi.Mode() != 0o600 {
		t.Errorf("after WriteFile: uid %d gid %d mode %v, want %d %d -rw-------", st.Uid, st.Gid, fi.Mode(), uid, gid)
	}
}

// TestUpdateLockKeepsOwner runs Update as root on a service's keyring file
// with no lock file yet: the file and the lock file it creates must keep
// the service's owner and group, or the service's own Update can no longer
// open them. A root-owned file keeps its group too (its mode is 0600
// whatever it was, so the group cannot read it; see DEPLOYMENT.md).
func TestUpdateLockKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file to another user")
	}
	for _, owner := range []struct{ uid, gid uint32 }{{65534, 65533}, {0, 65533}} {
		path := filepath.Join(t.TempDir(), "keyring.json")
		writeRing(t, path, richRing(t))
		if err := os.Chown(path, int(owner.uid), int(owner.gid)); err != nil {
			t.Fatal(err)
		}
		if _, err := keyring.Update(path, func(r *keyring.Ring) (*keyring.Ring, error) { return r, nil }); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{path, path + ".lock"} {
			fi, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			if st := fi.Sys().(*syscall.Stat_t); st.Uid != owner.uid || st.Gid != owner.gid {
				t.Errorf("%s: uid %d gid %d after Update, want %d %d", filepath.Base(name), st.Uid, st.Gid, owner.uid, owner.gid)
			}
		}
	}
}

// TestFIFORefused: a watcher refuses a FIFO at its path at once instead
// of waiting on it (opening a FIFO blocks until a writer comes): it
// reports it, keeps its ring, and still closes. (ReadFile reads one, as
// a shell's <(command) gives; TestReadFileFromPipe.)
func TestFIFORefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keyring.json")
	good := richRing(t)
	writeRing(t, path, good)
	rc := new(recorder)
	w, err := keyring.Watch(path, keyring.WatchConfig{Interval: pollInterval, OnError: rc.onError})
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// Should a check fail, a writer lets a hung open return.
	t.Cleanup(func() {
		if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	if err := os.Rename(fifo, path); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Reload(); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Reload of a FIFO: %v", err)
	}
	if _, err := keyring.Watch(path, keyring.WatchConfig{}); err == nil {
		t.Error("Watch of a FIFO started")
	}
	eventually(t, "the FIFO reported", func() bool { return len(rc.errors()) >= 1 })
	done := make(chan struct{})
	go func() { w.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close hung")
	}
	if w.Current().Len() != good.Len() {
		t.Error("the watcher lost its ring")
	}
}

// TestReadFileFromPipe: a one-time read takes a keyring from a pipe, as
// "keyseal seal --keyring <(command)" gives it.
func TestReadFileFromPipe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	want := richRing(t)
	data, err := keyring.MarshalFile(want)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if f, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
			f.Write(data)
			f.Close()
		}
	}()
	got, err := keyring.ReadFile(path)
	if err != nil || got.Len() != want.Len() {
		t.Fatalf("ReadFile of a pipe: %v, %v", got, err)
	}
}
