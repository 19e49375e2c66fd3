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

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/derive"
	"github.com/keyseal/keyseal/keyring"
)

func TestJWKExportImport(t *testing.T) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	k := ring.Primary(time.Now())
	data, err := keyring.ExportJWK(k, keyring.EncA256GCM)
	if err != nil {
		t.Fatal(err)
	}
	var j map[string]string
	if err := json.Unmarshal(data, &j); err != nil {
		t.Fatal(err)
	}
	want := k.Derive(derive.JWEPurpose(keyring.EncA256GCM), 32)
	if j["kty"] != "oct" || j["kid"] != fmt.Sprint(k.ID()) || j["alg"] != "dir" || j["use"] != "enc" ||
		j["k"] != base64.RawURLEncoding.EncodeToString(want) {
		t.Fatalf("jwk %s", data)
	}
	cbc, err := keyring.ExportJWK(k, keyring.EncA256CBCHS512)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(cbc, []byte(j["k"])) {
		t.Fatal("A256CBC-HS512 key shares material with the A256GCM key")
	}

	imp, err := keyring.ImportJWK(data, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if imp.ID() != k.ID() || imp.Algorithm() != keyring.A256GCMDirect || imp.State() != keyring.Active {
		t.Fatalf("imported %v", imp)
	}
	got, err := imp.JWEKey(keyring.EncA256GCM)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("imported key differs: %v", err)
	}
	if _, err := imp.JWEKey(keyring.EncA256CBCHS512); !errors.Is(err, keyring.ErrJWE) {
		t.Fatalf("direct key used for CBC: %v", err)
	}
	again, err := keyring.ExportJWK(imp, keyring.EncA256GCM)
	if err != nil || !bytes.Equal(again, data) {
		t.Fatalf("re-export differs: %s %v", again, err)
	}
	if s := fmt.Sprintf("%v %+v %#v %s", imp, imp, imp, imp); strings.Contains(s, j["k"]) || !strings.Contains(s, "REDACTED") {
		t.Fatalf("imported key prints its secret: %s", s)
	}
	if _, err := keyring.ImportJWK(cbc, time.Now()); !errors.Is(err, keyring.ErrSecretLength) {
		t.Fatalf("64-byte key: %v", err)
	}
}

// Members ImportJWK does not know are ignored (RFC 7517), objects
// included, whatever names they hold.
func TestImportJWKIgnoresUnknownMembers(t *testing.T) {
	k := base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	for _, extra := range []string{
		`"x-meta":{"Alg":"RS256","Kid":"vault-7"}`,
		`"x-meta":[{"K":"v","KTY":"x"}]`,
		`"key_ops":["encrypt","decrypt"],"ext":true`,
	} {
		if _, err := keyring.ImportJWK([]byte(`{"kty":"oct","kid":"1","k":"`+k+`",`+extra+`}`), time.Now()); err != nil {
			t.Errorf("%s: %v", extra, err)
		}
	}
}

