package main

import (
	"encoding/binary"
	"errors"
)

// BinUser is User with a binary form, which cookiesession uses instead of
// JSON: varints and length-prefixed strings, decoded into one string that
// every string field is sliced from.
type BinUser User

var errBinUser = errors.New("load: malformed binary user")

// AppendBinary implements encoding.BinaryAppender.
func (u *BinUser) AppendBinary(b []byte) ([]byte, error) {
	b = binary.AppendVarint(b, u.ID)
	b = appendString(b, u.Name)
	b = appendString(b, u.Email)
	b = binary.AppendUvarint(b, uint64(len(u.Roles)))
	for _, r := range u.Roles {
		b = appendString(b, r)
	}
	b = appendString(b, u.CSRF)
	return binary.AppendVarint(b, u.Views), nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler. It rejects
// truncated input and trailing bytes.
func (u *BinUser) UnmarshalBinary(b []byte) error {
	r := reader{b: b, s: string(b)}
	var v BinUser
	v.ID = r.varint()
	v.Name = r.string()
	v.Email = r.string()
	if n := r.uvarint(); n <= uint64(len(b)-r.off) { // each role takes a byte at least
		v.Roles = make([]string, n)
		for i := range v.Roles {
			v.Roles[i] = r.string()
		}
	} else {
		r.fail()
	}
	v.CSRF = r.string()
	v.Views = r.varint()
	if r.bad || r.off != len(b) {
		return errBinUser
	}
	*u = v
	return nil
}

// reader reads b from off; s holds the same bytes, for string fields to
// be sliced from without a copy each.
type reader struct {
	b   []byte
	s   string
	off int
	bad bool
}

func (r *reader) fail() { r.bad, r.off = true, len(r.b) }

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.fail()
		return 0
	}
	r.off += n
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b[r.off:])
	if n <= 0 {
		r.fail()
		return 0
	}
	r.off += n
	return v
}

func (r *reader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)-r.off) {
		r.fail()
		return ""
	}
	s := r.s[r.off : r.off+int(n)]
	r.off += int(n)
	return s
}
