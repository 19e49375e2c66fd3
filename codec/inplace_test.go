package codec_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
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

// A token that authenticates but is refused (expired, or under a retired
// key) leaves no plaintext in AppendOpen's dst either.
func TestAppendOpenRefusedLeavesNoPlaintext(t *testing.T) {
	for _, alg := range algorithms {
		now := time.Unix(1_800_000_000, 0)
		clock := func() time.Time { return now }
		ring := testkit.FixedRing(t, alg, 1, 2)
		c := newCodec(t, ring, codec.Config{MaxAge: time.Hour, Clock: clock})
		want := bytes.Repeat([]byte("secret-session-data "), 5)
		tok, err := c.Seal(want)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := codec.ParseHeader(tok)
		retired, err := ring.Promote(otherID(t, ring, id.KeyID))
		if err == nil {
			retired, err = retired.Retire(id.KeyID)
		}
		if err != nil {
			t.Fatal(err)
		}
		later := newCodec(t, ring, codec.Config{MaxAge: time.Hour, Clock: func() time.Time { return now.Add(2 * time.Hour) }})
		for name, cc := range map[string]*codec.Codec{
			"expired": later,
			"retired": newCodec(t, retired, codec.Config{MaxAge: time.Hour, Clock: clock}),
		} {
			dst := make([]byte, 0, 1024)
			out, _, err := cc.AppendOpen(dst, tok)
			if err == nil || len(out) != 0 {
				t.Fatalf("%v %s: AppendOpen = %q, %v", alg, name, out, err)
			}
			if bytes.Contains(dst[:cap(dst)], []byte("secret-session")) {
				t.Errorf("%v %s: plaintext left in dst's spare capacity", alg, name)
			}
		}
	}
}

// A genuine compressed token that inflates past the opener's limit is
// refused with ErrTooLarge, and leaves no plaintext behind: neither in
// dst's capacity nor in an array inflating outgrew.
func TestAppendOpenTooLargeLeavesNoPlaintext(t *testing.T) {
	for _, alg := range algorithms {
		ring := testkit.FixedRing(t, alg, 1)
		sealer := newCodec(t, ring, codec.Config{Compress: true})
		opener := newCodec(t, ring, codec.Config{MaxDecompressedSize: 200})
		tok, err := sealer.Seal(bytes.Repeat([]byte("secret-session-data "), 50))
		if err != nil {
			t.Fatal(err)
		}
		for _, spare := range []int{4096, 100, 0} {
			dst := append(make([]byte, 0, 3+spare), "abc"...)
			out, _, err := opener.AppendOpen(dst, tok)
			if !errors.Is(err, keyseal.ErrTooLarge) || string(out) != "abc" {
				t.Fatalf("%v spare %d: AppendOpen = %q, %v; want ErrTooLarge", alg, spare, out, err)
			}
			if bytes.Contains(dst[:cap(dst)], []byte("secret-session")) {
				t.Errorf("%v spare %d: plaintext left in dst's capacity", alg, spare)
			}
		}
	}
}

// A forged signed-only token is refused, and the tag that would have made
// it genuine, which Open computes to compare, is not left in dst's
// capacity: whoever later reads that buffer could forge with it.
func TestForgedSignedOnlyLeavesNoTag(t *testing.T) {
	c := newCodec(t, testkit.FixedRing(t, keyring.HMACSHA256, 1), codec.Config{})
	tok, err := c.Seal([]byte(`{"uid":420,"admin":false}`))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		t.Fatal(err)
	}
	forged := bytes.Replace(raw, []byte(`"admin":false`), []byte(`"admin":true `), 1)
	body := forged[:len(forged)-sha256.Size]
	dst := make([]byte, 0, 1024)
	if _, _, err := c.AppendOpen(dst, base64.RawURLEncoding.EncodeToString(forged)); !errors.Is(err, keyseal.ErrAuth) {
		t.Fatalf("forged token: %v, want ErrAuth", err)
	}
	// Try every 32 bytes of dst's capacity as the forged body's tag.
	for off := 0; off+sha256.Size <= cap(dst); off++ {
		attempt := append(slices.Clip(body), dst[off:off+sha256.Size:cap(dst)]...)
		if pt, _, err := c.Open(base64.RawURLEncoding.EncodeToString(attempt)); err == nil {
			t.Fatalf("dst[%d:] holds the forged body's tag: %s opens", off, pt)
		}
	}
}

// otherID returns the ID of a key of r other than id.
func otherID(t *testing.T, r *keyring.Ring, id uint32) uint32 {
	t.Helper()
	for _, k := range r.Keys() {
		if k.ID() != id {
			return k.ID()
		}
	}
	t.Fatal("ring has one key")
	return 0
}
