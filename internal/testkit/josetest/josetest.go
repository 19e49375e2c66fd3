// Package josetest makes JWE tokens with go-jose, as another JOSE
// implementation (Auth.js, a JWT library) would, for the tests of jwe and
// authjs. It is test support only, kept apart from testkit so that the
// keyring and codec tests do not build go-jose.
package josetest

import (
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// Direct encrypts payload with go-jose under "alg":"dir" with key and enc,
// kid in the header unless it is empty, and the options opts (nil for
// none), and returns the compact serialization. It fails the test on error.
func Direct(t testing.TB, key []byte, enc jose.ContentEncryption, kid string, opts *jose.EncrypterOptions, payload string) string {
	t.Helper()
	e, err := jose.NewEncrypter(enc, jose.Recipient{Algorithm: jose.DIRECT, Key: key, KeyID: kid}, opts)
	if err != nil {
		t.Fatalf("josetest: %v", err)
	}
	obj, err := e.Encrypt([]byte(payload))
	if err != nil {
		t.Fatalf("josetest: %v", err)
	}
	s, err := obj.CompactSerialize()
	if err != nil {
		t.Fatalf("josetest: %v", err)
	}
	return s
}
