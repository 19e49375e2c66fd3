package vectors_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/keyseal/keyseal/internal/testkit/vectors"
	"github.com/keyseal/keyseal/keyring"
)

const key1 = `{"id":1,"alg":"aes256gcm","state":"primary","secret":"` +
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" + `"}`

func TestRead(t *testing.T) {
	fsys := fstest.MapFS{
		"b.json":     {Data: []byte(`{"format_version":1,"negative":[{"description":"n","error":"auth"}]}`)},
		"a.json":     {Data: []byte(`{"format_version":1,"positive":[{"description":"p","keys":[` + key1 + `],"iat":5}]}`)},
		"notes.txt":  {Data: []byte("not a vector file")},
		"sub/c.json": {Data: []byte("{}")},
	}
	files, err := vectors.Read(fsys, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Name != "a.json" || files[1].Name != "b.json" ||
		string(files[0].Data) != string(fsys["a.json"].Data) {
		t.Fatalf("Read = %+v", files)
	}
	pos, neg := vectors.All(files)
	if len(pos) != 1 || pos[0].Description != "p" || pos[0].IssuedAt != 5 || pos[0].Keys[0].ID != 1 ||
		len(neg) != 1 || neg[0].Error != "auth" {
		t.Errorf("All = %+v, %+v", pos, neg)
	}
}

func TestReadRejects(t *testing.T) {
	for name, data := range map[string]string{
		"no files":      "",
		"not JSON":      `{"format_version":1,`,
		"other version": `{"format_version":2,"negative":[{"error":"auth"}]}`,
		"no vectors":    `{"format_version":1}`,
	} {
		fsys := fstest.MapFS{}
		if data != "" {
			fsys["v.json"] = &fstest.MapFile{Data: []byte(data)}
		}
		if files, err := vectors.Read(fsys, 1); err == nil {
			t.Errorf("%s: Read = %+v, want an error", name, files)
		}
	}
}

func TestRing(t *testing.T) {
	secret := strings.Repeat("ab", 32)
	keys := []vectors.Key{
		{ID: 2, Alg: "xchacha20poly1305", State: "retired", Secret: secret},
		{ID: 1, Alg: "xchacha20poly1305", State: "primary", Secret: secret},
		{ID: 3, Alg: "xchacha20poly1305", State: "active", Secret: secret},
	}
	r, err := vectors.Ring(keys)
	if err != nil {
		t.Fatal(err)
	}
	want := map[uint32]keyring.State{1: keyring.Primary, 2: keyring.Retired, 3: keyring.Active}
	for id, state := range want {
		if k, ok := r.Key(id); !ok || k.State() != state || k.Created().Unix() != 0 {
			t.Errorf("key %d: %v, %v", id, k, ok)
		}
	}
	if r.Len() != 3 {
		t.Errorf("ring of %d keys", r.Len())
	}
	for _, bad := range []vectors.Key{
		{ID: 1, Alg: "rot13", State: "primary", Secret: secret},
		{ID: 1, Alg: "aes256gcm", State: "primary", Secret: "zz"},
		{ID: 1, Alg: "aes256gcm", State: "primary", Secret: "abcd"},
	} {
		if _, err := vectors.Ring([]vectors.Key{bad}); err == nil {
			t.Errorf("Ring(%+v) succeeds", bad)
		}
	}
}
