package cookiesession

import (
	"encoding/binary"
	"errors"
	"sync"
	"time"
)

// The sealed plaintext of a session is a small header followed by the
// serialized data:
//
//	form (1 byte) [‖ uvarint extension length ‖ extension]
//	‖ uvarint schema version
//	‖ uvarint flash count ‖ flash count × (uvarint length ‖ bytes)
//	‖ data (the rest)
//
// The low 7 bits of the form byte say how the data was serialized
// (serializer.go): 2 JSON, 3 the type's binary form, 4 a
// Config.Serializer; 1, the only value before forms were recorded, leaves
// it unsaid. So a change of form is seen, never taken for data that does
// not decode. Flashes live beside the data rather than in T so that any T
// can have them. The header costs 3 bytes for a session without flashes.
//
// The high bit of the form byte (extFlag) says an extension follows: the
// session's own settings, as records tag (1 byte) ‖ uvarint length ‖
// value, in increasing tag order, none empty:
//
//	1 lifetime: flags (1 byte; bit 0: browser-session cookie)
//	            ‖ uvarint idle timeout ‖ uvarint absolute lifetime (ns)
//	2 stamp:    the bytes of the session's stamp (Session.SetStamp)
//
// A duration of 0 means the Manager's. A session with none of these
// settings has no extension, and so the same plaintext as before they
// existed; an unknown tag or flag refuses the payload, since a setting
// the reader does not know may restrict the session.

// errPayload is returned for a genuine token whose plaintext is not a
// session payload; callers wrap it in ErrDecode.
var errPayload = errors.New("bad session payload")

// payload is a parsed plaintext; its slices alias the plaintext.
type payload struct {
	form    form
	ext     sessionExt
	schema  uint32
	flashes []string
	data    []byte
}

// extFlag marks a form byte followed by an extension.
const extFlag = 0x80

// Extension record tags, in the order they are written.
const (
	tagLifetime = 1
	tagStamp    = 2
)

// sessionExt is the session's own settings, sealed in its payload's
// extension. The zero value (the Manager's settings) takes no bytes.
type sessionExt struct {
	browser   bool          // a browser-session cookie: no Max-Age
	idle, abs time.Duration // 0: the Manager's
	stamp     string        // the user's stamp at login; "" for none
}

func (e *sessionExt) hasLifetime() bool { return e.browser || e.idle != 0 || e.abs != 0 }

func (e *sessionExt) empty() bool { return !e.hasLifetime() && e.stamp == "" }

// appendExt appends the extension, length first.
func appendExt(b []byte, e *sessionExt) []byte {
	var rec [2*binary.MaxVarintLen64 + 1]byte
	life := rec[:0]
	if e.hasLifetime() {
		var flags byte
		if e.browser {
			flags = 1
		}
		life = append(life, flags)
		life = binary.AppendUvarint(life, uint64(e.idle))
		life = binary.AppendUvarint(life, uint64(e.abs))
	}
	n := 0
	if len(life) > 0 {
		n += 1 + uvarintLen(len(life)) + len(life)
	}
	if e.stamp != "" {
		n += 1 + uvarintLen(len(e.stamp)) + len(e.stamp)
	}
	b = binary.AppendUvarint(b, uint64(n))
	if len(life) > 0 {
		b = append(b, tagLifetime)
		b = binary.AppendUvarint(b, uint64(len(life)))
		b = append(b, life...)
	}
	if e.stamp != "" {
		b = append(b, tagStamp)
		b = binary.AppendUvarint(b, uint64(len(e.stamp)))
		b = append(b, e.stamp...)
	}
	return b
}

// uvarintLen is the length of n as a uvarint.
func uvarintLen(n int) int {
	l := 1
	for ; n >= 0x80; n >>= 7 {
		l++
	}
	return l
}

// parseExt reads the extension records of b, all of it.
func parseExt(b []byte) (sessionExt, error) {
	var e sessionExt
	if len(b) == 0 {
		return e, errPayload
	}
	last := byte(0)
	for len(b) > 0 {
		tag := b[0]
		l, n := binary.Uvarint(b[1:])
		if tag <= last || n <= 0 || l == 0 || l > uint64(len(b)-1-n) {
			return e, errPayload
		}
		v := b[1+n : 1+n+int(l)]
		b = b[1+n+int(l):]
		last = tag
		switch tag {
		case tagLifetime:
			if v[0] > 1 {
				return e, errPayload
			}
			e.browser = v[0] == 1
			idle, n1 := binary.Uvarint(v[1:])
			if n1 <= 0 {
				return e, errPayload
			}
			abs, n2 := binary.Uvarint(v[1+n1:])
			if n2 <= 0 || 1+n1+n2 != len(v) || idle > 1<<62 || abs > 1<<62 {
				return e, errPayload
			}
			e.idle, e.abs = time.Duration(idle), time.Duration(abs)
		case tagStamp:
			e.stamp = string(v)
		default:
			return e, errPayload
		}
	}
	return e, nil
}

// appendPayloadHeader appends everything but the data.
func appendPayloadHeader(b []byte, f form, schema uint32, flashes []string, e *sessionExt) []byte {
	ext := !e.empty()
	if schema < 0x80 && len(flashes) == 0 && !ext {
		return append(b, byte(f), byte(schema), 0)
	}
	if !ext {
		b = append(b, byte(f))
	} else {
		b = append(b, byte(f)|extFlag)
		b = appendExt(b, e)
	}
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
	if len(b) < 1 || !knownForm(b[0]&^extFlag) {
		return p, errPayload
	}
	p.form = form(b[0] &^ extFlag)
	hasExt := b[0]&extFlag != 0
	b = b[1:]
	if hasExt {
		l, n := binary.Uvarint(b)
		if n <= 0 || l > uint64(len(b)-n) {
			return p, errPayload
		}
		var err error
		if p.ext, err = parseExt(b[n : n+int(l)]); err != nil {
			return p, err
		}
		b = b[n+int(l):]
	}
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
