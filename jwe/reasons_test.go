package jwe_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/jwe"
)

// Tokens refused for an algorithm outside the allow-list say which, still
// matching keyseal.ErrMalformed, and never show key material; a token
// without "kid" is malformed (MIGRATING.md, exit code 6 in the CLI).
func TestRefusalsSayWhy(t *testing.T) {
	c, ring, _ := newCodec(t, "")
	k := ring.Primary(t0)
	kid := strconv.FormatUint(uint64(k.ID()), 10)
	gcmKey, _ := k.JWEKey(jwe.A256GCM)
	cbcKey, _ := k.JWEKey(jwe.A256CBCHS512)
	claims := `{"iat":` + strconv.FormatInt(t0.Unix(), 10) + `,"exp":` + strconv.FormatInt(t0.Unix()+60, 10) + `}`
	header := func(h string) string {
		return base64.RawURLEncoding.EncodeToString([]byte(h)) + "..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA"
	}
	for _, tc := range []struct {
		name, token, want string
	}{
		{"RSA-OAEP", header(`{"alg":"RSA-OAEP","enc":"A256GCM","kid":"` + kid + `"}`), `unsupported alg "RSA-OAEP"`},
		{"A256KW", strings.Replace(header(`{"alg":"A256KW","enc":"A256GCM","kid":"`+kid+`"}`), "..", "."+strings.Repeat("A", 54)+".", 1), `unsupported alg "A256KW"`},
		{"alg none", header(`{"alg":"none","enc":"A256GCM","kid":"` + kid + `"}`), `unsupported alg "none"`},
		{"A128GCM", seal(t, gcmKey[:16], jose.A128GCM, kid, false, nil, claims), `enc "A128GCM" not allowed`},
		{"other enc", seal(t, cbcKey, jose.A256CBC_HS512, kid, false, nil, claims), `token enc A256CBC-HS512 but this codec uses A256GCM`},
		{"long enc", header(`{"alg":"dir","enc":"` + strings.Repeat("x", 100) + `","kid":"1"}`), `enc "xxxxxxxxxxxxxxxx..." not allowed`},
		{"no kid", seal(t, gcmKey, jose.A256GCM, "", false, nil, claims), `no "kid" header`},
		{"tag moved", moveToTag(t, seal(t, gcmKey, jose.A256GCM, kid, false, nil, claims), 1), "IV or tag of the wrong length for A256GCM"},
	} {
		_, _, err := c.Open(tc.token)
		if !errors.Is(err, keyseal.ErrMalformed) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want ErrMalformed saying %s", tc.name, err, tc.want)
			continue
		}
		for _, key := range [][]byte{gcmKey, cbcKey} {
			if msg := err.Error(); strings.Contains(msg, fmt.Sprintf("%x", key[:4])) ||
				strings.Contains(msg, base64.RawURLEncoding.EncodeToString(key[:6])) {
				t.Errorf("%s: %q shows key material", tc.name, msg)
			}
		}
	}
}

// moveToTag moves n bytes from the end of the ciphertext to the tag.
func moveToTag(t *testing.T, tok string, n int) string {
	t.Helper()
	p := strings.Split(tok, ".")
	ct, _ := base64.RawURLEncoding.DecodeString(p[3])
	tag, _ := base64.RawURLEncoding.DecodeString(p[4])
	tag = append(append([]byte(nil), ct[len(ct)-n:]...), tag...)
	p[3] = base64.RawURLEncoding.EncodeToString(ct[:len(ct)-n])
	p[4] = base64.RawURLEncoding.EncodeToString(tag)
	return strings.Join(p, ".")
}
