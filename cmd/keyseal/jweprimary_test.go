package main

import (
	"encoding/base64"
	"fmt"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/keyseal/keyseal/internal/testkit/josetest"
	"github.com/keyseal/keyseal/keyring"
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

// A JWE token without "kid" is malformed, exit 6, as MIGRATING.md and the
// exit-code table say (issue 15 item 12); one whose "kid" names no key of
// the ring is an unknown key, exit 5.
func TestOpenJWEWithoutKid(t *testing.T) {
	s := newShell(t)
	path := s.path("ring.json")
	s.ok("", "keyring", "new", "--out", path)
	ring, err := keyring.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k := ring.Primary(time.Now())
	cek, err := k.JWEKey(keyring.EncA256GCM)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	claims := fmt.Sprintf(`{"sub":"u","iat":%d,"exp":%d}`, now, now+60)
	withKid := josetest.Direct(t, cek, jose.A256GCM, fmt.Sprint(k.ID()), nil, claims)
	s.ok(withKid, "open", "--keyring", path, "--format", "jwe")
	s.want(exitMalformed, josetest.Direct(t, cek, jose.A256GCM, "", nil, claims), "open", "--keyring", path, "--format", "jwe")
	s.want(exitKey, josetest.Direct(t, cek, jose.A256GCM, "12345", nil, claims), "open", "--keyring", path, "--format", "jwe")
}
