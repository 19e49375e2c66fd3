package keyring_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

// richRing has every kind of key: a primary, an active key, a scheduled
// key, a retired key, and all three algorithms.
func richRing(t *testing.T) *keyring.Ring {
	t.Helper()
	r := mustGenerate(t, keyring.AES256GCM)
	old := r.Primary(time.Now())
	r, next, err := r.Add(keyring.XChaCha20Poly1305, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if r, err = r.Promote(next.ID()); err != nil {
		t.Fatal(err)
	}
	if r, err = r.Retire(old.ID()); err != nil {
		t.Fatal(err)
	}
	if r, _, err = r.Add(keyring.HMACSHA256, time.Time{}); err != nil {
		t.Fatal(err)
	}
	r, _ = mustAdd(t, r, time.Now().Add(time.Hour).Round(time.Millisecond))
	return r
}

func TestFileRoundTrip(t *testing.T) {
	r := richRing(t)
	data, err := keyring.MarshalFile(r)
	if err != nil {
		t.Fatal(err)
	}
	back, err := keyring.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	again, err := keyring.MarshalFile(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatalf("round trip changed the file:\n%s\n%s", data, again)
	}
	if snapshot(t, back) != snapshot(t, r) {
		t.Fatal("round trip changed the ring")
	}
	for _, k := range r.Keys() {
		b, _ := back.Key(k.ID())
		if b.Fingerprint() != k.Fingerprint() || !b.Created().Equal(k.Created()) || !b.ActivateAt().Equal(k.ActivateAt()) {
			t.Errorf("key %d changed: %v -> %v", k.ID(), k, b)
		}
	}
	if _, err := keyring.MarshalFile(nil); !errors.Is(err, keyring.ErrNoPrimary) {
		t.Errorf("MarshalFile(nil) error %v", err)
	}
	if err := keyring.WriteFile(filepath.Join(t.TempDir(), "k.json"), nil); !errors.Is(err, keyring.ErrNoPrimary) {
		t.Errorf("WriteFile(nil) error %v", err)
	}
	if !bytes.Contains(data, []byte(`"version": 1`)) || !bytes.HasSuffix(data, []byte("}\n")) {
		t.Errorf("unexpected file layout:\n%s", data)
	}
}

func TestWriteFileAndReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keyring.json")
	// An existing file with loose permissions is replaced by a 0600 one.
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := richRing(t)
	writeRing(t, path, r)

	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode(); mode != 0o600 {
		t.Errorf("mode %v, want -rw-------", mode)
	}
	want, _ := keyring.MarshalFile(r)
	if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
		t.Error("the file does not hold MarshalFile's bytes")
	}
	assertOnlyFiles(t, dir, "keyring.json")

	back, err := keyring.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if snapshot(t, back) != snapshot(t, r) {
		t.Error("ReadFile gave another ring")
	}

	_, err = keyring.ReadFile(filepath.Join(dir, "missing.json"))
	var fe *keyring.FileError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &fe) || fe.Path != filepath.Join(dir, "missing.json") {
		t.Errorf("ReadFile(missing) error %v", err)
	}

	// Parse errors from ReadFile name the path.
	bad := filepath.Join(dir, "bad.json")
	writeRaw(t, bad, `{"version": 1, "keys": []}`)
	_, err = keyring.ReadFile(bad)
	if !errors.Is(err, keyring.ErrNoPrimary) || !errors.As(err, &fe) || fe.Path != bad || !strings.Contains(err.Error(), bad) {
		t.Errorf("ReadFile(bad) error %v", err)
	}
	// Too large is caught while reading, before parsing.
	big := filepath.Join(dir, "big.json")
	writeRaw(t, big, strings.Repeat(" ", keyring.MaxFileSize+1))
	if _, err = keyring.ReadFile(big); !errors.Is(err, keyring.ErrTooLarge) || !errors.As(err, &fe) || fe.Path != big {
		t.Errorf("ReadFile(big) error %v", err)
	}
}

