package format_test

import (
	"strings"
	"testing"

	"github.com/gorilla/securecookie"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/format"
	"github.com/keyseal/keyseal/jwe"
	"github.com/keyseal/keyseal/keyring"
)

// samples returns one real value of each kind.
func samples(t testing.TB) map[format.Kind][]string {
	t.Helper()
	out := map[format.Kind][]string{}
	for _, alg := range []keyring.Algorithm{keyring.XChaCha20Poly1305, keyring.AES256GCM, keyring.HMACSHA256} {
		ring, err := keyring.Generate(alg)
		if err != nil {
			t.Fatal(err)
		}
		for _, compress := range []bool{false, true} {
			c, err := codec.New(ring, "s", codec.Config{Compress: compress})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := c.Seal([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
			if err != nil {
				t.Fatal(err)
			}
			out[format.Native] = append(out[format.Native], tok)
		}
		j, err := jwe.New(ring, jwe.Config{})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := j.Seal([]byte(`{"sub":"x"}`))
		if err != nil {
			t.Fatal(err)
		}
		out[format.JWE] = append(out[format.JWE], tok)
	}
	for _, block := range [][]byte{nil, make([]byte, 32)} {
		v, err := securecookie.New(make([]byte, 32), block).Encode("s", "value")
		if err != nil {
			t.Fatal(err)
		}
		out[format.SecureCookie] = append(out[format.SecureCookie], v)
	}
	out[format.Iron] = []string{"Fe26.2*1*" + strings.Repeat("a", 64) + "*iv*c*1797628501510*" + strings.Repeat("b", 64) + "*mac~2"}
	out[format.Unknown] = []string{"Fe", "Fe3", "", "A", "ey", "AAAA" + "Q", "not a token", "MQ==", "AAAA"}
	return out
}

func TestDetect(t *testing.T) {
	for want, values := range samples(t) {
		for _, v := range values {
			if got := format.Detect(v); got != want {
				t.Errorf("Detect(%.20q) = %v, want %v", v, got, want)
			}
		}
	}
	// A securecookie timestamp after 2033 starts with "Mj".
	if got := format.Detect("MjAwMDAwMDAwMHx4fHk="); got != format.SecureCookie {
		t.Errorf("2033+ securecookie: %v", got)
	}
}

// FuzzDetect checks that Detect never panics and decides from the first
// three characters only: appending to a value never changes its kind once
// it has three characters.
func FuzzDetect(f *testing.F) {
	for _, values := range samples(f) {
		for _, v := range values {
			f.Add(v, "tail")
		}
	}
	f.Fuzz(func(t *testing.T, v, tail string) {
		k := format.Detect(v)
		if k.String() == "" {
			t.Fatal("empty name")
		}
		if len(v) >= 3 && format.Detect(v+tail) != k {
			t.Fatalf("Detect(%q) depends on more than the prefix", v)
		}
	})
}

func BenchmarkDetect(b *testing.B) {
	v := samples(b)[format.JWE][0]
	b.ReportAllocs()
	for b.Loop() {
		if format.Detect(v) != format.JWE {
			b.Fatal("wrong kind")
		}
	}
}
