package keyring_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/keyseal/keyseal/keyring"
)

// FuzzParse feeds hostile keyring files to Parse: it must never panic,
// every error must be a *FileError starting with "keyring: ", and every
// ring it accepts must survive a MarshalFile/Parse round trip unchanged.
func FuzzParse(f *testing.F) {
	p := keyJSON{id: 1, state: "primary"}
	a := keyJSON{id: 2, state: "active", alg: "aes256gcm", extra: `, "activate_at": "2030-01-01T00:00:00Z"`}
	seeds := []string{
		fileJSON(p),
		fileJSON(p, a, keyJSON{id: 3, state: "retired", alg: "hmacsha256"}),
		fileJSON(p, keyJSON{id: 2, state: "primary"}),
		fileJSON(p, keyJSON{id: 2, state: "active", extra: `, "secret": "x"`}),
		fileJSON(p) + "{}",
		`{"version": 1, "keys": []}`,
		`{"version": 2}`,
		"",
		"[[[[[[[[",
		`{"version": 1, "keys": [{"id": 4294967295, "secret": "=", "created": "x"}]}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := keyring.Parse(data)
		if err != nil {
			var fe *keyring.FileError
			if r != nil || !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), "keyring: ") {
				t.Fatalf("Parse = %v, %v", r, err)
			}
			return
		}
		out, err := keyring.MarshalFile(r)
		if err != nil {
			t.Fatal(err)
		}
		back, err := keyring.Parse(out)
		if err != nil {
			t.Fatalf("MarshalFile wrote a file Parse refuses: %v\n%s", err, out)
		}
		again, _ := keyring.MarshalFile(back)
		if !bytes.Equal(out, again) {
			t.Fatalf("round trip changed the file:\n%s\n%s", out, again)
		}
	})
}
