package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestOpenJSON checks the documented schema of open --json: plaintext is
// a string only for valid UTF-8 (else null), plaintext_base64 is always
// there and decodes to the exact bytes, and times are RFC 3339.
func TestOpenJSON(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	id := s.ok("", "keyring", "new", "--out", ring)
	for _, c := range []struct {
		name      string
		plaintext string
		utf8      bool
	}{
		{"text", "héllo <b>&</b> \"q\"\n", true},
		{"empty", "", true},
		{"binary", "\xff\xfe\x00binary", false},
		{"invalid UTF-8 tail", "ok\xc3", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			token := s.ok(c.plaintext, "seal", "--keyring", ring, "--name", "n")
			// Plain open prints the exact bytes, nothing added.
			if r := s.want(exitOK, token, "open", "--keyring", ring, "--name", "n"); r.stdout != c.plaintext {
				t.Fatalf("open printed %q, want %q", r.stdout, c.plaintext)
			}
			out := s.want(exitOK, token, "open", "--keyring", ring, "--name", "n", "--json").stdout
			m := openedJSON(t, out)
			pt, err := base64.StdEncoding.DecodeString(m.PlaintextBase64)
			if err != nil || !bytes.Equal(pt, []byte(c.plaintext)) {
				t.Fatalf("plaintext_base64 %q decodes to %q, %v", m.PlaintextBase64, pt, err)
			}
			switch {
			case c.utf8 && (m.Plaintext == nil || *m.Plaintext != c.plaintext):
				t.Fatalf("plaintext = %v, want %q", m.Plaintext, c.plaintext)
			case !c.utf8 && (m.Plaintext != nil || !strings.Contains(out, `"plaintext":null`)):
				t.Fatalf("plaintext of non-UTF-8 = %q, want null", out)
			}
			if itoa(int(m.KeyID)) != id || m.NeedsReseal || m.Compressed || m.Format != "native" {
				t.Fatalf("metadata %+v", m)
			}
			if d := time.Since(m.IssuedAt.Time); d < -time.Minute || d > time.Minute || m.ExpiresAt.Sub(m.IssuedAt.Time) != 24*time.Hour {
				t.Fatalf("times %v %v", m.IssuedAt, m.ExpiresAt)
			}
			if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
				t.Fatalf("open --json is not one line: %q", out)
			}
		})
	}
	// A compressible plaintext with --compress reports compressed.
	token := s.ok(strings.Repeat("abc", 1000), "seal", "--keyring", ring, "--name", "n", "--compress")
	if m := openedJSON(t, s.ok(token, "open", "--keyring", ring, "--name", "n", "--json")); !m.Compressed {
		t.Fatal("compressed token not reported as compressed")
	}
	if h := inspectJSON(t, s.ok(token, "inspect", "--json")); !h.Compressed || h.Flags != 1 {
		t.Fatalf("inspect of a compressed token: %+v", h)
	}
}

// TestInspect checks that inspect needs no keyring, labels its output as
// unverified, and reads headers that would not open.
func TestInspect(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	id := s.ok("", "keyring", "new", "--out", ring)
	token := s.ok("x", "seal", "--keyring", ring, "--name", "n", "--ttl", "2h")
	out := s.ok("  "+token+"\n\n", "inspect")
	if !strings.HasPrefix(out, "UNVERIFIED") || !strings.Contains(out, "key_id:     "+id) {
		t.Fatalf("inspect printed:\n%s", out)
	}
	h := inspectJSON(t, s.ok(token, "inspect", "--json"))
	if itoa(int(h.KeyID)) != id || h.Version != 1 || h.ExpiresAt.Sub(h.IssuedAt.Time) != 2*time.Hour || h.Length != len(token) {
		t.Fatalf("inspect --json: %+v", h)
	}
	// A forged body still has a readable header: inspect is not open.
	forged := token[:24] + strings.Repeat("A", len(token)-24)
	if h := inspectJSON(t, s.ok(forged, "inspect", "--json")); itoa(int(h.KeyID)) != id {
		t.Fatalf("inspect of a forged token: %+v", h)
	}
	s.want(exitAuth, forged, "open", "--keyring", ring, "--name", "n")
	// A header may claim any 40-bit time, past the year 9999 that
	// time.Time's JSON encoding refuses.
	// (ParseHeader wants a token at least as long as the shortest one
	// Open accepts: 43 characters.)
	far := s.ok("AQA00000A000001000000000"+strings.Repeat("A", 19), "inspect", "--json")
	if !strings.Contains(far, `"expires_at":"17870-03-07T23:25:07Z"`) {
		t.Fatalf("inspect of a far-future header: %s", far)
	}
}