func TestImportJWKErrors(t *testing.T) {
	k := base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	for in, want := range map[string]error{
		`{"kty":"RSA","kid":"1","k":"` + k + `"}`: keyring.ErrJWK,
		`{"kty":"oct","kid":"x","k":"` + k + `"}`: keyring.ErrJWK,
		`{"kty":"oct","kid":"0","k":"` + k + `"}`: keyring.ErrZeroID,
		// The jwe codec reads only canonical kids: a JWK imported as "07"
		// would name a key whose tokens never open.
		`{"kty":"oct","kid":"07","k":"` + k + `"}`:              keyring.ErrJWK,
		`{"kty":"oct","kid":"4294967296","k":"` + k + `"}`:      keyring.ErrJWK,
		`{"kty":"oct","kid":"1","use":"sig","k":"` + k + `"}`:   keyring.ErrJWK,
		`{"kty":"oct","kid":"1","alg":"HS256","k":"` + k + `"}`: keyring.ErrJWK,
		`{"kty":"oct","kid":"1","k":"` + k + `=="}`:             keyring.ErrSecretLength,
		`{"kty":"oct","kid":"1","k":"AAAA"}`:                    keyring.ErrSecretLength,
		// Strict base64 decoding still skips CR and LF.
		`{"kty":"oct","kid":"1","k":"` + k[:20] + `\n` + k[20:] + `"}`: keyring.ErrSecretLength,
		`{"kty":"oct","kid":"1","k":"` + k[:20] + `\r` + k[20:] + `"}`: keyring.ErrSecretLength,
		`{"kty":"oct","kid":"1","kid":"2","k":"` + k + `"}`:            keyring.ErrSyntax,
		`{"kty":"oct","kid":"1","K":"AAAA","k":"` + k + `"}`:           keyring.ErrSyntax,
		`{"kty":"oct","kid":"1","KID":"2","k":"` + k + `"}`:            keyring.ErrSyntax,
		// Member names are case-sensitive (RFC 7517): "KTY" is not "kty".
		`{"KTY":"oct","KID":"1","K":"` + k + `"}`:             keyring.ErrSyntax,
		`{"kty":"oct","Kid":"1","k":"` + k + `"}`:             keyring.ErrSyntax,
		`{"kty":"oct","kid":"1","\u212a":"` + k + `"}`:        keyring.ErrSyntax,
		`{"kty":"oct","kid":"1","Use":"enc","k":"` + k + `"}`: keyring.ErrSyntax,
		`{"kty":"oct"`: keyring.ErrSyntax,
		`{"kty":"oct","kid":"1","k":"` + k + `"} {}`: keyring.ErrSyntax,
		strings.Repeat(" ", 2000):                    keyring.ErrJWK,
	} {
		_, err := keyring.ImportJWK([]byte(in), time.Now())
		if !errors.Is(err, want) {
			t.Errorf("%.60s: got %v, want %v", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), k[:10]) {
			t.Errorf("error reveals key material: %v", err)
		}
	}
}

// A ring holding an imported JWE key is refused by the native codec: the
// key's secret belongs to another stack and keys only JWE tokens.
func TestNativeCodecRefusesDirectKeys(t *testing.T) {
	k, err := keyring.NewKey(9, keyring.A256GCMDirect, make([]byte, 32), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ring, err := keyring.New(k)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := codec.New(ring, "s", codec.Config{}); err == nil || !strings.Contains(err.Error(), "jwe-a256gcm") {
		t.Fatalf("native codec accepted a jwe-a256gcm key: %v", err)
	}
}

func ExampleExportJWK() {
	k, _ := keyring.NewKey(42, keyring.XChaCha20Poly1305, make([]byte, 32), time.Unix(0, 0))
	data, _ := keyring.ExportJWK(k, keyring.EncA256GCM) // key material: handle like the keyring
	imported, _ := keyring.ImportJWK(data, time.Unix(0, 0))
	fmt.Println(imported)
	// Output: keyring.Key{id=42 alg=jwe-a256gcm state=active secret=REDACTED}
}

// Imported keys survive the keyring file format.
func TestDirectKeyInFile(t *testing.T) {
	k, err := keyring.NewKey(77, keyring.A256GCMDirect, bytes.Repeat([]byte{5}, 32), time.Unix(1e9, 0))
	if err != nil {
		t.Fatal(err)
	}
	ring, _ := keyring.New(k)
	data, err := keyring.MarshalFile(ring)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"jwe-a256gcm"`)) {
		t.Fatalf("file %s", data)
	}
	back, err := keyring.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := back.Key(77)
	a, _ := got.JWEKey(keyring.EncA256GCM)
	if got.Algorithm() != keyring.A256GCMDirect || !bytes.Equal(a, bytes.Repeat([]byte{5}, 32)) {
		t.Fatalf("read back %v", got)
	}
}
