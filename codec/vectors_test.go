package codec

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/testkit/vectors"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors from the generator")

const vectorDir = "testdata/vectors"

// TestVectors checks the vector files both ways: sealing each positive
// vector's plaintext with its fixed nonce and times reproduces its token
// byte for byte, opening it yields the plaintext and times, and every
// negative vector fails with its error. It also checks that the files are
// what the generator makes; run with -update to rewrite them.
func TestVectors(t *testing.T) {
	g := generator{t}
	files := g.generate()
	if *update {
		os.MkdirAll(vectorDir, 0o755)
		for name, f := range files {
			b, err := json.MarshalIndent(f, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(vectorDir, name), append(b, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	read, err := vectors.Read(os.DirFS(vectorDir), Version)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(read), len(files); got != want {
		t.Fatalf("%d vector files in %s, the generator makes %d", got, vectorDir, want)
	}
	flateStable := true
	for _, f := range read {
		for _, v := range f.Positive {
			flateStable = checkPositive(t, v) && flateStable
		}
		for _, v := range f.Negative {
			checkNegative(t, v)
		}
		want, _ := json.MarshalIndent(files[f.Name], "", "  ")
		if flateStable && !bytes.Equal(f.Data, append(want, '\n')) {
			t.Errorf("%s differs from the generator's output: run go test ./codec -run TestVectors -update",
				filepath.Join(vectorDir, f.Name))
		}
	}
}

// checkPositive seals and opens v. It reports false, skipping the sealing
// check, when v is compressed and compress/flate no longer produces its
// payload: DEFLATE streams are not canonical (FORMAT.md), so a new Go
// release may compress differently and still read every old token.
func checkPositive(t *testing.T, v vectors.Positive) bool {
	t.Helper()
	pt, _ := hex.DecodeString(v.Plaintext)
	payload, _ := hex.DecodeString(v.Payload)
	nonce, _ := hex.DecodeString(v.Nonce)
	stable := true
	if v.Compressed {
		z, _ := deflate(nil, pt)
		stable = bytes.Equal(z, payload)
	} else if !bytes.Equal(pt, payload) {
		t.Errorf("%s: uncompressed, but payload differs from plaintext", v.Description)
	}
	if stable {
		tok, err := vectorCodec(t, v.Case, nonce).SealAt(pt, time.Unix(v.IssuedAt, 0), time.Unix(v.ExpiresAt, 0))
		if err != nil || tok != v.Token {
			t.Errorf("%s: sealing gives %q, %v\nwant %q", v.Description, tok, err, v.Token)
		}
	} else {
		t.Logf("%s: compress/flate output changed; checking the opening direction only", v.Description)
	}
	got, m, err := vectorCodec(t, v.Case, nil).Open(v.Token)
	if err != nil || !bytes.Equal(got, pt) {
		t.Errorf("%s: Open = %x, %v; want %x", v.Description, got, err, pt)
	}
	want := keyseal.Meta{KeyID: v.KeyID, IssuedAt: time.Unix(v.IssuedAt, 0).UTC(), ExpiresAt: time.Unix(v.ExpiresAt, 0).UTC(),
		NeedsReseal: v.NeedsReseal, Compressed: v.Compressed}
	if m != want {
		t.Errorf("%s: keyseal.Meta = %+v, want %+v", v.Description, m, want)
	}
	return stable
}

func checkNegative(t *testing.T, v vectors.Negative) {
	t.Helper()
	want, ok := vectorErrors[v.Error]
	if !ok {
		t.Fatalf("%s: unknown error name %q", v.Description, v.Error)
	}
	_, _, err := vectorCodec(t, v.Case, nil).Open(v.Token)
	if !errors.Is(err, want) {
		t.Errorf("%s: Open error %v, want %v", v.Description, err, want)
	}
	for name, other := range vectorErrors {
		if other != want && errors.Is(err, other) {
			t.Errorf("%s: error %v is also %s", v.Description, err, name)
		}
	}
}

// The vectors cover every error Open returns.
func TestVectorsCoverEveryError(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range (generator{t}).generate()["negative.json"].Negative {
		seen[v.Error] = true
	}
	for name := range vectorErrors {
		if !seen[name] {
			t.Errorf("no negative vector fails with %s", name)
		}
	}
}
