package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// TestRotation walks through a key rotation with the binary: new → seal →
// add → promote → the old token still opens and needs re-sealing → retire
// → the old token is refused as a retired key → remove → refused as an
// unknown key.
func TestRotation(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	old := s.ok("", "keyring", "new", "--out", ring)
	assertMode0600(t, ring)
	open := []string{"open", "--keyring", ring, "--name", "session"}
	openJSON := append(append([]string{}, open...), "--json")

	token := s.ok(`{"user":"ada"}`, "seal", "--keyring", ring, "--name", "session", "--ttl", "1h")
	if got := s.ok(token, open...); got != `{"user":"ada"}` {
		t.Fatalf("open = %q", got)
	}
	m := openedJSON(t, s.ok(token+"\n", openJSON...))
	if strconv.FormatUint(uint64(m.KeyID), 10) != old || m.NeedsReseal {
		t.Fatalf("before rotation: key %d needs_reseal %v, want key %s and false", m.KeyID, m.NeedsReseal, old)
	}
	if d := m.ExpiresAt.Sub(m.IssuedAt.Time); d.Hours() != 1 {
		t.Fatalf("--ttl 1h gave a token living %v", d)
	}

	next := s.ok("", "keyring", "add", ring)
	if next == old {
		t.Fatal("keyring add reused the primary's ID")
	}
	assertMode0600(t, ring)
	if m := openedJSON(t, s.ok(token, openJSON...)); m.NeedsReseal {
		t.Fatal("a token under the primary needs re-sealing after an add")
	}
	if show := showJSON(t, s.ok("", "keyring", "show", ring, "--json")); strconv.FormatUint(uint64(show.Primary), 10) != old {
		t.Fatalf("after add, primary is %d, want %s", show.Primary, old)
	}

	out := s.ok("", "keyring", "promote", ring, next)
	if !strings.Contains(out, next) || !strings.Contains(out, old) {
		t.Fatalf("promote said %q", out)
	}
	assertMode0600(t, ring)
	m = openedJSON(t, s.ok(token, openJSON...))
	if strconv.FormatUint(uint64(m.KeyID), 10) != old || !m.NeedsReseal || m.Plaintext == nil || *m.Plaintext != `{"user":"ada"}` {
		t.Fatalf("old token after promote: %+v, want key %s needing re-seal", m, old)
	}
	fresh := s.ok("again", "seal", "--keyring", ring, "--name", "session")
	if h := inspectJSON(t, s.ok(fresh, "inspect", "--json")); strconv.FormatUint(uint64(h.KeyID), 10) != next {
		t.Fatalf("new token sealed under key %d, want %s", h.KeyID, next)
	}

	s.ok("", "keyring", "retire", ring, old)
	assertMode0600(t, ring)
	r := s.want(exitKey, token, open...)
	if !strings.Contains(r.stderr, "retired") {
		t.Fatalf("retired key refused with %q", r.stderr)
	}
	if got := s.ok(fresh, open...); got != "again" {
		t.Fatalf("new token after retire: %q", got)
	}

	s.ok("", "keyring", "remove", ring, old)
	r = s.want(exitKey, token, open...)
	if !strings.Contains(r.stderr, "unknown key") {
		t.Fatalf("removed key refused with %q", r.stderr)
	}
	if show := showJSON(t, s.ok("", "keyring", "show", ring, "--json")); len(show.Keys) != 1 {
		t.Fatalf("after remove: %d keys, want 1", len(show.Keys))
	}
}

// TestScheduledPromotion adds a key with --promote-at and checks that show
// and seal honour the schedule.
func TestScheduledPromotion(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	old := s.ok("", "keyring", "new", "--out", ring, "--alg", "aes256gcm")
	next := s.ok("", "keyring", "add", ring, "--alg", "hmacsha256", "--promote-at", "2020-01-01T00:00:00Z")
	later := s.ok("", "keyring", "add", "--promote-at", "2999-01-01T00:00:00Z", ring)

	show := showJSON(t, s.ok("", "keyring", "show", ring, "--json"))
	if id := strconv.FormatUint(uint64(show.Primary), 10); id != next {
		t.Fatalf("primary now is %s, want the key scheduled in the past %s (old %s)", id, next, old)
	}
	for _, k := range show.Keys {
		id := strconv.FormatUint(uint64(k.ID), 10)
		if id == later && (k.PrimaryNow || !strings.HasPrefix(k.Use, "opens; seals from 2999")) {
			t.Fatalf("key scheduled for 2999: %+v", k)
		}
	}
	at := showJSON(t, s.ok("", "keyring", "show", ring, "--json", "--at", "3000-01-01T00:00:00Z"))
	if id := strconv.FormatUint(uint64(at.Primary), 10); id != later {
		t.Fatalf("primary in 3000 is %s, want %s", id, later)
	}
	tok := s.ok("x", "seal", "--keyring", ring, "--name", "n")
	if h := inspectJSON(t, s.ok(tok, "inspect", "--json")); strconv.FormatUint(uint64(h.KeyID), 10) != next {
		t.Fatalf("sealed under %d, want the scheduled key %s", h.KeyID, next)
	}
	text := s.ok("", "keyring", "show", ring)
	for _, want := range []string{"FINGERPRINT", "aes256gcm", "hmacsha256", "2999-01-01T00:00:00Z", "primary at"} {
		if !strings.Contains(text, want) {
			t.Fatalf("keyring show lacks %q:\n%s", want, text)
		}
	}
}

func showJSON(t *testing.T, out string) shownRing {
	t.Helper()
	var s shownRing
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("keyring show --json: %v\n%s", err, out)
	}
	return s
}

func inspectJSON(t *testing.T, out string) inspected {
	t.Helper()
	var h inspected
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		t.Fatalf("inspect --json: %v\n%s", err, out)
	}
	if h.Verified {
		t.Fatal("inspect --json claims the header is verified")
	}
	return h
}

// openedJSON parses the output of open --json strictly: exactly the
// documented fields.
func openedJSON(t *testing.T, out string) opened {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("open --json: %v\n%s", err, out)
	}
	want := []string{"plaintext", "plaintext_base64", "key_id", "issued_at", "expires_at", "needs_reseal", "compressed", "format"}
	if len(raw) != len(want) {
		t.Fatalf("open --json has fields %v, want %v", keys(raw), want)
	}
	for _, k := range want {
		if _, ok := raw[k]; !ok {
			t.Fatalf("open --json lacks %q: %s", k, out)
		}
	}
	var o opened
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		t.Fatalf("open --json: %v", err)
	}
	return o
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
