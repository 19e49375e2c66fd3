package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/keyseal/keyseal/keyring"
)

// A fixed secret for hand-written keyring files; the shell checks that it
// never appears in any output.
var fileSecret = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789ABCDEF"))

func keyJSON(id, alg, state, secret, extra string) string {
	return `{"id":` + id + `,"algorithm":"` + alg + `","state":"` + state + `","secret":"` + secret +
		`","created":"2026-01-02T03:04:05Z"` + extra + `}`
}

func ringJSON(keys ...string) string {
	return `{"version":1,"keys":[` + strings.Join(keys, ",") + `]}`
}

var primaryKey = keyJSON("7", "xchacha20poly1305", "primary", fileSecret, "")

// badKeyrings are keyring files that every command must refuse with
// exitKeyring, leaving them untouched.
var badKeyrings = map[string]string{
	"empty":                  "",
	"not JSON":               "version: 1\nkeys: []\n",
	"truncated":              ringJSON(primaryKey)[:40],
	"array":                  "[]",
	"no version":             `{"keys":[` + primaryKey + `]}`,
	"version 2":              `{"version":2,"keys":[` + primaryKey + `]}`,
	"no keys":                ringJSON(),
	"no primary":             ringJSON(keyJSON("7", "aes256gcm", "active", fileSecret, "")),
	"two primaries":          ringJSON(primaryKey, keyJSON("8", "aes256gcm", "primary", fileSecret, "")),
	"duplicate ID":           ringJSON(primaryKey, keyJSON("7", "aes256gcm", "active", fileSecret, "")),
	"zero ID":                ringJSON(keyJSON("0", "xchacha20poly1305", "primary", fileSecret, "")),
	"negative ID":            ringJSON(keyJSON("-7", "xchacha20poly1305", "primary", fileSecret, "")),
	"ID over 32 bits":        ringJSON(keyJSON("4294967296", "xchacha20poly1305", "primary", fileSecret, "")),
	"short secret":           ringJSON(keyJSON("7", "xchacha20poly1305", "primary", fileSecret[:40]+"==", "")),
	"long secret":            ringJSON(keyJSON("7", "xchacha20poly1305", "primary", fileSecret[:43]+"AAAA", "")),
	"secret not base64":      ringJSON(keyJSON("7", "xchacha20poly1305", "primary", strings.Repeat("!", 44), "")),
	"unknown algorithm":      ringJSON(keyJSON("7", "des", "primary", fileSecret, "")),
	"unknown state":          ringJSON(keyJSON("7", "xchacha20poly1305", "destroyed", fileSecret, "")),
	"unknown field":          ringJSON(keyJSON("7", "xchacha20poly1305", "primary", fileSecret, `,"comment":"x"`)),
	"repeated field":         ringJSON(keyJSON("7", "xchacha20poly1305", "primary", fileSecret, `,"id":8`)),
	"trailing data":          ringJSON(primaryKey) + `{}`,
	"bad time":               strings.Replace(ringJSON(primaryKey), "2026-01-02T03:04:05Z", "yesterday", 1),
	"activate_at on primary": ringJSON(keyJSON("7", "xchacha20poly1305", "primary", fileSecret, `,"activate_at":"2030-01-01T00:00:00Z"`)),
	"secret as number":       strings.Replace(ringJSON(primaryKey), `"`+fileSecret+`"`, "12345678901234567890", 1),
	"over 1 MiB":             ringJSON(primaryKey) + strings.Repeat(" ", 1<<20),
}

