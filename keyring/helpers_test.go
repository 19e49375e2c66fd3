package keyring_test

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// secrets returns every key's secret, read back from the keyring file
// format: the one public way a secret leaves the package.
func secrets(t testing.TB, r *keyring.Ring) map[uint32][]byte {
	t.Helper()
	data, err := keyring.MarshalFile(r)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Keys []struct {
			ID     uint32 `json:"id"`
			Secret string `json:"secret"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	out := make(map[uint32][]byte, len(f.Keys))
	for _, k := range f.Keys {
		b, err := base64.StdEncoding.DecodeString(k.Secret)
		if err != nil || len(b) != keyring.SecretSize {
			t.Fatalf("key %d: secret %d bytes, err %v", k.ID, len(b), err)
		}
		out[k.ID] = b
	}
	return out
}

// secretForms returns the ways a secret could show up in text: base64
// (standard and URL, padded or not), hex (either case), the raw bytes, and
// fmt's rendering of a byte slice.
func secretForms(secret []byte) []string {
	return []string{
		base64.StdEncoding.EncodeToString(secret),
		base64.URLEncoding.EncodeToString(secret),
		base64.RawStdEncoding.EncodeToString(secret),
		base64.RawURLEncoding.EncodeToString(secret),
		hex.EncodeToString(secret),
		strings.ToUpper(hex.EncodeToString(secret)),
		string(secret),
		fmt.Sprint(secret),
		fmt.Sprintf("%v", [keyring.SecretSize]byte(secret)),
		strings.Trim(fmt.Sprint(secret), "[]"),
	}
}

// assertNoSecret fails the test if text holds any form of any secret.
func assertNoSecret(t testing.TB, what, text string, secrets map[uint32][]byte) {
	t.Helper()
	for id, s := range secrets {
		for i, form := range secretForms(s) {
			if strings.Contains(text, form) {
				t.Errorf("%s shows the secret of key %d (form %d): %q", what, id, i, text)
			}
		}
	}
}

// eventually polls cond until it holds, failing the test after a generous
// deadline. It keeps tests free of fixed sleeps.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// snapshot describes everything observable about a ring, secrets included,
// so a test can check that an operation left its receiver unchanged.
func snapshot(t testing.TB, r *keyring.Ring) string {
	t.Helper()
	data, err := keyring.MarshalFile(r)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.Write(data)
	for _, k := range r.Keys() {
		fmt.Fprintf(&b, "%d %s %s %s|", k.ID(), k.State(), k.Algorithm(), k.ActivateAt())
	}
	fmt.Fprintf(&b, "len=%d primary=%d", r.Len(), r.Primary(time.Now()).ID())
	return b.String()
}

// states lists a ring's key states in ring order, e.g. "active primary".
func states(r *keyring.Ring) string {
	var s []string
	for _, k := range r.Keys() {
		s = append(s, k.State().String())
	}
	return strings.Join(s, " ")
}

// writeRing writes r to path with WriteFile, failing the test on error.
func writeRing(t testing.TB, path string, r *keyring.Ring) {
	t.Helper()
	if err := keyring.WriteFile(path, r); err != nil {
		t.Fatal(err)
	}
}

// writeRaw writes data to path atomically (temp file and rename), as a
// deploy tool would, so a watcher never sees half a file.
func writeRaw(t testing.TB, path, data string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), ".raw-tmp")
	if err := os.WriteFile(tmp, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// mustGenerate generates a ring, failing the test on error.
func mustGenerate(t testing.TB, alg keyring.Algorithm) *keyring.Ring {
	t.Helper()
	r, err := keyring.Generate(alg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// mustAdd adds a key, failing the test on error.
func mustAdd(t testing.TB, r *keyring.Ring, activateAt time.Time) (*keyring.Ring, *keyring.Key) {
	t.Helper()
	nr, k, err := r.Add(keyring.DefaultAlgorithm, activateAt)
	if err != nil {
		t.Fatal(err)
	}
	return nr, k
}
