package main

import (
	"encoding/base64"
	"testing"
)

// After import-jwk and promote of the imported key, native tokens (and
// JWE tokens) sealed under the still-active native key keep opening with
// exit 0; only seal of a format the primary cannot seal exits 5, and a
// ring left with no key for the format at all exits 5 too (issue 15
// item 7).
func TestOpenUnderJWEPrimary(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	native := s.ok("", "keyring", "new", "--out", ring)
	token := s.ok("hello", "seal", "--keyring", ring, "--name", "session", "--ttl", "1h")
	cbc := s.ok(`{"sub":"u"}`, "seal", "--keyring", ring, "--format", "jwe", "--enc", "A256CBC-HS512")
	s.ok(`{"kty":"oct","kid":"77","k":"`+base64.RawURLEncoding.EncodeToString(make([]byte, 32))+`"}`, "keyring", "import-jwk", ring)
	s.ok("", "keyring", "promote", ring, "77")

	if got := s.ok(token, "open", "--keyring", ring, "--name", "session"); got != "hello" {
		t.Errorf("open of a native token: %q, want hello", got)
	}
	s.ok(cbc, "open", "--keyring", ring, "--format", "jwe", "--enc", "A256CBC-HS512")
	s.want(exitKey, "x", "seal", "--keyring", ring, "--name", "session")
	s.want(exitKey, "{}", "seal", "--keyring", ring, "--format", "jwe", "--enc", "A256CBC-HS512")

	// With the native key removed, no key opens native tokens.
	s.ok("", "keyring", "remove", ring, native)
	s.want(exitKey, token, "open", "--keyring", ring, "--name", "session")
}
