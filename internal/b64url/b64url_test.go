package b64url_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/keyseal/keyseal/internal/b64url"
)

// std is what b64url must agree with, except that it skips CR and LF.
var std = base64.RawURLEncoding.Strict()

// check compares Encode and Decode with encoding/base64 on src.
func checkEncode(t testing.TB, src []byte) {
	t.Helper()
	want := std.EncodeToString(src)
	if n := b64url.EncodedLen(len(src)); n != len(want) {
		t.Fatalf("EncodedLen(%d) = %d, want %d", len(src), n, len(want))
	}
	prefix := []byte("prefix")
	got := b64url.AppendEncode(prefix[:len(prefix):len(prefix)], src)
	if string(got) != "prefix"+want {
		t.Fatalf("AppendEncode(%x) = %q, want %q", src, got, "prefix"+want)
	}
	dec, err := decodeString(want)
	if err != nil || !bytes.Equal(dec, src) {
		t.Fatalf("Decode(%q) = %x, %v; want %x", want, dec, err, src)
	}
}

// decodeString decodes s into a buffer of exactly DecodedLen bytes
// followed by guard bytes that Decode must not touch.
func decodeString(s string) ([]byte, error) {
	n := b64url.DecodedLen(len(s))
	buf := bytes.Repeat([]byte{0xA5}, n+16)
	m, err := b64url.Decode(buf[:n], s)
	for _, g := range buf[n:] {
		if g != 0xA5 {
			panic(fmt.Sprintf("Decode(%q) wrote past its destination", s))
		}
	}
	if err != nil {
		return nil, err
	}
	if m != n {
		return nil, fmt.Errorf("Decode(%q) returned %d, want %d", s, m, n)
	}
	return buf[:n], nil
}

// checkDecode compares Decode with encoding/base64 on s.
func checkDecode(t testing.TB, s string) {
	t.Helper()
	got, err := decodeString(s)
	want, stdErr := std.DecodeString(s)
	if strings.ContainsAny(s, "\r\n") {
		// The standard library skips CR and LF; keyseal refuses them.
		if err == nil {
			t.Fatalf("Decode(%q) accepted CR or LF", s)
		}
		return
	}
	if (err == nil) != (stdErr == nil) {
		t.Fatalf("Decode(%q): error %v, encoding/base64 says %v", s, err, stdErr)
	}
	if err != nil {
		if !errors.Is(err, b64url.ErrInvalid) {
			t.Fatalf("Decode(%q) = %v, want ErrInvalid", s, err)
		}
		return
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Decode(%q) = %x, want %x", s, got, want)
	}
}

func TestEncodeAllShortInputs(t *testing.T) {
	checkEncode(t, nil)
	for i := range 1 << 16 {
		checkEncode(t, []byte{byte(i)})
		checkEncode(t, []byte{byte(i >> 8), byte(i)})
	}
}

func TestEncodeRandomLengths(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 600 {
		for range 20 {
			src := make([]byte, n)
			for i := range src {
				src[i] = byte(r.Uint32())
			}
			checkEncode(t, src)
		}
	}
}

// Every 12-bit value at each of the four pair positions of the
// eight-character fast path encodes as encoding/base64 says: each entry of
// the pair table is checked.
func TestEncodeEveryPair(t *testing.T) {
	for v := range uint64(1 << 12) {
		for p := range 4 {
			var src [8]byte
			w := v << (52 - 12*p)
			for i := range src {
				src[i] = byte(w >> (56 - 8*i))
			}
			checkEncode(t, src[:])
		}
	}
}

// Every character at each place of the eight-character fast path, in a
// string that is otherwise valid, decodes (or is refused) as
// encoding/base64 says: each entry of the placed tables is checked.
func TestDecodeEveryPlacedCharacter(t *testing.T) {
	base := []byte("Zm9vYmFyYmF6")
	for pos := range 8 {
		for c := range 256 {
			s := bytes.Clone(base)
			s[pos] = byte(c)
			checkDecode(t, string(s))
		}
	}
}