// assertOnlyFiles checks that dir holds exactly the named entries: no
// temporary file is left behind.
func assertOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("directory holds %v, want %v", got, names)
	}
}

func TestWriteFileFailureLeavesOldFile(t *testing.T) {
	r := richRing(t)

	t.Run("rename fails", func(t *testing.T) {
		// The target is a non-empty directory: the temporary file is
		// written, the rename fails, and nothing changes.
		dir := t.TempDir()
		target := filepath.Join(dir, "keyring.json")
		if err := os.Mkdir(target, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(target, "old"), []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		err := keyring.WriteFile(target, r)
		var fe *keyring.FileError
		if err == nil || !errors.As(err, &fe) || fe.Path != target {
			t.Fatalf("WriteFile over a directory: %v", err)
		}
		assertOnlyFiles(t, dir, "keyring.json")
		assertOnlyFiles(t, target, "old")
		assertNoSecret(t, "error", err.Error(), secrets(t, r))
	})

	t.Run("missing directory", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "nope", "keyring.json")
		if err := keyring.WriteFile(path, r); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("WriteFile into a missing directory: %v", err)
		}
	})

	t.Run("unwritable directory", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root writes into read-only directories")
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "keyring.json")
		old := mustGenerate(t, keyring.DefaultAlgorithm)
		writeRing(t, path, old)
		before, _ := os.ReadFile(path)
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		if err := keyring.WriteFile(path, r); !errors.Is(err, fs.ErrPermission) {
			t.Fatalf("WriteFile into a read-only directory: %v", err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Error("a failed write changed the old file")
		}
		assertOnlyFiles(t, dir, "keyring.json")
	})
}

// keyJSON is one key of a test keyring file. Fields left empty are filled
// with valid values; extra is spliced in verbatim.
type keyJSON struct {
	id     uint32
	alg    string
	state  string
	secret string
	extra  string
}

func (k keyJSON) String() string {
	if k.alg == "" {
		k.alg = "xchacha20poly1305"
	}
	if k.secret == "" {
		k.secret = base64.StdEncoding.EncodeToString(testkit.Secret(k.id))
	}
	return fmt.Sprintf(`{"id": %d, "algorithm": %q, "state": %q, "secret": %q, "created": "2026-01-02T03:04:05Z"%s}`,
		k.id, k.alg, k.state, k.secret, k.extra)
}

// fileJSON is a test keyring file of version 1 with the given keys.
func fileJSON(keys ...keyJSON) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.String()
	}
	return `{"version": 1, "keys": [` + strings.Join(parts, ",\n") + "]}"
}

func TestParseValid(t *testing.T) {
	r, err := keyring.Parse([]byte(fileJSON(
		keyJSON{id: 1, state: "primary"},
		keyJSON{id: 2, state: "active", alg: "aes256gcm", extra: `, "activate_at": "2030-01-01T00:00:00+02:00"`},
		keyJSON{id: 3, state: "retired", alg: "hmacsha256", extra: `, "activate_at": null`},
	)))
	if err != nil {
		t.Fatal(err)
	}
	if got := states(r); got != "primary active retired" {
		t.Fatalf("states %s", got)
	}
	k, _ := r.Key(2)
	if want := time.Date(2029, 12, 31, 22, 0, 0, 0, time.UTC); !k.ActivateAt().Equal(want) || k.ActivateAt().Location() != time.UTC {
		t.Errorf("activate_at read as %v", k.ActivateAt())
	}
	if got := secrets(t, r)[3]; !bytes.Equal(got, testkit.Secret(3)) {
		t.Error("secret read wrongly")
	}
	if k, _ := r.Key(1); !k.Created().Equal(testkit.Epoch) {
		t.Errorf("created read as %v", k.Created())
	}
}

