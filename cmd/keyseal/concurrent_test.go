package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestConcurrentAdds starts eight "keyring add" processes on one file at
// once: the lock on FILE.lock serialises them, so every key lands.
func TestConcurrentAdds(t *testing.T) {
	const n = 8
	s := newShell(t)
	ring := s.path("ring.json")
	first := s.ok("", "keyring", "new", "--out", ring)

	type proc struct {
		args     []string
		out, err bytes.Buffer
		done     chan error
	}
	procs := make([]*proc, n)
	for i := range procs {
		p := &proc{args: []string{"keyring", "add", ring}, done: make(chan error, 1)}
		cmd := s.command(strings.NewReader(""), p.args...)
		cmd.Stdout, cmd.Stderr = &p.out, &p.err
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { p.done <- cmd.Wait() }()
		procs[i] = p
	}
	ids := map[string]bool{first: true}
	for _, p := range procs {
		r := s.finish(<-p.done, &p.out, &p.err, p.args)
		if r.code != exitOK {
			t.Fatalf("concurrent keyring add: exit code %d: %s", r.code, r.stderr)
		}
		ids[strings.TrimSpace(r.stdout)] = true
	}
	if len(ids) != n+1 {
		t.Fatalf("%d distinct IDs printed, want %d", len(ids), n+1)
	}
	show := showJSON(t, s.ok("", "keyring", "show", ring, "--json"))
	if len(show.Keys) != n+1 {
		t.Fatalf("keyring holds %d keys after %d concurrent adds, want %d", len(show.Keys), n, n+1)
	}
	for _, k := range show.Keys {
		if !ids[itoa(int(k.ID))] {
			t.Errorf("key %d in the file was never printed", k.ID)
		}
	}
	assertMode0600(t, ring)
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
