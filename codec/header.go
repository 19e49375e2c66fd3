package codec

import (
	"encoding/binary"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/b64url"
)

// Format constants of the native token format, version 1 (see FORMAT.md).
const (
	// Version is the format version this package seals.
	Version = 1
	// HeaderSize is the length of the token header in bytes.
	HeaderSize = 16
	// flagCompressed marks a payload compressed with DEFLATE (RFC 1951).
	flagCompressed = 0x01

	knownFlags = flagCompressed
	maxTime    = 1<<40 - 1 // issued-at and expiry are 40-bit Unix seconds
)

// Header is the clear-text header of a native token. It is authenticated
// as part of the token, but [ParseHeader] returns it without verification.
type Header struct {
	// Version is the format version, always [Version] in a parsed header.
	Version uint8
	// Flags holds the header's flag bits; only flagCompressed (0x01, DEFLATE) is defined.
	Flags uint8
	// KeyID is the ID of the key the token claims to be sealed under.
	KeyID uint32
	// IssuedAt and ExpiresAt are the token's times, in UTC, to the second.
	IssuedAt, ExpiresAt time.Time
}

// Compressed reports whether the payload is DEFLATE-compressed.
func (h Header) Compressed() bool { return h.Flags&flagCompressed != 0 }

// appendHeader appends the 16-byte header: version, flags, key ID (big
// endian), issued-at and expiry (40-bit big-endian Unix seconds).
func appendHeader(b []byte, flags uint8, keyID uint32, iat, exp int64) []byte {
	b = append(b, Version, flags)
	b = binary.BigEndian.AppendUint32(b, keyID)
	b = appendUint40(b, uint64(iat))
	return appendUint40(b, uint64(exp))
}

func appendUint40(b []byte, v uint64) []byte {
	return append(b, byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func uint40(b []byte) int64 {
	_ = b[4]
	return int64(b[0])<<32 | int64(b[1])<<24 | int64(b[2])<<16 | int64(b[3])<<8 | int64(b[4])
}

// rawHeader is a parsed header with times still in Unix seconds.
type rawHeader struct {
	flags    uint8
	keyID    uint32
	iat, exp int64
}

// parseRawHeader checks the header's shape: version, flags, and times in
// order. It needs len(raw) >= HeaderSize.
func parseRawHeader(raw []byte) (rawHeader, error) {
	if raw[0] != Version {
		return rawHeader{}, keyseal.ErrUnsupportedVersion
	}
	h := rawHeader{
		flags: raw[1],
		keyID: binary.BigEndian.Uint32(raw[2:6]),
		iat:   uint40(raw[6:11]),
		exp:   uint40(raw[11:16]),
	}
	if h.flags&^knownFlags != 0 || h.exp <= h.iat {
		return rawHeader{}, keyseal.ErrMalformed
	}
	return h, nil
}

func (h rawHeader) public() Header {
	return Header{Version: Version, Flags: h.flags, KeyID: h.keyID,
		IssuedAt: time.Unix(h.iat, 0).UTC(), ExpiresAt: time.Unix(h.exp, 0).UTC()}
}

// ParseHeader returns the header of a native token WITHOUT verifying it:
// anyone can write any header. Use it for debugging and routing only, never
// for a decision that needs trust; [Codec.Open] verifies.
func ParseHeader(token string) (Header, error) {
	// Decode the first 24 characters: whole base64 quanta covering the
	// header. Like Open, refuse what is shorter than a header and a tag.
	if len(token) < b64url.EncodedLen(HeaderSize+16) {
		return Header{}, keyseal.ErrMalformed
	}
	var buf [HeaderSize + 2]byte
	if _, err := b64url.Decode(buf[:], token[:24]); err != nil {
		return Header{}, keyseal.ErrMalformed
	}
	h, err := parseRawHeader(buf[:])
	if err != nil {
		return Header{}, err
	}
	return h.public(), nil
}