func TestParseErrors(t *testing.T) {
	p := keyJSON{id: 1, state: "primary"}
	a := keyJSON{id: 2, state: "active"}
	sec := func(n int) string { return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0xA7}, n)) }
	secret2 := base64.StdEncoding.EncodeToString(testkit.Secret(2))
	manyKeys := []keyJSON{p}
	for id := uint32(2); id <= keyring.MaxKeys+1; id++ {
		manyKeys = append(manyKeys, keyJSON{id: id, state: "active", secret: secret2})
	}
	valid := fileJSON(p, a)

	for _, c := range []struct {
		name string
		data string
		want error
		id   uint32 // the key the error must name, or 0 for none
	}{
		{"empty", "", keyring.ErrSyntax, 0},
		{"not JSON", "secret=" + secret2, keyring.ErrSyntax, 0},
		{"truncated", valid[:len(valid)/2], keyring.ErrSyntax, 0},
		{"array", "[" + valid + "]", keyring.ErrSyntax, 0},
		{"unknown field in key", fileJSON(p, keyJSON{id: 2, state: "active", extra: `, "colour": "red"`}), keyring.ErrSyntax, 0},
		{"unknown top-level field", `{"version": 1, "comment": "x", "keys": [` + p.String() + "]}", keyring.ErrSyntax, 0},
		{"repeated secret", fileJSON(p, keyJSON{id: 2, state: "active", extra: `, "secret": "` + sec(32) + `"`}), keyring.ErrSyntax, 0},
		{"repeated id", fileJSON(p, keyJSON{id: 2, state: "active", extra: `, "id": 3`}), keyring.ErrSyntax, 0},
		{"repeated version", `{"version": 1, "version": 1, "keys": [` + p.String() + "]}", keyring.ErrSyntax, 0},
		{"repeated keys", `{"version": 1, "keys": [], "keys": [` + p.String() + "]}", keyring.ErrSyntax, 0},
		// encoding/json matches names without regard to case, so these are
		// repeats too; a case-sensitive reader would see other values.
		{"repeated secret in capitals", fileJSON(p, keyJSON{id: 2, state: "active", extra: `, "SECRET": "` + sec(32) + `"`}), keyring.ErrSyntax, 0},
		{"repeated secret with a long s", fileJSON(p, keyJSON{id: 2, state: "active", extra: `, "\u017fecret": "` + sec(32) + `"`}), keyring.ErrSyntax, 0},
		{"repeated id in capitals", fileJSON(p, keyJSON{id: 2, state: "active", extra: `, "Id": 3`}), keyring.ErrSyntax, 0},
		{"repeated keys in capitals", `{"version": 1, "keys": [` + p.String() + `], "Keys": []}`, keyring.ErrSyntax, 0},
		// Nor may a name be spelled otherwise when it is not repeated: a
		// case-sensitive reader would see no secret, state or keys at all.
		{"secret in capitals", strings.Replace(valid, `"secret"`, `"SECRET"`, 1), keyring.ErrSyntax, 0},
		{"state with a capital", strings.Replace(valid, `"state"`, `"State"`, 1), keyring.ErrSyntax, 0},
		{"secret with a long s", strings.Replace(valid, `"secret"`, `"\u017fecret"`, 1), keyring.ErrSyntax, 0},
		{"keys with a Kelvin sign", strings.Replace(valid, `"keys"`, `"\u212aeys"`, 1), keyring.ErrSyntax, 0},
		{"version in capitals", strings.Replace(valid, `"version"`, `"VERSION"`, 1), keyring.ErrSyntax, 0},
		{"activate_at in capitals", fileJSON(p, keyJSON{id: 2, state: "active", extra: `, "ACTIVATE_AT": "2030-01-01T00:00:00Z"`}), keyring.ErrSyntax, 0},
		{"trailing object", valid + "{}", keyring.ErrSyntax, 0},
		{"trailing garbage", valid + " x", keyring.ErrSyntax, 0},
		{"trailing brace", valid + "}", keyring.ErrSyntax, 0},
		{"id is a string", strings.Replace(valid, `"id": 2`, `"id": "2"`, 1), keyring.ErrSyntax, 0},
		{"id overflows", strings.Replace(valid, `"id": 2`, `"id": 4294967296`, 1), keyring.ErrSyntax, 0},
		{"id negative", strings.Replace(valid, `"id": 2`, `"id": -2`, 1), keyring.ErrSyntax, 0},
		{"secret is a number", strings.Replace(valid, `"`+secret2+`"`, `12345`, 1), keyring.ErrSyntax, 0},
		{"bad created time", strings.Replace(valid, `"2026-01-02T03:04:05Z"}`, `"`+secret2+`"}`, 1), keyring.ErrSyntax, 0},
		{"keys not an array", `{"version": 1, "keys": {}}`, keyring.ErrSyntax, 0},
		{"duplicate IDs", fileJSON(p, a, keyJSON{id: 2, state: "retired"}), keyring.ErrDuplicateID, 2},
		{"zero ID", fileJSON(p, keyJSON{id: 0, state: "active"}), keyring.ErrZeroID, 0},
		{"missing ID", strings.Replace(valid, `"id": 2, `, ``, 1), keyring.ErrZeroID, 0},
		{"no keys", `{"version": 1, "keys": []}`, keyring.ErrNoPrimary, 0},
		{"no keys field", `{"version": 1}`, keyring.ErrNoPrimary, 0},
		{"no primary", fileJSON(keyJSON{id: 1, state: "active"}, a), keyring.ErrNoPrimary, 0},
		{"two primaries", fileJSON(p, keyJSON{id: 2, state: "primary"}), keyring.ErrManyPrimaries, 2},
		{"short secret", fileJSON(p, keyJSON{id: 2, state: "active", secret: sec(31)}), keyring.ErrSecretLength, 2},
		{"long secret", fileJSON(p, keyJSON{id: 2, state: "active", secret: sec(33)}), keyring.ErrSecretLength, 2},
		{"very long secret", fileJSON(p, keyJSON{id: 2, state: "active", secret: sec(4096)}), keyring.ErrSecretLength, 2},
		{"empty secret", strings.Replace(valid, secret2, ``, 1), keyring.ErrSecretLength, 2},
		{"missing secret", strings.Replace(valid, `"secret": "`+secret2+`", `, ``, 1), keyring.ErrSecretLength, 2},
		{"non-base64 secret", fileJSON(p, keyJSON{id: 2, state: "active", secret: strings.Repeat("*", 44)}), keyring.ErrSecretLength, 2},
		{"unpadded secret", fileJSON(p, keyJSON{id: 2, state: "active", secret: strings.TrimRight(secret2, "=")}), keyring.ErrSecretLength, 2},
		{"URL-alphabet secret", fileJSON(p, keyJSON{id: 2, state: "active", secret: sec(30) + "AA-_"}), keyring.ErrSecretLength, 2},
		{"secret with newline", fileJSON(p, keyJSON{id: 2, state: "active", secret: secret2[:20] + "\n" + secret2[20:]}), keyring.ErrSecretLength, 2},
		{"hex secret", fileJSON(p, keyJSON{id: 2, state: "active", secret: fmt.Sprintf("%x", testkit.Secret(2))}), keyring.ErrSecretLength, 2},
		{"unknown algorithm", fileJSON(p, keyJSON{id: 2, state: "active", alg: "aes128gcm"}), keyring.ErrUnknownAlgorithm, 2},
		{"algorithm in capitals", fileJSON(p, keyJSON{id: 2, state: "active", alg: "XCHACHA20POLY1305"}), keyring.ErrUnknownAlgorithm, 2},
		{"unknown state", fileJSON(p, keyJSON{id: 2, state: "disabled"}), keyring.ErrUnknownState, 2},
		{"missing state", fileJSON(p, keyJSON{id: 2}), keyring.ErrUnknownState, 2},
		{"activate_at on primary", fileJSON(keyJSON{id: 1, state: "primary", extra: `, "activate_at": "2030-01-01T00:00:00Z"`}, a), keyring.ErrActivation, 1},
		// The zero time means "not scheduled" inside a ring: written in a
		// file it would silently cancel a promotion that reads as past.
		{"activate_at at the zero time", fileJSON(p, keyJSON{id: 2, state: "active", extra: `, "activate_at": "0001-01-01T00:00:00Z"`}), keyring.ErrSyntax, 2},
		{"activate_at at the zero time with an offset", fileJSON(p, keyJSON{id: 2, state: "active", extra: `, "activate_at": "0001-01-01T01:00:00+01:00"`}), keyring.ErrSyntax, 2},
		{"activate_at on retired", fileJSON(p, keyJSON{id: 2, state: "retired", extra: `, "activate_at": "2030-01-01T00:00:00Z"`}), keyring.ErrActivation, 2},
		{"version 0", strings.Replace(valid, `"version": 1`, `"version": 0`, 1), keyring.ErrVersion, 0},
		{"version 2", strings.Replace(valid, `"version": 1`, `"version": 2`, 1), keyring.ErrVersion, 0},
		{"no version", strings.Replace(valid, `"version": 1, `, ``, 1), keyring.ErrVersion, 0},
		{"too large", valid + strings.Repeat(" ", keyring.MaxFileSize), keyring.ErrTooLarge, 0},
		{"too many keys", fileJSON(manyKeys...), keyring.ErrTooManyKeys, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := keyring.Parse([]byte(c.data))
			if err == nil {
				t.Fatalf("Parse accepted it: %v", r)
			}
			if r != nil {
				t.Error("Parse returned a ring with an error")
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("error %q, want %v", err, c.want)
			}
			var fe *keyring.FileError
			if !errors.As(err, &fe) || fe.Path != "" {
				t.Errorf("error %v is not a *FileError without a path", err)
			}
			var ke *keyring.KeyError
			switch {
			case c.id != 0 && (!errors.As(err, &ke) || ke.ID != c.id):
				t.Errorf("error %q does not name key %d", err, c.id)
			case c.id != 0 && !strings.Contains(err.Error(), fmt.Sprintf("key %d", c.id)):
				t.Errorf("message %q does not name key %d", err, c.id)
			case c.id == 0 && errors.As(err, &ke):
				t.Errorf("error %q names key %d", err, ke.ID)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "keyring: ") || strings.Count(msg, "keyring: ") != 1 {
				t.Errorf("message %q should start with one \"keyring: \"", msg)
			}
			if len(msg) > 200 {
				t.Errorf("message is %d bytes long", len(msg))
			}
			ids := map[uint32][]byte{}
			for id := uint32(1); id <= 3; id++ {
				ids[id] = testkit.Secret(id)
			}
			ids[99] = bytes.Repeat([]byte{0xA7}, 32)
			assertNoSecret(t, "error", msg, ids)
			for _, s := range []string{secret2, secret2[:16], sec(31), sec(33)[:40]} {
				if strings.Contains(msg, s) {
					t.Errorf("message %q quotes a secret", msg)
				}
			}
		})
	}
}

// A file of countless tiny key objects is refused before it is decoded:
// parsing it must not allocate in proportion to the objects.
func TestParseManyObjectsBounded(t *testing.T) {
	data := `{"version":1,"keys":[` + strings.Repeat(`{},`, 300_000) + `{}]}`
	if len(data) > keyring.MaxFileSize {
		t.Fatalf("test file of %d bytes is over MaxFileSize", len(data))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := keyring.Parse([]byte(data))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, keyring.ErrTooManyKeys) {
		t.Fatalf("Parse: %v, want ErrTooManyKeys", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
		t.Errorf("Parse allocated %d MiB for a %d KiB file", n>>20, len(data)>>10)
	}
}
