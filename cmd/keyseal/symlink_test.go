package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeyringChangeThroughSymlink retires a key through a symbolic link
// to the keyring file, as an operator would on a linked path: the target
// is changed and the link stays a link. A dangling link is an I/O error
// that names the missing file.
func TestKeyringChangeThroughSymlink(t *testing.T) {
	s := newShell(t)
	if err := os.Mkdir(s.path("real"), 0o700); err != nil {
		t.Fatal(err)
	}
	target, link := s.path("real/ring.json"), s.path("ring.json")
	s.ok("", "keyring", "new", "--out", target)
	if err := os.Symlink(filepath.Join("real", "ring.json"), link); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
	id := s.ok("", "keyring", "add", link)
	s.ok("", "keyring", "retire", link, id)
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v, %v", fi.Mode(), err)
	}
	if out := s.ok("", "keyring", "show", target); !strings.Contains(out, id) || !strings.Contains(out, "retired") {
		t.Fatalf("the target does not hold the retired key %s:\n%s", id, out)
	}

	dangling := s.path("dangling.json")
	if err := os.Symlink(s.path("gone.json"), dangling); err != nil {
		t.Fatal(err)
	}
	r := s.run("", "keyring", "add", dangling)
	checkExit(t, []string{"keyring", "add", dangling}, r, exitIO)
	if !strings.Contains(r.stderr, s.path("gone.json")) {
		t.Fatalf("stderr does not name the missing target: %s", r.stderr)
	}
}