// TestShowJSON checks that keyring show --json parses back and holds every
// documented field of every key, and no secret.
func TestShowJSON(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	s.ok("", "keyring", "new", "--out", ring)
	s.ok("", "keyring", "add", ring, "--promote-at", "2999-01-01T00:00:00Z")
	out := s.ok("", "keyring", "show", ring, "--json")
	var raw struct {
		Source  string                       `json:"source"`
		At      time.Time                    `json:"at"`
		Primary uint32                       `json:"primary"`
		Keys    []map[string]json.RawMessage `json:"keys"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if raw.Source != ring || raw.Primary == 0 || len(raw.Keys) != 2 {
		t.Fatalf("show --json: %s", out)
	}
	for i, k := range raw.Keys {
		want := []string{"id", "algorithm", "state", "created", "fingerprint", "primary_now", "use"}
		if i == 1 {
			want = append(want, "activate_at")
		}
		for _, f := range want {
			if _, ok := k[f]; !ok {
				t.Errorf("key %d lacks %q", i, f)
			}
		}
		if len(k) != len(want) {
			t.Errorf("key %d has %d fields, want %d: %v", i, len(k), len(want), keys(k))
		}
	}
}

// TestPromoteCancelsSchedules: promoting a key by hand cancels the pending
// scheduled promotions, and says so; a key scheduled earlier never takes
// over from the one promoted.
func TestPromoteCancelsSchedules(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	s.ok("", "keyring", "new", "--out", ring)
	b := s.ok("", "keyring", "add", ring, "--promote-at", "2999-01-01T00:00:00Z")
	c := s.ok("", "keyring", "add", ring, "--promote-at", "2999-02-01T00:00:00Z")
	r := s.want(exitOK, "", "keyring", "promote", ring, c)
	if want := "key " + b + "'s promotion scheduled for 2999-01-01T00:00:00Z is cancelled"; !strings.Contains(r.stderr+r.stdout, want) {
		t.Errorf("promote printed %q %q, want it to say %q", r.stdout, r.stderr, want)
	}
	var shown struct{ Primary uint32 }
	if err := json.Unmarshal([]byte(s.ok("", "keyring", "show", ring, "--json", "--at", "2999-03-01T00:00:00Z")), &shown); err != nil {
		t.Fatal(err)
	}
	if got := strconv.FormatUint(uint64(shown.Primary), 10); got != c {
		t.Errorf("primary in 2999: %s, want %s, promoted by hand (b is %s)", got, c, b)
	}
}

// TestShowAtSubSecond: show decides who is primary at the exact time it
// is given, as Seal does, and shows that time to the second.
func TestShowAtSubSecond(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	old := s.ok("", "keyring", "new", "--out", ring)
	next := s.ok("", "keyring", "add", ring, "--promote-at", "2999-01-01T00:00:00.5Z")
	for at, want := range map[string]string{"2999-01-01T00:00:00.4Z": old, "2999-01-01T00:00:00.5Z": next, "2999-01-01T00:00:00.9Z": next} {
		var shown struct {
			At      string
			Primary uint32
		}
		if err := json.Unmarshal([]byte(s.ok("", "keyring", "show", ring, "--json", "--at", at)), &shown); err != nil {
			t.Fatal(err)
		}
		if got := strconv.FormatUint(uint64(shown.Primary), 10); got != want || shown.At != "2999-01-01T00:00:00Z" {
			t.Errorf("show --at %s: primary %s at %s, want %s at 2999-01-01T00:00:00Z", at, got, shown.At, want)
		}
	}
}