// TestBadKeyringFiles runs every command that reads a keyring on every bad
// keyring file: each exits with exitKeyring, says so in one line, never
// prints the secret, and leaves the file untouched.
func TestBadKeyringFiles(t *testing.T) {
	s := newShell(t)
	good := s.path("good.json")
	if err := os.WriteFile(good, []byte(ringJSON(primaryKey)), 0o600); err != nil {
		t.Fatal(err)
	}
	s.ok("", "keyring", "check", good) // the base of every bad file is valid
	token := s.ok("x", "seal", "--keyring", good, "--name", "n")

	for name, content := range badKeyrings {
		t.Run(name, func(t *testing.T) {
			f := s.path("bad.json")
			if err := os.WriteFile(f, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			before := stat(t, f)
			for _, c := range []struct {
				stdin string
				args  []string
			}{
				{"", []string{"keyring", "check", f}},
				{"", []string{"keyring", "show", f}},
				{"", []string{"keyring", "show", "--json", f}},
				{"", []string{"keyring", "add", f}},
				{"", []string{"keyring", "promote", f, "7"}},
				{"", []string{"keyring", "retire", f, "7"}},
				{"", []string{"keyring", "remove", f, "7"}},
				{"x", []string{"seal", "--keyring", f, "--name", "n"}},
				{token, []string{"open", "--keyring", f, "--name", "n"}},
			} {
				r := s.want(exitKeyring, c.stdin, c.args...)
				if r.stdout != "" {
					t.Fatalf("keyseal %q printed %q", c.args, r.stdout)
				}
				before.assertSame(t, f, "keyseal "+strings.Join(c.args, " "))
			}
			// The same content in $KEYSEAL_KEYRING is refused the same way.
			if len(content) < 64<<10 && content != "" { // an empty variable means no keyring
				s.env = []string{"KEYSEAL_KEYRING=" + content}
				defer func() { s.env = nil }()
				r := s.want(exitKeyring, "x", "seal", "--name", "n")
				if !strings.Contains(r.stderr, "$KEYSEAL_KEYRING") {
					t.Fatalf("error does not name the variable: %s", r.stderr)
				}
				s.want(exitKeyring, "", "keyring", "check")
			}
		})
	}
}

// TestFailedChangeLeavesFile checks that refused changes to a valid keyring
// leave its bytes, mode and inode alone, and that successful changes keep
// it at mode 0600 even when it was wider before.
func TestFailedChangeLeavesFile(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	primary := s.ok("", "keyring", "new", "--out", ring)
	before := stat(t, ring)
	for _, args := range [][]string{
		{"keyring", "retire", ring, primary},
		{"keyring", "remove", ring, primary},
		{"keyring", "promote", ring, "12345"},
		{"keyring", "add", ring, "--alg", "rot13"},
		{"keyring", "add", ring, "--promote-at", "tomorrow"},
		{"keyring", "new", "--out", ring},
	} {
		if r := s.run("", args...); r.code == exitOK {
			t.Fatalf("keyseal %q succeeded", args)
		}
		before.assertSame(t, ring, "keyseal "+strings.Join(args, " "))
	}
	if err := os.Chmod(ring, 0o644); err != nil {
		t.Fatal(err)
	}
	r := s.want(exitOK, "", "keyring", "check", ring)
	if !strings.HasPrefix(r.stderr, "keyseal: warning: ") || !strings.Contains(r.stderr, "0644") {
		t.Fatalf("check of a 0644 keyring warned %q", r.stderr)
	}
	s.ok("", "keyring", "add", ring)
	assertMode0600(t, ring)
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "ring.json" && e.Name() != "ring.json.lock" {
			t.Errorf("left behind %s", e.Name())
		}
	}
	// --force replaces a keyring, atomically and at mode 0600.
	next := s.ok("", "keyring", "new", "--out", ring, "--force")
	if show := showJSON(t, s.ok("", "keyring", "show", ring, "--json")); len(show.Keys) != 1 || itoa(int(show.Primary)) != next {
		t.Fatalf("after new --force: %+v", show)
	}
}

// TestKeyringFromEnv uses a keyring from $KEYSEAL_KEYRING, and checks that
// "keyring new --reveal" is the one command that prints a secret.
func TestKeyringFromEnv(t *testing.T) {
	s := newShell(t)
	content := s.ok("", "keyring", "new", "--reveal", "--alg", "hmacsha256")
	var f struct {
		Keys []struct {
			ID     uint32
			Secret string
		}
	}
	if err := json.Unmarshal([]byte(content), &f); err != nil || len(f.Keys) != 1 || f.Keys[0].Secret == "" {
		t.Fatalf("keyring new --reveal printed %v", err)
	}
	s.env = []string{"KEYSEAL_KEYRING=" + content}
	token := s.ok("from env", "seal", "--name", "n")
	if got := s.ok(token, "open", "--name", "n"); got != "from env" {
		t.Fatalf("open = %q", got)
	}
	show := showJSON(t, s.ok("", "keyring", "show", "--json"))
	if show.Source != "$KEYSEAL_KEYRING" || show.Primary != f.Keys[0].ID {
		t.Fatalf("show of $KEYSEAL_KEYRING: %+v", show)
	}
	s.ok("", "keyring", "check")
	// --keyring wins over the environment.
	file := s.path("ring.json")
	s.ok("", "keyring", "new", "--out", file)
	s.want(exitKey, token, "open", "--name", "n", "--keyring", file)
}

// TestTooManyKeys fills a keyring to keyring.MaxKeys: adding one more is
// refused with exitRefused and leaves the file untouched.
func TestTooManyKeys(t *testing.T) {
	s := newShell(t)
	keys := []string{primaryKey}
	for id := 8; len(keys) < keyring.MaxKeys; id++ {
		keys = append(keys, keyJSON(itoa(id), "aes256gcm", "active", fileSecret, ""))
	}
	ring := s.path("full.json")
	if err := os.WriteFile(ring, []byte(ringJSON(keys...)), 0o600); err != nil {
		t.Fatal(err)
	}
	s.ok("", "keyring", "check", ring)
	before := stat(t, ring)
	r := s.want(exitRefused, "", "keyring", "add", ring)
	if !strings.Contains(r.stderr, "too many keys") {
		t.Fatalf("refused with %q", r.stderr)
	}
	before.assertSame(t, ring, "keyring add to a full keyring")

	// A file of more keys than that is a bad keyring file (as the same
	// content in $KEYSEAL_KEYRING is, but that is too large for a test's
	// environment), whatever the command.
	over := s.path("over.json")
	keys = append(keys, keyJSON(itoa(7+keyring.MaxKeys), "aes256gcm", "active", fileSecret, ""))
	if err := os.WriteFile(over, []byte(ringJSON(keys...)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"keyring", "check", over}, {"keyring", "show", over}, {"keyring", "add", over}, {"seal", "--keyring", over, "--name", "n"}} {
		if r := s.want(exitKeyring, "x", args...); !strings.Contains(r.stderr, "too many keys") {
			t.Errorf("keyseal %q: %q", args, r.stderr)
		}
	}
}
