package cookiesession

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/keyseal/keyseal/codec"
)

// save writes the session's headers into h, before the response's headers
// are sent. An untouched session writes nothing. A failure goes to
// OnError, called without the session's lock.
func (s *Session[T]) save(h http.Header) {
	s.mu.Lock()
	err := s.saveLocked(h)
	s.mu.Unlock()
	if err != nil {
		s.m.onError(s.r, err)
	}
}

func (s *Session[T]) saveLocked(h http.Header) error {
	s.saved, s.saveGen = true, s.gen
	if !s.loaded {
		return nil
	}
	addVary(h)
	addCacheControl(h)
	m := s.m
	now := m.clock()
	write := s.changed || s.meta.needsReseal || s.refreshDue(now)
	if !write && !s.destroyed && !s.invalid {
		return nil
	}
	if m.dev && !isLoopback(s.r.Host) {
		return ErrDevMode
	}
	s.deleteLegacy(h)
	if !write {
		s.deleteAll(h)
		return nil
	}
	err := s.write(h, now)
	if err != nil && (s.destroyed || s.invalid) {
		s.deleteAll(h) // keep the browser's cookie, unless it must go
	}
	return err
}

// refreshDue reports whether re-issuing the cookie now would push its
// expiry back by at least RefreshAfter.
func (s *Session[T]) refreshDue(now time.Time) bool {
	if s.meta.isNew {
		return false
	}
	exp := earlier(now.Add(s.m.idle), s.meta.issuedAt().Add(s.m.abs))
	d := exp.Sub(s.meta.expiresAt())
	return d > 0 && d >= s.m.refresh
}

// write seals the session and sets its cookie or chunks, deleting the
// request's cookies that the new ones do not overwrite.
func (s *Session[T]) write(h http.Header, now time.Time) error {
	m := s.m
	iat := now
	if !s.meta.isNew && !s.renewed {
		iat = s.meta.issuedAt()
	}
	exp := earlier(now.Add(m.idle), iat.Add(m.abs))

	// One pooled buffer holds the plaintext and, after it, the Set-Cookie
	// header value sealed straight from it: the sealed part never
	// overlaps the plaintext, and a reallocation leaves pt valid.
	bp := s.buffer()
	pt := appendPayloadHeader((*bp)[:0], m.schema, s.flashes)
	pt, err := m.form.append(pt, &s.data)
	*bp = pt
	if err != nil {
		return fmt.Errorf("cookiesession: encoding the session: %w", err)
	}
	b := append(pt, m.name...)
	b = append(b, '=')
	start := len(b)
	b, err = m.codec.AppendSealAt(b, pt, iat, exp)
	*bp = b
	if err != nil && errors.Is(err, codec.ErrTooLarge) {
		// The token alone would exceed the limit; estimate its length.
		return &SizeError{Name: m.name, Size: (len(pt) + 56) * 4 / 3, Max: m.tokenMax}
	}
	if err != nil {
		return err
	}
	end := len(b)
	maxAge := max(int64(exp.Sub(now)/time.Second), 1)
	b = m.attrs.appendAttrs(b, maxAge)
	*bp = b
	begin := len(pt)
	if len(b)-begin <= m.maxSize {
		s.setCookie(h, string(b[begin:]))
		if s.sent.chunks == ([MaxChunks]bool{}) {
			return nil // no chunks to delete: the usual case
		}
		for i, seen := range s.sent.chunks {
			if seen {
				s.delete(h, chunkName(m.name, i))
			}
		}
		return nil
	}
	if !m.chunking {
		return &SizeError{Name: m.name, Size: len(b) - begin, Max: m.maxSize}
	}
	return s.writeChunks(h, string(b[start:end]), maxAge)
}

// setCookie adds a Set-Cookie header. The first one goes in a slice of
// capacity 1 inside the session, saving an allocation; appending to it
// copies it.
func (s *Session[T]) setCookie(h http.Header, v string) {
	if old := h["Set-Cookie"]; len(old) > 0 {
		h["Set-Cookie"] = append(old, v)
		return
	}
	s.cookie[0] = v
	h["Set-Cookie"] = s.cookie[:1:1]
}

// writeChunks splits token over Name.0 ... Name.(n-1), the first prefixed
// with "<n>.", each Set-Cookie header value at most MaxCookieSize.
func (s *Session[T]) writeChunks(h http.Header, token string, maxAge int64) error {
	m := s.m
	room := m.maxSize - len(m.attrs.appendSetCookie(nil, chunkName(m.name, 0), "", maxAge))
	n := (len(token) + 2 + room - 1) / room
	if room <= 2 || n > MaxChunks {
		return &SizeError{Name: m.name, Size: len(token), Max: MaxChunks*max(room, 2) - 2}
	}
	rest := token
	for i := range n {
		value, take := "", min(room, len(rest))
		if i == 0 {
			value, take = string(rune('0'+n))+".", min(room-2, len(rest))
		}
		value += rest[:take]
		rest = rest[take:]
		h.Add("Set-Cookie", string(m.attrs.appendSetCookie(nil, chunkName(m.name, i), value, maxAge)))
	}
	if s.sent.base {
		s.delete(h, m.name)
	}
	for i := n; i < MaxChunks; i++ {
		if s.sent.chunks[i] {
			s.delete(h, chunkName(m.name, i))
		}
	}
	return nil
}

// deleteAll deletes every cookie of the session the request carried.
func (s *Session[T]) deleteAll(h http.Header) {
	if s.sent.base {
		s.delete(h, s.m.name)
	}
	for i, seen := range s.sent.chunks {
		if seen {
			s.delete(h, chunkName(s.m.name, i))
		}
	}
}

func (s *Session[T]) delete(h http.Header, name string) {
	h.Add("Set-Cookie", string(s.m.attrs.appendSetCookie(nil, name, "", 0)))
}

func chunkName(name string, i int) string {
	return name + "." + string(rune('0'+i))
}

// addVary adds "Cookie" to the Vary header unless it is there.
func addVary(h http.Header) {
	vary := h["Vary"]
	if len(vary) == 0 {
		h["Vary"] = varyCookie
		return
	}
	for _, v := range vary {
		for f := range strings.SplitSeq(v, ",") {
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, "Cookie") {
				return
			}
		}
	}
	h["Vary"] = append(vary, "Cookie")
}

// Shared header values, as net/http does; a capacity of 1 makes any
// append copy them.
var (
	varyCookie     = []string{"Cookie"}[:1:1]
	privateNoStore = []string{"private, no-store"}[:1:1]
)

// addCacheControl keeps shared caches from storing a session's response:
// it sets "private, no-store" unless the handler already chose no-store
// or private.
func addCacheControl(h http.Header) {
	for _, v := range h["Cache-Control"] {
		for f := range strings.SplitSeq(v, ",") {
			f = strings.ToLower(strings.TrimSpace(f))
			if f == "no-store" || f == "private" || strings.HasPrefix(f, "private=") {
				return
			}
		}
	}
	h["Cache-Control"] = privateNoStore
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
