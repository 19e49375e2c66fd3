package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
)

// TestJWEFormat seals and opens JWE tokens through the binary, with both
// encryptions, and checks how they fail.
func TestJWEFormat(t *testing.T) {
	s := newShell(t)
	ring, other := s.path("ring.json"), s.path("other.json")
	id := s.ok("", "keyring", "new", "--out", ring)
	s.ok("", "keyring", "new", "--out", other)
	seal := func(extra ...string) []string {
		return append([]string{"seal", "--keyring", ring, "--format", "jwe"}, extra...)
	}
	open := func(extra ...string) []string {
		return append([]string{"open", "--keyring", ring, "--format", "jwe"}, extra...)
	}

	token := s.ok(`{"sub":"alice","n":3}`, seal("--ttl", "1h")...)
	var claims struct {
		Sub      string
		N        int
		Iat, Exp int64
	}
	if err := json.Unmarshal([]byte(s.ok(token, open()...)), &claims); err != nil || claims.Sub != "alice" || claims.N != 3 || claims.Exp-claims.Iat != 3600 {
		t.Fatalf("claims %+v, %v", claims, err)
	}
	if m := openedJSON(t, s.ok(token, open("--json")...)); m.Format != "jwe" || itoa(int(m.KeyID)) != id || m.NeedsReseal {
		t.Fatalf("open --json: %+v", m)
	}
	var h inspectedJWE
	dec := json.NewDecoder(strings.NewReader(s.ok(token, "inspect", "--json")))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil || h.Verified || h.Format != "jwe" || h.Header.KeyID != id ||
		h.Header.Algorithm != "dir" || h.Header.Encryption != "A256GCM" || h.Length != len(token) {
		t.Fatalf("inspect --json: %+v, %v", h, err)
	}
	if out := s.ok(token, "inspect"); !strings.HasPrefix(out, "UNVERIFIED") || !strings.Contains(out, "format:     jwe") {
		t.Fatalf("inspect: %s", out)
	}

	cbc := s.ok(`{}`, seal("--enc", "A256CBC-HS512")...)
	s.ok(cbc, open("--enc", "A256CBC-HS512")...)

	tampered := substitute(token, len(token)-30) // in the ciphertext, before the 22-character tag
	if strings.Count(tampered, ".") != 4 || tampered == token {
		t.Fatal("tampering broke the token's shape")
	}
	for _, c := range []struct {
		name  string
		code  int
		stdin string
		args  []string
	}{
		{"not JSON", exitUsage, "hello", seal()},
		{"JSON array", exitUsage, "[1]", seal()},
		{"--compress", exitUsage, "{}", seal("--compress")},
		{"bad --enc", exitUsage, "{}", seal("--enc", "A128GCM")},
		{"tampered", exitAuth, tampered, open()},
		{"expired", exitTime, token, open("--at", "2999-01-01T00:00:00Z")},
		{"not yet valid", exitTime, token, open("--at", "2001-01-01T00:00:00Z")},
		{"other ring", exitKey, token, []string{"open", "--keyring", other, "--format", "jwe"}},
		{"other enc", exitMalformed, token, open("--enc", "A256CBC-HS512")},
		{"four parts", exitMalformed, token[:strings.LastIndexByte(token, '.')], open()},
		{"jwe forced on native", exitMalformed, s.ok("x", "seal", "--keyring", ring, "--name", "n"), open()},
		{"inspect bad header", exitMalformed, "eyJ!!!.a.b.c.d", []string{"inspect"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := s.run(c.stdin, c.args...)
			checkExit(t, c.args, r, c.code)
		})
	}
}

// substitute replaces the base64url character at i by another one, so
// that the token still decodes but says something else.
func substitute(token string, i int) string {
	c := byte('A')
	if token[i] == 'A' {
		c = 'B'
	}
	return token[:i] + string(c) + token[i+1:]
}

