package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
)

// FuzzOpen feeds hostile stdin to open and inspect in-process: they never
// panic, exit only with a code documented for them, and report failures as
// one stderr line. open runs with --format auto and securecookie keys, so
// the native, JWE and securecookie decoders are all reached.
func FuzzOpen(f *testing.F) {
	ring := ringJSON(primaryKey)
	env := func(k string) string {
		if k == "KEYSEAL_KEYRING" {
			return ring
		}
		return ""
	}
	token, code, stderr := runIn("seed", env, "seal", "--name", "n")
	if code != exitOK {
		f.Fatalf("seal: %d %s", code, stderr)
	}
	jweToken, code, stderr := runIn(`{"sub":"a"}`, env, "seal", "--format", "jwe")
	if code != exitOK {
		f.Fatalf("seal --format jwe: %d %s", code, stderr)
	}
	hashKey := filepath.Join(f.TempDir(), "hash.key")
	if err := os.WriteFile(hashKey, []byte("0123456789abcdef0123456789abcdef"), 0o600); err != nil {
		f.Fatal(err)
	}
	legacyValue, err := securecookie.New([]byte("0123456789abcdef0123456789abcdef"), nil).
		SetSerializer(securecookie.JSONEncoder{}).Encode("n", map[string]int{"a": 1})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{token, strings.TrimSpace(token), "", " \n", "AQ", "AQAAAAcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		token[:24] + strings.Repeat("_", 60), strings.Repeat("A", 4097), "\xff\x00",
		jweToken, jweToken[:40], "eyJ9.a.b.c.d", legacyValue, legacyValue[:30], "MTIzNDU2Nzg5MHx8", "MjA="} {
		f.Add(seed)
	}
	cutoff := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	openCodes := map[int]bool{exitOK: true, exitAuth: true, exitTime: true, exitKey: true, exitMalformed: true, exitTooLarge: true}
	inspectCodes := map[int]bool{exitOK: true, exitMalformed: true, exitTooLarge: true}
	f.Fuzz(func(t *testing.T, in string) {
		for _, c := range []struct {
			args  []string
			codes map[int]bool
		}{
			{[]string{"open", "--name", "n", "--json", "--serializer", "json", "--hash-key-file", hashKey, "--cutoff", cutoff}, openCodes},
			{[]string{"inspect", "--json"}, inspectCodes},
		} {
			_, code, stderr := runIn(in, env, c.args...)
			// Only an empty stdin is a usage error: no token was given.
			if empty := strings.TrimSpace(in) == ""; empty != (code == exitUsage) || !empty && !c.codes[code] {
				t.Fatalf("%s: exit code %d: %s", c.args[0], code, stderr)
			}
			checkStderr(t, c.args, result{code: code, stderr: stderr})
		}
	})
}
