// Package bench measures keyseal side by side with the raw AEAD it wraps
// and with the libraries Go applications use for cookie sessions today. It
// is a separate module so that those libraries stay out of keyseal's
// go.mod. scripts/bench.sh runs it and writes BENCHMARKS.md.
package bench

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"testing"
)

// Session is a realistic web session: about 200 bytes as JSON.
type Session struct {
	UserID    int64    `json:"uid"`
	Email     string   `json:"email"`
	Name      string   `json:"name"`
	Roles     []string `json:"roles"`
	CSRF      string   `json:"csrf"`
	Locale    string   `json:"locale"`
	CreatedAt int64    `json:"created_at"`
	SeenAt    int64    `json:"seen_at"`
}

var benchSession = Session{
	UserID:    1234567,
	Email:     "ada.lovelace@example.com",
	Name:      "Ada Lovelace",
	Roles:     []string{"admin", "editor", "billing"},
	CSRF:      "kT3vQ9xZ2mP8rL5wN1bH7cF4",
	Locale:    "en-GB",
	CreatedAt: 1767225600,
	SeenAt:    1767312000,
}

func TestSessionSize(t *testing.T) {
	b, err := json.Marshal(benchSession)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 180 || len(b) > 230 {
		t.Errorf("benchmark session is %d bytes of JSON, want about 200", len(b))
	}
	bin := appendSession(nil, &benchSession)
	var s Session
	if err := parseSession(bin, &s); err != nil || s.Email != benchSession.Email || len(s.Roles) != 3 || s.SeenAt != benchSession.SeenAt {
		t.Errorf("binary round trip: %+v, %v", s, err)
	}
}

// appendSession is the "binary serializer": a hand-written encoding of
// Session with varints and length-prefixed strings, the kind of thing an
// application writes (or generates) when JSON is too slow.
func appendSession(b []byte, s *Session) []byte {
	b = binary.AppendVarint(b, s.UserID)
	b = appendString(b, s.Email)
	b = appendString(b, s.Name)
	b = binary.AppendUvarint(b, uint64(len(s.Roles)))
	for _, r := range s.Roles {
		b = appendString(b, r)
	}
	b = appendString(b, s.CSRF)
	b = appendString(b, s.Locale)
	b = binary.AppendVarint(b, s.CreatedAt)
	return binary.AppendVarint(b, s.SeenAt)
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

var errShort = errors.New("bench: short session")

// parseSession decodes what appendSession wrote. It copies b into one
// string and slices every string field out of it, as generated binary
// decoders do: one allocation for all the strings instead of one each.
func parseSession(b []byte, s *Session) error {
	r := reader{b: b, s: string(b)}
	s.UserID = r.varint()
	s.Email = r.string()
	s.Name = r.string()
	n := r.uvarint()
	if n > uint64(r.left()) {
		return errShort
	}
	s.Roles = make([]string, n)
	for i := range s.Roles {
		s.Roles[i] = r.string()
	}
	s.CSRF = r.string()
	s.Locale = r.string()
	s.CreatedAt = r.varint()
	s.SeenAt = r.varint()
	return r.err
}

// reader reads b from off; s holds the same bytes, for string fields to
// be sliced from.
type reader struct {
	b   []byte
	s   string
	off int
	err error
}

func (r *reader) left() int { return len(r.b) - r.off }

// fail records errShort and stops every later read.
func (r *reader) fail() { r.err, r.off = errShort, len(r.b) }

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
	if n > uint64(r.left()) {
		r.fail()
		return ""
	}
	s := r.s[r.off : r.off+int(n)]
	r.off += int(n)
	return s
}