// Every string of up to three characters over the alphabet, a few bytes
// next to it, and CR/LF/padding decodes as encoding/base64 says.
func TestDecodeAllShortStrings(t *testing.T) {
	chars := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" +
		"+/=.@[`{\x00\x80\xff\r\n "
	checkDecode(t, "")
	for _, a := range []byte(chars) {
		checkDecode(t, string(a))
		for _, b := range []byte(chars) {
			checkDecode(t, string([]byte{a, b}))
			for _, c := range []byte(chars) {
				checkDecode(t, string([]byte{a, b, c}))
			}
		}
	}
	for i := range 1 << 16 {
		checkDecode(t, string([]byte{byte(i >> 8), byte(i)}))
	}
}

// Any byte outside the alphabet, anywhere in a long valid string, is
// refused: the eight-character fast path checks each one.
func TestDecodeRefusesEveryBadByte(t *testing.T) {
	src := make([]byte, 90)
	for i := range src {
		src[i] = byte(i * 7)
	}
	valid := std.EncodeToString(src)
	for pos := range len(valid) {
		for b := range 256 {
			if strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", byte(b)) >= 0 {
				continue
			}
			s := valid[:pos] + string([]byte{byte(b)}) + valid[pos+1:]
			if _, err := decodeString(s); !errors.Is(err, b64url.ErrInvalid) {
				t.Fatalf("byte %#x at %d: %v", b, pos, err)
			}
		}
	}
}

// Encode works in place when its input starts at least EncodedLen(n) - n
// bytes into its output, as the codec uses it.
func TestEncodeInPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 400 {
		src := make([]byte, n)
		for i := range src {
			src[i] = byte(r.Uint32())
		}
		want := std.EncodeToString(src)
		for extra := range 4 {
			off := len(want) - n + extra
			buf := make([]byte, off+n)
			copy(buf[off:], src)
			b64url.Encode(buf, buf[off:])
			if got := string(buf[:len(want)]); got != want {
				t.Fatalf("in place, %d bytes at offset %d: %q, want %q", n, off, got, want)
			}
		}
	}
}

func TestDecodeRefusesNonCanonical(t *testing.T) {
	for _, s := range []string{
		"B",         // length 1 modulo 4
		"AAAAB",     // likewise after a quantum
		"AB",        // low bits of the last character set
		"AAB",       //
		"AAAAAAAAB", // likewise after the fast path
		"AA==",      // padding
		"AA\n",      // line break
		"AAAA\r\nAA",
	} {
		if _, err := decodeString(s); !errors.Is(err, b64url.ErrInvalid) {
			t.Errorf("Decode(%q) = %v, want ErrInvalid", s, err)
		}
	}
}

func TestDecodeShortDestinationPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Decode into a short buffer did not panic")
		}
	}()
	b64url.Decode(make([]byte, 2), "AAAA")
}

func TestAppendEncodeAllocatesNothingWithRoom(t *testing.T) {
	src := make([]byte, 300)
	dst := make([]byte, 0, b64url.EncodedLen(len(src)))
	if n := testing.AllocsPerRun(100, func() { dst = b64url.AppendEncode(dst[:0], src) }); n != 0 {
		t.Errorf("AppendEncode allocates %v times", n)
	}
}

func FuzzEncode(f *testing.F) {
	for _, s := range []string{"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) { checkEncode(t, src) })
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{"", "Zg", "Zm8", "Zm9v", "Zm9vYmFy", "Zm9vYmFyYmF6cXV4", "Zh", "Zm9", "Zm9v\nYmFy", "Zm9v+mFy", "Zm9vYm==", "_-_-_-_-_-_"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkDecode(t, s) })
}

func BenchmarkEncode(b *testing.B) {
	for _, n := range []int{108, 300} {
		src := make([]byte, n)
		dst := make([]byte, 0, 512)
		b.Run(fmt.Sprintf("size=%d/impl=stdlib", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				dst = std.AppendEncode(dst[:0], src)
			}
		})
		b.Run(fmt.Sprintf("size=%d/impl=b64url", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				dst = b64url.AppendEncode(dst[:0], src)
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, n := range []int{108, 300} {
		s := std.EncodeToString(make([]byte, n))
		src := []byte(s)
		dst := make([]byte, 512)
		b.Run(fmt.Sprintf("size=%d/impl=stdlib", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				if _, err := std.Decode(dst, src); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("size=%d/impl=b64url", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				if _, err := b64url.Decode(dst, s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
