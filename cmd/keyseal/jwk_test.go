package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestJWKRoundTrip exports a key as a JWK, imports it into another ring,
// and opens there a JWE token sealed under the first ring.
func TestJWKRoundTrip(t *testing.T) {
	s := newShell(t)
	ring, other := s.path("ring.json"), s.path("other.json")
	id := s.ok("", "keyring", "new", "--out", ring)
	otherID := s.ok("", "keyring", "new", "--out", other)

	// Without --reveal: a usage error, and nothing printed.
	before := stat(t, ring)
	if r := s.want(exitUsage, "", "keyring", "export-jwk", ring, id); r.stdout != "" {
		t.Fatalf("export-jwk without --reveal printed %q", r.stdout)
	}
	jwk := s.ok("", "keyring", "export-jwk", ring, id, "--reveal")
	before.assertSame(t, ring, "export-jwk")
	var j struct{ Kty, Kid, Use, Alg, K string }
	if err := json.Unmarshal([]byte(jwk), &j); err != nil || j.Kty != "oct" || j.Kid != id || j.Use != "enc" || j.Alg != "dir" || len(j.K) != 43 {
		t.Fatalf("export-jwk printed %q (%v)", jwk, err)
	}
	jwkFile := s.path("key.jwk")
	if err := os.WriteFile(jwkFile, []byte(jwk+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := s.ok("", "keyring", "import-jwk", other, jwkFile); got != id {
		t.Fatalf("import-jwk printed %q, want the key ID %s", got, id)
	}
	assertMode0600(t, other)
	show := showJSON(t, s.ok("", "keyring", "show", other, "--json"))
	if len(show.Keys) != 2 || itoa(int(show.Primary)) != otherID {
		t.Fatalf("after import-jwk: %+v", show)
	}
	for _, k := range show.Keys {
		if itoa(int(k.ID)) == id && (k.State.String() != "active" || k.Algorithm.String() != "jwe-a256gcm") {
			t.Fatalf("imported key: %+v", k)
		}
	}

	token := s.ok(`{"sub":"alice"}`, "seal", "--keyring", ring, "--format", "jwe")
	var claims map[string]any
	out := s.ok(token, "open", "--keyring", other, "--format", "jwe")
	if err := json.Unmarshal([]byte(out), &claims); err != nil || claims["sub"] != "alice" || claims["exp"] == nil {
		t.Fatalf("open --format jwe under the importing ring: %q (%v)", out, err)
	}
	m := openedJSON(t, s.ok(token, "open", "--keyring", other, "--format", "jwe", "--json"))
	if m.Format != "jwe" || itoa(int(m.KeyID)) != id || !m.NeedsReseal || m.ExpiresAt.Sub(m.IssuedAt.Time).Hours() != 24 {
		t.Fatalf("open --json: %+v", m)
	}
	// Neither the JWK nor the keyring secrets appear in what other
	// commands print (the shell checks the latter on every run).
	for _, out := range []string{s.ok("", "keyring", "show", other), s.ok(token, "inspect"), s.ok(token, "open", "--keyring", other, "--format", "jwe", "--json")} {
		if strings.Contains(out, j.K) {
			t.Fatalf("printed the imported JWK's key: %s", out)
		}
	}

	// The same key again is refused: its ID is in the ring.
	before = stat(t, other)
	s.want(exitRefused, jwk, "keyring", "import-jwk", other)
	// A CBC key of an imported A256GCM key cannot exist.
	s.want(exitRefused, "", "keyring", "export-jwk", other, id, "--enc", "A256CBC-HS512", "--reveal")
	before.assertSame(t, other, "refused import-jwk and export-jwk")

	// A256CBC-HS512 export of a native key is a 64-byte key.
	cbc := s.ok("", "keyring", "export-jwk", ring, id, "--enc", "A256CBC-HS512", "--reveal")
	if err := json.Unmarshal([]byte(cbc), &j); err != nil || len(j.K) != 86 {
		t.Fatalf("A256CBC-HS512 JWK: %q", cbc)
	}
	// ... which import-jwk refuses: keyring secrets are 32 bytes.
	s.want(exitKeyring, cbc, "keyring", "import-jwk", other)
}

// TestJWKExitCodes checks every way export-jwk and import-jwk fail, and
// that a failure leaves the keyring file untouched.
func TestJWKExitCodes(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	s.ok("", "keyring", "new", "--out", ring)
	retired := s.ok("", "keyring", "add", ring)
	s.ok("", "keyring", "retire", ring, retired)
	good := `{"kty":"oct","kid":"77","k":"` + strings.Repeat("A", 43) + `"}`
	big := s.path("big.jwk")
	if err := os.WriteFile(big, []byte(good+strings.Repeat(" ", maxJWKInput)), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		code  int
		stdin string
		args  []string
	}{
		{"export unknown ID", exitKey, "", []string{"keyring", "export-jwk", ring, "12345", "--reveal"}},
		{"export retired key", exitKey, "", []string{"keyring", "export-jwk", ring, retired, "--reveal"}},
		{"export bad --enc", exitUsage, "", []string{"keyring", "export-jwk", ring, retired, "--enc", "A128GCM", "--reveal"}},
		{"export missing ID", exitUsage, "", []string{"keyring", "export-jwk", ring, "--reveal"}},
		{"export missing file", exitIO, "", []string{"keyring", "export-jwk", s.path("nope.json"), "1", "--reveal"}},
		{"import not JSON", exitKeyring, "{", []string{"keyring", "import-jwk", ring}},
		{"import RSA", exitKeyring, `{"kty":"RSA","kid":"5","k":"x"}`, []string{"keyring", "import-jwk", ring}},
		{"import kid not a number", exitKeyring, strings.Replace(good, `"77"`, `"main"`, 1), []string{"keyring", "import-jwk", ring}},
		{"import short key", exitKeyring, strings.Replace(good, "AAAA", "", 1), []string{"keyring", "import-jwk", ring}},
		{"import over 4 KiB", exitTooLarge, strings.Repeat(" ", maxJWKInput+1), []string{"keyring", "import-jwk", ring}},
		{"import JWK file over 4 KiB", exitTooLarge, "", []string{"keyring", "import-jwk", ring, big}},
		{"import missing JWK file", exitIO, "", []string{"keyring", "import-jwk", ring, s.path("nope.jwk")}},
		{"import into missing file", exitIO, good, []string{"keyring", "import-jwk", s.path("nope.json")}},
		{"import extra argument", exitUsage, "", []string{"keyring", "import-jwk", ring, "a", "b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := stat(t, ring)
			r := s.run(c.stdin, c.args...)
			checkExit(t, c.args, r, c.code)
			before.assertSame(t, ring, strings.Join(c.args, " "))
		})
	}
	if got := s.ok(good, "keyring", "import-jwk", ring); got != "77" {
		t.Fatalf("import-jwk from stdin printed %q", got)
	}
}
