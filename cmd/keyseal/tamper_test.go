package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keyseal/keyseal/keyring"
)

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// allowedTamperCodes is what opening a token with the character at index i
// changed may exit with: authentication failure or malformed token, and
// unknown key where the character encodes bits of the key ID (header bytes
// 2 to 5), which is read before authentication.
func allowedTamperCodes(i int) map[int]bool {
	allowed := map[int]bool{exitAuth: true, exitMalformed: true}
	first, last := 6*i/8, (6*i+5)/8
	if first <= 5 && last >= 2 {
		allowed[exitKey] = true
	}
	return allowed
}

// TestTamperBinary changes every character of a token, one at a time,
// and opens each result with the binary.
func TestTamperBinary(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	s.ok("", "keyring", "new", "--out", ring)
	token := s.ok("hi", "seal", "--keyring", ring, "--name", "session")
	s.ok(token, "open", "--keyring", ring, "--name", "session")
	for i := range token {
		b := []byte(token)
		b[i] = alphabet[(strings.IndexByte(alphabet, b[i])+1)%len(alphabet)]
		r := s.run(string(b), "open", "--keyring", ring, "--name", "session")
		if !allowedTamperCodes(i)[r.code] {
			t.Errorf("character %d changed: exit code %d (%s)", i, r.code, strings.TrimSpace(r.stderr))
		}
	}
}

// TestTamperEveryCharacter replaces every character of a token with every
// other base64url character and a few outside the alphabet, for each
// algorithm, through run in-process.
func TestTamperEveryCharacter(t *testing.T) {
	for _, alg := range []keyring.Algorithm{keyring.XChaCha20Poly1305, keyring.AES256GCM, keyring.HMACSHA256} {
		t.Run(alg.String(), func(t *testing.T) {
			r, err := keyring.Generate(alg)
			if err != nil {
				t.Fatal(err)
			}
			data, err := keyring.MarshalFile(r)
			if err != nil {
				t.Fatal(err)
			}
			env := func(k string) string {
				if k == keyring.EnvVar {
					return string(data)
				}
				return ""
			}
			token, code, stderr := runIn("hi", env, "seal", "--name", "session")
			if code != exitOK {
				t.Fatalf("seal: %d %s", code, stderr)
			}
			token = strings.TrimSpace(token)
			for i := range token {
				allowed := allowedTamperCodes(i)
				for _, c := range []byte(alphabet + "=.+/~\x00\xff") {
					if c == token[i] {
						continue
					}
					b := []byte(token)
					b[i] = c
					_, code, stderr := runIn(string(b), env, "open", "--name", "session")
					inAlphabet := strings.IndexByte(alphabet, c) >= 0
					if !inAlphabet && code != exitMalformed || inAlphabet && !allowed[code] {
						t.Fatalf("character %d set to %q: exit code %d (%s)", i, c, code, stderr)
					}
				}
			}
		})
	}
}

// runIn runs keyseal in-process and returns its stdout, exit code and
// stderr.
func runIn(stdin string, getenv func(string) string, args ...string) (string, int, string) {
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb, getenv)
	return out.String(), code, errb.String()
}
