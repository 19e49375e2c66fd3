package fuzz

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// keyringSentinels are the errors Parse may wrap.
var keyringSentinels = []error{
	keyring.ErrUnknownAlgorithm, keyring.ErrUnknownState, keyring.ErrNotFound,
	keyring.ErrDuplicateID, keyring.ErrZeroID, keyring.ErrNoPrimary, keyring.ErrManyPrimaries,
	keyring.ErrSecretLength, keyring.ErrRetirePrimary, keyring.ErrRetired, keyring.ErrActivation,
	keyring.ErrTooManyKeys, keyring.ErrSyntax, keyring.ErrVersion, keyring.ErrTooLarge,
	keyring.ErrNoSource, keyring.ErrNilKey, keyring.ErrJWE, keyring.ErrJWK,
}

var secretField = regexp.MustCompile(`"secret"\s*:\s*"([^"]*)"`)

func keyringSeeds(tb testing.TB) [][]any {
	valid, err := keyring.MarshalFile(fixtureRing(tb))
	if err != nil {
		tb.Fatal(err)
	}
	r, _, err := fixtureRing(tb).Add(keyring.AES256GCM, now.Add(time.Hour))
	if err != nil {
		tb.Fatal(err)
	}
	scheduled, err := keyring.MarshalFile(r)
	if err != nil {
		tb.Fatal(err)
	}
	s := string(valid)
	variants := []string{
		s,
		string(scheduled),
		"",
		"{}",
		"null",
		`{"version":1,"keys":[]}`,
		strings.Replace(s, `"version": 1`, `"version": 2`, 1),
		strings.Replace(s, `"version": 1`, `"version": 1, "version": 1`, 1),
		strings.Replace(s, `"state": "active"`, `"state": "primary"`, 1),
		strings.Replace(s, `"state": "primary"`, `"state": "retired"`, 1),
		strings.Replace(s, `"algorithm": "aes256gcm"`, `"algorithm": "rot13"`, 1),
		strings.Replace(s, `"id": 7`, `"id": 9`, 1),
		strings.Replace(s, `"id": 7`, `"id": 0`, 1),
		strings.Replace(s, `"id": 7`, `"id": -7`, 1),
		strings.Replace(s, `"secret": "`, `"secret": "AA`, 1),
		strings.Replace(s, `"created"`, `"colour": "red", "created"`, 1),
		s + "{}",
		// Parse used to accept times that leave years 0..9999 in UTC,
		// which MarshalFile cannot write.
		strings.Replace(s, `"created": "2026-03-01T11:00:00Z"`, `"created": "0000-01-01T00:30:00+01:00"`, 1),
		strings.Replace(s, `"created": "2026-03-01T11:00:00Z"`, `"created": "9999-12-31T23:30:00-01:00"`, 1),
		s[:len(s)/2],
	}
	var out [][]any
	for _, v := range variants {
		out = append(out, []any{[]byte(v)})
	}
	return out
}

// FuzzKeyringParse: Parse never panics; its errors are *FileError wrapping
// a keyring sentinel and never quote a secret; a ring it accepts survives
// MarshalFile and Parse unchanged.
func FuzzKeyringParse(f *testing.F) {
	addSeeds(f, "FuzzKeyringParse")
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := keyring.Parse(data)
		if err != nil {
			var fe *keyring.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Parse error %q (%T) is not a *FileError", err, err)
			}
			sentinel(t, err, keyringSentinels)
			// A secret must not reach the error; a string that is also
			// written elsewhere in the file (as an algorithm name, say) may.
			secrets := secretField.FindAllSubmatch(data, -1)
			for _, m := range secrets {
				n := 0
				for _, o := range secrets {
					if bytes.Equal(o[1], m[1]) {
						n++
					}
				}
				if len(m[1]) >= 8 && bytes.Count(data, m[1]) == n && strings.Contains(err.Error(), string(m[1])) {
					t.Fatalf("Parse error %q quotes a secret", err)
				}
			}
			return
		}
		out, err := keyring.MarshalFile(r)
		if err != nil {
			t.Fatalf("MarshalFile of a parsed ring: %v", err)
		}
		r2, err := keyring.Parse(out)
		if err != nil {
			t.Fatalf("Parse(MarshalFile(Parse(data))): %v\n%s", err, out)
		}
		out2, err := keyring.MarshalFile(r2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("the ring changed through MarshalFile and Parse (%v):\n%s\n%s", err, out, out2)
		}
		if r.Len() != r2.Len() || r.Primary(now).ID() != r2.Primary(now).ID() {
			t.Fatalf("ring of %d keys came back with %d", r.Len(), r2.Len())
		}
	})
}
