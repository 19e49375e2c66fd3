// Package b64url is the token alphabet of keyseal: base64url without
// padding (RFC 4648 §5), decoded strictly.
//
// It produces exactly what encoding/base64's RawURLEncoding.Strict() does,
// with two differences: its decoder refuses CR and LF, which the standard
// library skips, and it is faster on the short inputs of session tokens:
// 1.8-2.1x to encode and 1.5-1.8x to decode 108 and 300 bytes by
// BenchmarkEncode and BenchmarkDecode (Go 1.27). It moves six bytes per
// step through one 64-bit load and store, and trades memory for lookups:
// an 8 KiB table of character pairs for encoding, four 1 KiB tables of
// pre-shifted 6-bit values for decoding. A token touches a few dozen of
// their cache lines; they stay cached on a server that seals and opens
// tokens all day, and cost a few dozen cache misses when cold. Tests check
// every table entry, and check it against encoding/base64 on every input
// the fuzzer finds.
package b64url

import (
	"encoding/binary"
	"errors"
	"slices"
)

// ErrInvalid reports input that is not canonical unpadded base64url: a
// byte outside the alphabet, a length of 1 modulo 4, or non-zero bits after
// the last whole byte.
var ErrInvalid = errors.New("b64url: invalid base64url")

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// pairs maps 12 bits to the two characters that encode them, the first in
// the low byte (8 KiB, built once).
var pairs = func() (t [1 << 12]uint16) {
	for i := range t {
		t[i] = uint16(alphabet[i>>6]) | uint16(alphabet[i&63])<<8
	}
	return t
}()

// placed[p][c] is the six bits of character c at place p of a group of
// four characters, shifted to where they sit in the group's 24 bits, or
// placedInvalid for a byte outside the alphabet (4 KiB, built once). A
// group's bits are the OR of its characters' entries, and one test of the
// OR refuses any byte outside the alphabet.
var placed = func() (t [4][256]uint32) {
	for p := range t {
		for c := range t[p] {
			t[p][c] = placedInvalid
		}
		for v := range len(alphabet) {
			t[p][alphabet[v]] = uint32(v) << (18 - 6*p)
		}
	}
	return t
}()

// placedInvalid marks bytes outside the alphabet in placed: a bit above
// the 24 a group fills.
const placedInvalid = 1 << 31

// group returns the 24 bits of the characters of s, at most four, from
// the top, or a value with placedInvalid set.
func group(s string) uint32 {
	var v uint32
	for p := range len(s) {
		v |= placed[p][s[p]]
	}
	return v
}

// EncodedLen is the length of the encoding of n bytes.
func EncodedLen(n int) int { return n/3*4 + (n%3*8+5)/6 }

// DecodedLen is the length of the bytes that n characters decode to. It
// does not say whether n is a valid length (n%4 == 1 never is).
func DecodedLen(n int) int { return n/4*3 + n%4*6/8 }

// Encode writes the encoding of src to dst, which must hold at least
// EncodedLen(len(src)) bytes.
//
// src may overlap dst if it starts at least EncodedLen(len(src)) -
// len(src) bytes after dst does, for example when it ends where the
// encoding will end: Encode then encodes in place, since it always reads a
// step's input before writing its output and its output never catches up
// with the input still to be read. Other overlaps give garbage.
func Encode(dst, src []byte) {
	dst = dst[:EncodedLen(len(src))]
	// Six bytes per step, read as one big-endian 64-bit word (the two low
	// bytes are the next step's), then four pairs of characters, each
	// looked up by 12 bits in pairs and stored as one 16-bit word: half the
	// lookups and stores of one character at a time.
	for len(src) >= 8 && len(dst) >= 8 {
		v := binary.BigEndian.Uint64(src)
		d := dst[:8:8]
		binary.LittleEndian.PutUint16(d[0:], pairs[v>>52])
		binary.LittleEndian.PutUint16(d[2:], pairs[v>>40&0xFFF])
		binary.LittleEndian.PutUint16(d[4:], pairs[v>>28&0xFFF])
		binary.LittleEndian.PutUint16(d[6:], pairs[v>>16&0xFFF])
		src, dst = src[6:], dst[8:]
	}
	for len(src) >= 3 && len(dst) >= 4 {
		v := uint(src[0])<<16 | uint(src[1])<<8 | uint(src[2])
		binary.LittleEndian.PutUint16(dst[0:], pairs[v>>12])
		binary.LittleEndian.PutUint16(dst[2:], pairs[v&0xFFF])
		src, dst = src[3:], dst[4:]
	}
	switch len(src) {
	case 2:
		v := uint(src[0])<<16 | uint(src[1])<<8
		dst[0], dst[1], dst[2] = alphabet[v>>18&63], alphabet[v>>12&63], alphabet[v>>6&63]
	case 1:
		v := uint(src[0]) << 16
		dst[0], dst[1] = alphabet[v>>18&63], alphabet[v>>12&63]
	}
}

// AppendEncode appends the encoding of src to dst and returns the result.
func AppendEncode(dst, src []byte) []byte {
	n := EncodedLen(len(src))
	dst = slices.Grow(dst, n)
	Encode(dst[len(dst):len(dst)+n], src)
	return dst[:len(dst)+n]
}

// Decode writes the bytes src encodes to dst and returns how many it
// wrote, DecodedLen(len(src)). dst must hold at least that many; Decode
// may write anywhere in dst, also past the decoded bytes. On invalid input
// it returns ErrInvalid, having written an unspecified part of dst.
func Decode(dst []byte, src string) (int, error) {
	if len(src)%4 == 1 {
		return 0, ErrInvalid
	}
	n := DecodedLen(len(src))
	if len(dst) < n {
		panic("b64url: destination too short")
	}
	// Eight characters per step, each looked up in the table of its place
	// in a group of four, which holds its six bits already shifted there:
	// a group's 24 bits are the OR of four entries, with no shifts. The
	// step is written as one 64-bit word of which six bytes count; it
	// needs two spare bytes in dst.
	d := dst
	for len(src) >= 8 && len(d) >= 8 {
		s := src[:8]
		hi := placed[0][s[0]] | placed[1][s[1]] | placed[2][s[2]] | placed[3][s[3]]
		lo := placed[0][s[4]] | placed[1][s[5]] | placed[2][s[6]] | placed[3][s[7]]
		if (hi|lo)&placedInvalid != 0 {
			return 0, ErrInvalid
		}
		binary.BigEndian.PutUint64(d, (uint64(hi)<<24|uint64(lo))<<16)
		src, d = src[8:], d[6:]
	}
	for len(src) >= 4 && len(d) >= 3 {
		v := group(src[:4])
		if v&placedInvalid != 0 {
			return 0, ErrInvalid
		}
		d[0], d[1], d[2] = byte(v>>16), byte(v>>8), byte(v)
		src, d = src[4:], d[3:]
	}
	// A final two or three characters hold one or two bytes; the bits
	// after them must be zero, so that every byte string has one encoding.
	switch v := group(src); len(src) {
	case 3:
		if v&placedInvalid != 0 || v&0xFF != 0 || len(d) < 2 {
			return 0, ErrInvalid
		}
		d[0], d[1] = byte(v>>16), byte(v>>8)
	case 2:
		if v&placedInvalid != 0 || v&0xFFFF != 0 || len(d) < 1 {
			return 0, ErrInvalid
		}
		d[0] = byte(v >> 16)
	}
	return n, nil
}
