package main

import (
	"encoding/base64"
	"os"
	"strings"
	"testing"

	"github.com/gorilla/securecookie"
)

// TestExitCodes runs the binary once for each way a command ends, and
// checks the exit code. Every code keyseal documents appears here.
func TestExitCodes(t *testing.T) {
	s := newShell(t)
	ring, other := s.path("ring.json"), s.path("other.json")
	primary := s.ok("", "keyring", "new", "--out", ring)
	s.ok("", "keyring", "new", "--out", other)
	retired := s.ok("", "keyring", "add", ring)
	s.ok("", "keyring", "retire", ring, retired)
	token := s.ok("hello", "seal", "--keyring", ring, "--name", "session", "--ttl", "1h")
	otherToken := s.ok("hello", "seal", "--keyring", other, "--name", "session")
	// A ring whose primary is an imported A256GCM JWE key: it seals
	// neither native tokens nor A256CBC-HS512 JWE.
	jweRing := s.path("jwe.json")
	s.ok("", "keyring", "new", "--out", jweRing)
	s.ok(`{"kty":"oct","kid":"77","k":"`+base64.RawURLEncoding.EncodeToString(make([]byte, 32))+`"}`, "keyring", "import-jwk", jweRing)
	s.ok("", "keyring", "promote", jweRing, "77")
	bad := s.path("bad.json")
	if err := os.WriteFile(bad, []byte(`{"version":1,"keys":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	open := func(extra ...string) []string {
		return append([]string{"open", "--keyring", ring, "--name", "session"}, extra...)
	}
	seal := func(extra ...string) []string {
		return append([]string{"seal", "--keyring", ring, "--name", "session"}, extra...)
	}
	big := strings.Repeat("x", 4000) // its token would be over 4096 characters
	sc, _ := secureCookies(t, s, securecookie.JSONEncoder{})
	legacyValue, err := sc.Encode("session", "v")
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name  string
		code  int
		stdin string
		args  []string
	}{
		{"help", exitOK, "", []string{"help"}},
		{"-h", exitOK, "", []string{"-h"}},
		{"--help", exitOK, "", []string{"--help"}},
		{"help seal", exitOK, "", []string{"help", "seal"}},
		{"help keyring", exitOK, "", []string{"help", "keyring"}},
		{"help keyring add", exitOK, "", []string{"help", "keyring", "add"}},
		{"keyring -h", exitOK, "", []string{"keyring", "-h"}},
		{"keyring help", exitOK, "", []string{"keyring", "help"}},
		{"keyring help add", exitOK, "", []string{"keyring", "help", "add"}},
		{"open -h", exitOK, "", []string{"open", "-h"}},
		{"keyring check", exitOK, "", []string{"keyring", "check", ring}},
		{"open", exitOK, token, open()},

		{"retire primary", exitRefused, "", []string{"keyring", "retire", ring, primary}},
		{"remove primary", exitRefused, "", []string{"keyring", "remove", ring, primary}},

		{"no command", exitUsage, "", nil},
		{"unknown command", exitUsage, "", []string{"frobnicate"}},
		{"unknown keyring command", exitUsage, "", []string{"keyring", "frobnicate"}},
		{"keyring without command", exitUsage, "", []string{"keyring"}},
		{"help unknown", exitUsage, "", []string{"help", "frobnicate"}},
		{"keyring help help", exitUsage, "", []string{"keyring", "help", "help"}},
		{"help help", exitUsage, "", []string{"help", "help"}},
		{"help keyring unknown", exitUsage, "", []string{"help", "keyring", "frobnicate"}},
		{"unknown flag", exitUsage, "", seal("--frobnicate")},
		{"seal without name", exitUsage, "x", []string{"seal", "--keyring", ring}},
		{"open without name", exitUsage, token, []string{"open", "--keyring", ring}},
		{"name too long", exitUsage, "x", []string{"seal", "--keyring", ring, "--name", strings.Repeat("n", 256)}},
		{"no keyring", exitUsage, "x", []string{"seal", "--name", "session"}},
		{"show without keyring", exitUsage, "", []string{"keyring", "show"}},
		{"bad --at", exitUsage, token, open("--at", "yesterday")},
		{"--at without zone", exitUsage, token, open("--at", "2026-01-02T03:04:05")},
		{"bad --ttl", exitUsage, "x", seal("--ttl", "forever")},
		{"--ttl under a second", exitUsage, "x", seal("--ttl", "10ms")},
		{"negative --ttl", exitUsage, "x", seal("--ttl", "-1h")},
		{"bad --max-age", exitUsage, token, open("--max-age", "1")},
		{"bad --promote-at", exitUsage, "", []string{"keyring", "add", ring, "--promote-at", "soon"}},
		// RFC 3339 with an offset reaches past the years 0..9999 (in UTC) a
		// keyring file and JSON output can hold.
		{"--promote-at after 9999 in UTC", exitUsage, "", []string{"keyring", "add", ring, "--promote-at", "9999-12-31T23:59:59-01:00"}},
		{"--promote-at before 0 in UTC", exitUsage, "", []string{"keyring", "add", ring, "--promote-at", "0000-01-01T00:00:00+01:00"}},
		{"show --at after 9999 in UTC", exitUsage, "", []string{"keyring", "show", ring, "--json", "--at", "9999-12-31T23:59:59-01:00"}},
		// The zero time means "no time": as a --promote-at it added a key
		// that was never promoted.
		{"--promote-at the zero time", exitUsage, "", []string{"keyring", "add", ring, "--promote-at", "0001-01-01T00:00:00Z"}},
		{"--promote-at the zero time with an offset", exitUsage, "", []string{"keyring", "add", ring, "--promote-at", "0001-01-01T01:00:00+01:00"}},
		{"open --at the zero time", exitUsage, token, open("--at", "0001-01-01T00:00:00Z")},
		{"bad --alg", exitUsage, "", []string{"keyring", "add", ring, "--alg", "des"}},
		{"bad ID", exitUsage, "", []string{"keyring", "promote", ring, "abc"}},
		{"zero ID", exitUsage, "", []string{"keyring", "retire", ring, "0"}},
		{"ID over 32 bits", exitUsage, "", []string{"keyring", "retire", ring, "4294967296"}},
		{"missing ID", exitUsage, "", []string{"keyring", "promote", ring}},
		{"missing FILE", exitUsage, "", []string{"keyring", "add"}},
		{"extra argument", exitUsage, "", []string{"keyring", "check", ring, ring}},
		{"seal argument", exitUsage, "", seal("plaintext")},
		{"new without --out", exitUsage, "", []string{"keyring", "new"}},
		{"new --out and --reveal", exitUsage, "", []string{"keyring", "new", "--out", s.path("x.json"), "--reveal"}},
		{"seal securecookie", exitUsage, "x", seal("--format", "securecookie")},
		{"securecookie without keys", exitUsage, token, open("--format", "securecookie")},
		{"unknown format", exitUsage, token, open("--format", "rot13")},
		{"demo beyond loopback", exitUsage, "", []string{"demo", "--addr", "0.0.0.0:0"}},
		{"demo bad address", exitUsage, "", []string{"demo", "--addr", "nowhere"}},
		{"export-jwk without --reveal", exitUsage, "", []string{"keyring", "export-jwk", ring, primary}},

		{"securecookie past --cutoff", exitCutoff, legacyValue, []string{"open", "--name", "session",
			"--hash-key-file", s.path("hash.key"), "--block-key-file", s.path("block.key"), "--cutoff", "2001-01-01T00:00:00Z"}},

		{"other name", exitAuth, token, []string{"open", "--keyring", ring, "--name", "csrf"}},

		{"expired", exitTime, token, open("--at", "2999-01-01T00:00:00Z")},
		{"not yet valid", exitTime, token, open("--at", "2001-01-01T00:00:00Z")},
		{"over --max-age", exitTime, token, open("--max-age", "1s", "--at", timeAfter(t, s, token, "3m"))},

		{"unknown key in token", exitKey, otherToken, open()},
		{"promote unknown ID", exitKey, "", []string{"keyring", "promote", ring, "1"}},
		{"retire unknown ID", exitKey, "", []string{"keyring", "retire", ring, "1"}},
		{"remove unknown ID", exitKey, "", []string{"keyring", "remove", ring, "1"}},
		{"promote retired key", exitKey, "", []string{"keyring", "promote", ring, retired}},
		{"seal with a JWE primary", exitKey, "x", []string{"seal", "--keyring", jweRing, "--name", "session"}},
		{"seal A256CBC-HS512 with an A256GCM primary", exitKey, "{}", []string{"seal", "--keyring", jweRing, "--format", "jwe", "--enc", "A256CBC-HS512"}},

		{"garbage token", exitMalformed, "not a token!", open()},
		{"empty token", exitUsage, "", open()},
		{"whitespace token", exitUsage, " \n\t", open()},
		{"short token", exitMalformed, token[:30], open()},
		{"inspect garbage", exitMalformed, "not a token at all, really", []string{"inspect"}},
		{"inspect empty", exitUsage, "", []string{"inspect"}},
		{"inspect version 2", exitMalformed, "Ag" + token[2:], []string{"inspect"}},

		{"new --force over a bad keyring", exitKeyring, "", []string{"keyring", "new", "--out", bad, "--force"}},
		{"bad keyring", exitKeyring, "x", []string{"seal", "--keyring", bad, "--name", "session"}},
		{"check bad keyring", exitKeyring, "", []string{"keyring", "check", bad}},
		{"demo with a bad keyring", exitKeyring, "", []string{"demo", "--addr", "127.0.0.1:0", "--keyring", bad}},

		{"missing keyring file", exitIO, "x", []string{"seal", "--keyring", s.path("missing.json"), "--name", "n"}},
		{"keyring is a directory", exitIO, "", []string{"keyring", "show", s.dir}},
		{"demo with a missing keyring", exitIO, "", []string{"demo", "--addr", "127.0.0.1:0", "--keyring", s.path("missing.json")}},
		{"add to missing file", exitIO, "", []string{"keyring", "add", s.path("missing.json")}},
		{"new over existing", exitIO, "", []string{"keyring", "new", "--out", ring}},
		{"new in missing directory", exitIO, "", []string{"keyring", "new", "--out", s.path("no/such/dir.json")}},

		{"plaintext too large for a token", exitTooLarge, big, seal()},
		{"stdin over 1 MiB", exitTooLarge, strings.Repeat("x", maxPlaintextInput+1), seal()},
		{"token over 4096 characters", exitTooLarge, strings.Repeat("A", 5000), open()},
		{"token stdin over 64 KiB", exitTooLarge, strings.Repeat("A", maxTokenInput+1), open()},
		{"inspect stdin over 64 KiB", exitTooLarge, strings.Repeat("A", maxTokenInput+1), []string{"inspect"}},
	}
	seen := map[int]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := stat(t, ring)
			r := s.run(c.stdin, c.args...)
			checkExit(t, c.args, r, c.code)
			before.assertSame(t, ring, "keyseal "+strings.Join(c.args, " "))
		})
		seen[c.code] = true
	}
	for _, c := range exitCodes {
		if !seen[c.code] {
			t.Errorf("exit code %d (%s) is not tested", c.code, c.what)
		}
	}
}

// timeAfter returns the token's issue time plus d, in RFC 3339.
func timeAfter(t *testing.T, s *shell, token, d string) string {
	t.Helper()
	h := inspectJSON(t, s.ok(token, "inspect", "--json"))
	dur, err := parseDuration(d)
	if err != nil {
		t.Fatal(err)
	}
	return h.IssuedAt.Add(dur).Format("2006-01-02T15:04:05Z07:00")
}

// TestHelpDocumentsExitCodes checks that "keyseal help" lists every exit
// code and every command.
func TestHelpDocumentsExitCodes(t *testing.T) {
	s := newShell(t)
	out := s.ok("", "help")
	for _, c := range exitCodes {
		line := "  " + itoa(c.code) + "  " + c.what
		if !strings.Contains(out, line) {
			t.Errorf("help lacks exit code line %q", line)
		}
	}
	for _, c := range commands {
		if !strings.Contains(out, "keyseal "+c.name) {
			t.Errorf("help lacks command %q", c.name)
		}
	}
	for _, c := range keyringCommands {
		if !strings.Contains(out, "keyseal keyring "+c.name) {
			t.Errorf("help lacks command keyring %q", c.name)
		}
	}
}
