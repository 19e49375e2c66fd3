package cookiesession

import (
	"encoding/binary"
	"errors"
	"sync"
)

// The sealed plaintext of a session is a small header followed by the
// serialized data:
//
//	form (1 byte) ‖ uvarint schema version
//	‖ uvarint flash count ‖ flash count × (uvarint length ‖ bytes)
//	‖ data (the rest)
//
// The form byte says how the data was serialized (serializer.go): 2 JSON,
// 3 the type's binary form, 4 a Config.Serializer; 1, the only value
// before forms were recorded, leaves it unsaid. So a change of form is
// seen, never taken for data that does not decode. Flashes live beside
// the data rather than in T so that any T can have them. The header
// costs 3 bytes for a session without flashes.

// errPayload is returned for a genuine token whose plaintext is not a
// session payload; callers wrap it in ErrDecode.
var errPayload = errors.New("bad session payload")

// payload is a parsed plaintext; its slices alias the plaintext.
type payload struct {
	form    form
	schema  uint32
	flashes []string
	data    []byte
}

// appendPayloadHeader appends everything but the data.
func appendPayloadHeader(b []byte, f form, schema uint32, flashes []string) []byte {
	if schema < 0x80 && len(flashes) == 0 {
		return append(b, byte(f), byte(schema), 0)
	}
	b = append(b, byte(f))
	b = binary.AppendUvarint(b, uint64(schema))
	b = binary.AppendUvarint(b, uint64(len(flashes)))
	for _, f := range flashes {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

// parsePayload splits a plaintext. Lengths are checked against what is
// left before anything is allocated.
func parsePayload(b []byte) (payload, error) {
	if len(b) >= 3 && knownForm(b[0]) && b[1] < 0x80 && b[2] == 0 {
		// The usual header: a one-byte schema version and no flashes.
		return payload{form: form(b[0]), schema: uint32(b[1]), data: b[3:]}, nil
	}
	return parsePayloadVarints(b)
}

// parsePayloadVarints is parsePayload for any header.
func parsePayloadVarints(b []byte) (payload, error) {
	var p payload
	if len(b) < 1 || !knownForm(b[0]) {
		return p, errPayload
	}
	p.form = form(b[0])
	b = b[1:]
	schema, n := binary.Uvarint(b)
	if n <= 0 || schema > 1<<32-1 {
		return p, errPayload
	}
	p.schema = uint32(schema)
	b = b[n:]
	count, n := binary.Uvarint(b)
	if n <= 0 || count > uint64(len(b)-n) { // every flash takes a byte at least
		return p, errPayload
	}
	b = b[n:]
	if count > 0 {
		p.flashes = make([]string, 0, count)
	}
	for range count {
		l, n := binary.Uvarint(b)
		if n <= 0 || l > uint64(len(b)-n) {
			return p, errPayload
		}
		p.flashes = append(p.flashes, string(b[n:n+int(l)]))
		b = b[n+int(l):]
	}
	p.data = b
	return p, nil
}

// knownForm reports whether b is a form byte, 1 to lastForm.
func knownForm(b byte) bool { return b-byte(formUnrecorded) <= byte(lastForm-formUnrecorded) }

// bufs holds the buffers a session opens its cookie and encodes the
// plaintext it seals in (one per request that touches its session), so
// saving a session allocates only its Set-Cookie header value.
var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func getBuf() *[]byte { return bufs.Get().(*[]byte) }

// putBuf returns a buffer unless it grew too large to keep around.
func putBuf(b *[]byte) {
	if cap(*b) <= 64<<10 {
		*b = (*b)[:0]
		bufs.Put(b)
	}
}