// secureCookies writes a securecookie hash and block key into the shell's
// directory and returns the codec that uses them.
func secureCookies(t *testing.T, s *shell, serializer securecookie.Serializer) (*securecookie.SecureCookie, [][]byte) {
	t.Helper()
	hash, block := make([]byte, 32), make([]byte, 32)
	rand.Read(hash)
	rand.Read(block)
	for name, k := range map[string][]byte{"hash.key": hash, "block.key": block} {
		if err := os.WriteFile(s.path(name), k, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return securecookie.New(hash, block).SetSerializer(serializer), [][]byte{hash, block}
}

// assertNoKey fails if out holds one of keys raw or in hex.
func assertNoKey(t *testing.T, out string, keys [][]byte) {
	t.Helper()
	for _, k := range keys {
		if bytes.Contains([]byte(out), k) || strings.Contains(strings.ToLower(out), hex.EncodeToString(k)) {
			t.Fatalf("printed a securecookie key: %q", out)
		}
	}
}

// TestSecureCookie opens gorilla/securecookie values through the binary:
// JSON and gob (gorilla/sessions) serializers, metadata, and every failure.
func TestSecureCookie(t *testing.T) {
	s := newShell(t)
	sc, keys := secureCookies(t, s, securecookie.JSONEncoder{})
	value, err := sc.Encode("session", map[string]any{"user": "ada", "n": 2})
	if err != nil {
		t.Fatal(err)
	}
	cutoff := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	open := func(extra ...string) []string {
		return append([]string{"open", "--name", "session", "--hash-key-file", s.path("hash.key"),
			"--block-key-file", s.path("block.key"), "--cutoff", cutoff, "--serializer", "json"}, extra...)
	}
	for _, format := range []string{"auto", "securecookie"} {
		out := s.ok(value, open("--format", format)...)
		assertNoKey(t, out, keys)
		if out != `{"n":2,"user":"ada"}` {
			t.Fatalf("open --format %s: %q", format, out)
		}
	}
	out := s.ok(value, open("--json")...)
	assertNoKey(t, out, keys)
	m := openedJSON(t, out)
	if m.Format != "securecookie" || m.KeyID != 0 || !m.NeedsReseal || m.Plaintext == nil ||
		time.Since(m.IssuedAt.Time) > time.Minute || m.ExpiresAt.Sub(m.IssuedAt.Time) != 30*24*time.Hour {
		t.Fatalf("open --json: %+v", m)
	}
	var h inspectedSecureCookie
	if err := json.Unmarshal([]byte(s.ok(value, "inspect", "--json")), &h); err != nil || h.Format != "securecookie" || !h.IssuedAt.Equal(m.IssuedAt.Time) {
		t.Fatalf("inspect --json: %+v, %v", h, err)
	}

	// gorilla/sessions values: gob maps of builtin types.
	gobCodec, gobKeys := secureCookies(t, s, securecookie.GobEncoder{})
	gobValue, err := gobCodec.Encode("session", map[any]any{"user": "ada", 7: true})
	if err != nil {
		t.Fatal(err)
	}
	out = s.ok(gobValue, "open", "--name", "session", "--hash-key-file", s.path("hash.key"),
		"--block-key-file", s.path("block.key"), "--cutoff", cutoff)
	assertNoKey(t, out, gobKeys)
	if out != `{"7":true,"user":"ada"}` {
		t.Fatalf("gob session: %q", out)
	}

	// Values made by the first codec fail under the gob codec's keys (the
	// files now hold those), and so on.
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	gobOpen := func(extra ...string) []string {
		return append([]string{"open", "--name", "session", "--hash-key-file", s.path("hash.key"),
			"--block-key-file", s.path("block.key"), "--cutoff", cutoff}, extra...)
	}
	jsonValue, err := securecookie.New(gobKeys[0], gobKeys[1]).SetSerializer(securecookie.JSONEncoder{}).Encode("session", []int{1})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.path("empty.key"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		code  int
		stdin string
		args  []string
	}{
		{"other keys", exitAuth, value, gobOpen()},
		{"other name", exitAuth, gobValue, append(gobOpen(), "--name", "csrf")},
		{"tampered", exitAuth, substitute(gobValue, 20), gobOpen()},
		{"past cutoff", exitCutoff, gobValue, append(gobOpen(), "--cutoff", past)},
		{"past max-age", exitTime, gobValue, append(gobOpen(), "--max-age", "1h", "--at", time.Now().Add(2*time.Hour).UTC().Format(time.RFC3339))},
		{"gob of a JSON value", exitMalformed, jsonValue, gobOpen()},
		{"not base64", exitMalformed, "MT!!", gobOpen("--format", "securecookie")},
		{"no cutoff", exitUsage, gobValue, []string{"open", "--name", "session", "--hash-key-file", s.path("hash.key")}},
		{"no hash key", exitUsage, gobValue, []string{"open", "--name", "session", "--cutoff", cutoff}},
		{"no flags", exitUsage, gobValue, []string{"open", "--name", "session"}},
		{"no name", exitUsage, gobValue, []string{"open", "--hash-key-file", s.path("hash.key"), "--cutoff", cutoff}},
		{"bad serializer", exitUsage, gobValue, gobOpen("--serializer", "xml")},
		{"empty key file", exitUsage, gobValue, gobOpen("--hash-key-file", s.path("empty.key"))},
		{"bad block key", exitUsage, gobValue, gobOpen("--block-key-file", s.path("empty.key"))},
		{"missing key file", exitIO, gobValue, gobOpen("--hash-key-file", s.path("nope.key"))},
		{"seal securecookie", exitUsage, "x", []string{"seal", "--format", "securecookie", "--name", "n"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := s.run(c.stdin, c.args...)
			checkExit(t, c.args, r, c.code)
			assertNoKey(t, r.stderr, gobKeys)
		})
	}
}
