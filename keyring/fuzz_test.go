package keyring_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

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

// FuzzImportJWK feeds hostile JWKs to ImportJWK: it must never panic,
// every error must wrap one of its documented sentinels and quote no key
// material, and every key it accepts must be an active A256GCM key whose
// ID is its "kid", exported again to the same secret.
func FuzzImportJWK(f *testing.F) {
	k := base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	for _, s := range []string{
		`{"kty":"oct","kid":"1","k":"` + k + `"}`,
		`{"kty":"oct","kid":"4294967295","use":"enc","alg":"A256GCM","k":"` + k + `"}`,
		`{"kty":"oct","kid":"07","k":"` + k + `"}`,
		`{"kty":"oct","kid":"1","KID":"2","k":"` + k + `"}`,
		`{"kty":"oct","kid":"1","k":"` + k + `=="}`,
		`{"kty":"RSA"}`,
		`{"kty":"oct"} {}`,
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := keyring.ImportJWK(data, time.Unix(1_800_000_000, 0))
		if err != nil {
			if key != nil {
				t.Fatal("ImportJWK returned a key with an error")
			}
			if !errors.Is(err, keyring.ErrJWK) && !errors.Is(err, keyring.ErrSyntax) &&
				!errors.Is(err, keyring.ErrZeroID) && !errors.Is(err, keyring.ErrSecretLength) {
				t.Fatalf("error %q wraps no documented sentinel", err)
			}
			if !strings.HasPrefix(err.Error(), "keyring: ") {
				t.Fatalf("error %q", err)
			}
			return
		}
		if key.Algorithm() != keyring.A256GCMDirect || key.State() != keyring.Active || key.ID() == 0 {
			t.Fatalf("imported %v", key)
		}
		out, err := keyring.ExportJWK(key, keyring.EncA256GCM)
		if err != nil {
			t.Fatal(err)
		}
		back, err := keyring.ImportJWK(out, key.Created())
		if err != nil || back.ID() != key.ID() || back.Fingerprint() != key.Fingerprint() {
			t.Fatalf("export and import again: %v, %v", back, err)
		}
		var exported struct{ K string }
		if err := json.Unmarshal(out, &exported); err != nil || len(exported.K) < 20 {
			t.Fatalf("exported %s: %v", out, err)
		}
		if shown := fmt.Sprintf("%v %+v %#v %s", key, key, key, key); strings.Contains(shown, exported.K[:20]) {
			t.Fatalf("the key's formatting shows its secret: %s", shown)
		}
	})
}
