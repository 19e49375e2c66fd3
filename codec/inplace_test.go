package codec_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/testkit"
)

// Seal builds tokens inside dst and Open decrypts inside dst (see
// appendSeal and AppendOpen). These tests cover the buffer cases that this
// makes delicate.

// A plaintext that lives in the spare capacity of AppendSeal's dst, where
// the token is built, still seals correctly.
func TestAppendSealPlaintextInDst(t *testing.T) {
	for _, alg := range algorithms {
		for _, compress := range []bool{false, true} {
			c := newCodec(t, testkit.FixedRing(t, alg, 1, 7), codec.Config{Compress: compress})
			for _, n := range []int{0, 1, 40, 300} {
				want := bytes.Repeat([]byte("plaintext "), n/10+1)[:n]
				for _, shift := range []int{0, 3, 30, 200} {
					buf := make([]byte, 5, 2048)
					copy(buf, "head:")
					pt := buf[5+shift : 5+shift+n]
					copy(pt, want)
					tok, err := c.AppendSeal(buf, pt)
					if err != nil {
						t.Fatalf("%v n=%d shift=%d: %v", alg, n, shift, err)
					}
					if string(tok[:5]) != "head:" {
						t.Fatalf("%v: AppendSeal changed dst's contents", alg)
					}
					got, _, err := c.Open(string(tok[5:]))
					if err != nil || !bytes.Equal(got, want) {
						t.Fatalf("%v n=%d shift=%d compress=%v: Open = %q, %v", alg, n, shift, compress, got, err)
					}
				}
			}
		}
	}
}

// AppendOpen appends to dst's existing contents, compressed or not, and
// leaves no copy of the plaintext, header or tag in the capacity after it.
func TestAppendOpenIntoDst(t *testing.T) {
	for _, alg := range algorithms {
		for _, compress := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v/compress=%v", alg, compress), func(t *testing.T) {
				c := newCodec(t, testkit.FixedRing(t, alg, 1, 7), codec.Config{Compress: compress})
				want := bytes.Repeat([]byte("secret-session-data "), 20)
				tok, err := c.Seal(want)
				if err != nil {
					t.Fatal(err)
				}
				for _, spare := range []int{0, 10, 4096} {
					dst := append(make([]byte, 0, 3+spare), "abc"...)
					out, _, err := c.AppendOpen(dst, tok)
					if err != nil {
						t.Fatalf("spare %d: %v", spare, err)
					}
					if string(out[:3]) != "abc" || !bytes.Equal(out[3:], want) {
						t.Fatalf("spare %d: AppendOpen = %q", spare, out)
					}
					if rest := out[len(out):cap(out)]; bytes.Contains(rest, []byte("secret-session")) {
						t.Errorf("spare %d: plaintext left in dst's spare capacity", spare)
					}
				}
			})
		}
	}
}
