package cookiesession

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/b64url"
	"github.com/keyseal/keyseal/internal/codecat"
	"github.com/keyseal/keyseal/internal/loopback"
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

// hijacked marks the session as saved, with nothing written, so that a
// later change is reported as too late. It reports whether the session
// had changes not saved yet, which the hijacked connection loses.
func (s *Session[T]) hijacked() (lost bool) {
	s.mu.Lock()
	lost = s.gen != s.saveGen
	s.saved, s.saveGen = true, s.gen
	s.mu.Unlock()
	return lost
}

func (s *Session[T]) saveLocked(h http.Header) error {
	s.saved, s.saveGen = true, s.gen
	if !s.loaded {
		return nil
	}
	if s.saveEarly {
		if s.gen == s.earlyGen {
			return nil // Session.Save wrote it, and it has not changed since
		}
		s.dropEarly(h)
	}
	// A header map that starts empty has no Set-Cookie to append to: no
	// need to look for one (a lookup costs a hash once the map holds a
	// key).
	out := cookieOut{h: h, read: len(h) == 0, first: &s.cookie}
	addCacheHeaders(h)
	err := s.saveCookies(&out, s.clock())
	out.flush()
	return err
}

// Save seals the session now and writes its Set-Cookie headers into w's
// headers, so that a handler learns before it writes the response whether
// the session will be saved: it returns a [*SizeError] (ErrTooLarge) for a
// session that does not fit, the sealing error, [ErrDevMode], or
// [ErrWritten] once the middleware has sent the headers. On an error the
// browser keeps its previous cookie unless the session changes again
// (the handler may undo the change and answer accordingly); the
// middleware tries once more as the response is written and reports a
// failure to OnError as usual.
//
// Save also writes the cookie where the middleware cannot: behind a
// router that does not pass LoadAndSave's ResponseWriter on to the
// handler, call Save(w) before writing the response. A session changed
// after Save is saved again by the middleware, replacing what Save wrote.
func (s *Session[T]) Save(w http.ResponseWriter) error {
	s.lock()
	err := s.saveNow(w.Header())
	s.unlock()
	return err
}

// saveNow is Save with s.mu held.
func (s *Session[T]) saveNow(h http.Header) error {
	if s.saved {
		if s.gen != s.saveGen {
			return ErrWritten
		}
		return nil
	}
	if s.saveEarly {
		if s.gen == s.earlyGen {
			return nil
		}
		s.dropEarly(h)
	}
	before := len(h["Set-Cookie"])
	out := cookieOut{h: h, read: len(h) == 0, first: &s.cookie}
	addCacheHeaders(h)
	err := s.saveCookies(&out, s.clock())
	if err != nil {
		return err
	}
	out.flush()
	vs := h["Set-Cookie"]
	s.early = append(s.early[:0], vs[min(before, len(vs)):]...)
	s.saveEarly, s.earlyGen = true, s.gen
	// What the cookie now holds is what the request carried, as far as
	// later saves go: a refresh or re-seal is done.
	s.changed, s.invalid, s.meta.needsReseal = false, false, false
	return nil
}

// lost marks the session as saved, with nothing written, and reports
// whether it needed a cookie that Save had not written: a change, a
// refresh, a re-seal or a deletion.
func (s *Session[T]) lost() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.saved, s.saveGen = true, s.gen
	if !s.loaded || s.saveEarly && s.gen == s.earlyGen {
		return false
	}
	out := cookieOut{h: http.Header{}, read: true, first: new([1]string)}
	err := s.saveCookies(&out, s.clock())
	return err != nil || out.added
}

// dropEarly removes from h the Set-Cookie values Save added.
func (s *Session[T]) dropEarly(h http.Header) {
	var kept []string
	for _, v := range h["Set-Cookie"] {
		if !slices.Contains(s.early, v) {
			kept = append(kept, v)
		}
	}
	if len(kept) == 0 {
		delete(h, "Set-Cookie")
	} else {
		h["Set-Cookie"] = kept
	}
	s.early, s.saveEarly = s.early[:0], false
}

// saveCookies adds to out the Set-Cookie headers the session needs at now.
func (s *Session[T]) saveCookies(out *cookieOut, now time.Time) error {
	m := s.m
	write := s.changed || s.meta.needsReseal || s.refreshDue(now)
	if !write && !s.destroyed && !s.invalid {
		return nil
	}
	if m.dev && !loopback.Host(s.r.Host) {
		return ErrDevMode
	}
	if !write {
		s.deleteLegacy(out)
		s.deleteAll(out)
		return nil
	}
	err := s.write(out, now)
	if err != nil && (s.destroyed || s.invalid) {
		s.deleteAll(out) // keep the browser's cookie, unless it must go
	}
	// A migrated session that could not be re-sealed lives on in its
	// legacy cookie alone: keep that too.
	if err == nil || !s.meta.migrated {
		s.deleteLegacy(out)
	}
	return err
}

// cookieOut gathers a response's Set-Cookie values, to store them in the
// header map once.
type cookieOut struct {
	h      http.Header
	values []string   // the response's Set-Cookie values, once read
	read   bool       // values holds h's Set-Cookie values
	added  bool       // values has more than h holds
	first  *[1]string // backs the first value when h has none
}

// add appends a Set-Cookie value. The first one of a response goes in a
// slice of capacity 1 inside the session, saving an allocation; appending
// to it copies it.
func (o *cookieOut) add(v string) {
	if !o.read {
		o.values, o.read = o.h["Set-Cookie"], true
	}
	o.added = true
	if len(o.values) == 0 {
		o.first[0] = v
		o.values = o.first[:1:1]
		return
	}
	o.values = append(o.values, v)
}

// flush stores the values added in the header map.
func (o *cookieOut) flush() {
	if o.added {
		o.h["Set-Cookie"] = o.values
	}
}

// refreshDue reports whether re-issuing the cookie now would push its
// expiry back by at least RefreshAfter.
func (s *Session[T]) refreshDue(now time.Time) bool {
	if s.meta.isNew {
		return false
	}
	idle, abs := s.limits()
	d := cookieLife(now, s.meta.iat, idle, abs) + sinceUnix(now, s.meta.exp)
	// A session's own idle timeout, shorter than the Manager's, refreshes
	// as often in proportion, at most every quarter of it.
	return d > 0 && d >= min(s.m.refresh, idle/4)
}

// cookieLife returns how long a cookie written at now lives under the
// Manager's limits; see the function.
func (m *Manager[T]) cookieLife(now time.Time, iat int64) time.Duration {
	return cookieLife(now, iat, m.idle, m.abs)
}

// cookieLife returns how long a cookie written at now lives: the idle
// timeout, or less when the absolute lifetime counted from iat (Unix
// seconds) ends sooner.
func cookieLife(now time.Time, iat int64, idle, abs time.Duration) time.Duration {
	// An iat after now (within the codec's leeway) leaves the whole
	// absolute lifetime, at least the idle timeout.
	if d := sinceUnix(now, iat); d > 0 && abs-d < idle {
		return abs - d
	}
	return idle
}

// The times of a write are computed in Unix seconds and durations, not
// with time.Time's Add and Sub, which cost several times more with a
// clock that has a monotonic reading and a token time that has none.

// sinceUnix returns now minus sec (Unix seconds), as now.Sub(time.Unix(sec,
// 0)) does, clamped to ±2³² seconds (136 years), far beyond any session's
// lifetime, so that sums of two never overflow.
func sinceUnix(now time.Time, sec int64) time.Duration {
	d := min(max(now.Unix()-sec, -1<<32), 1<<32)
	return time.Duration(d)*time.Second + time.Duration(now.Nanosecond())
}

// ceilUnixAfter returns now.Add(d) in Unix seconds, rounded up.
func ceilUnixAfter(now time.Time, d time.Duration) int64 {
	sec := now.Unix() + int64(d/time.Second)
	// ns is in (-1s, 2s): round it up to whole seconds.
	ns := int64(now.Nanosecond()) + int64(d%time.Second)
	return sec + (ns+int64(time.Second)-1)/int64(time.Second)
}

// maxSealOverhead is the most the codec adds to a plaintext before
// base64: the header and XChaCha20-Poly1305's nonce and tag (AES-GCM and
// HMAC modes add less). Used only to size a buffer: were it short, the
// buffer would grow.
const maxSealOverhead = codec.HeaderSize + 24 + 16

// write seals the session and sets its cookie or chunks, deleting the
// request's cookies that the new ones do not overwrite.
func (s *Session[T]) write(out *cookieOut, now time.Time) error {
	m := s.m
	idle, abs := s.limits()
	iat, life := now, idle
	if !s.meta.isNew && !s.renewed {
		iat, life = time.Unix(s.meta.iat, 0), cookieLife(now, s.meta.iat, idle, abs)
	}
	// The sealed expiry is now+life rounded up to the second (within the
	// absolute lifetime, as the codec caps it), and Max-Age the whole
	// seconds from now to it: the browser never keeps the cookie past the
	// token's expiry, and with a whole-second IdleTimeout Max-Age is it.
	exp := ceilUnixAfter(now, life)
	if limit := iat.Unix() + int64(abs/time.Second); exp > limit {
		exp = limit
	}
	if s.meta.migrated && !s.renewed {
		exp = min(exp, s.meta.exp) // the legacy expiry; see openLegacy
	}
	maxAge := exp - now.Unix()
	if now.Nanosecond() != 0 {
		maxAge--
	}
	if maxAge < 1 {
		// Less than a second of the absolute lifetime is left: a cookie
		// the browser kept for the shortest Max-Age, one second, would
		// outlive the token. The session ends now.
		s.deleteAll(out)
		return nil
	}
	attrAge := maxAge
	if s.ext.browser {
		attrAge = noMaxAge // gone when the browser closes; exp still holds
	}

	// The plaintext goes in the session's pooled buffer, the Set-Cookie
	// header value in one of its own: allocated at its final size (the
	// codec never makes a token longer than tokenMax) and never written
	// after it is complete, it becomes the header's string (or the token
	// chunks are cut from) without a copy.
	bp := s.buffer()
	pt := appendPayloadHeader((*bp)[:0], m.form.form, m.schema, s.flashes, &s.ext)
	pt, err := m.form.append(pt, &s.data)
	*bp = pt
	if err != nil {
		return fmt.Errorf("cookiesession: encoding the session: %w", err)
	}
	size := min(b64url.EncodedLen(len(pt)+maxSealOverhead), m.tokenMax)
	b := make([]byte, 0, len(m.name)+1+size+m.attrs.size(attrAge))
	b = append(b, m.name...)
	b = append(b, '=')
	start := len(b)
	b, err = codecat.AppendSealAt(m.codec, b, pt, now, iat, time.Unix(exp, 0))
	if err != nil && errors.Is(err, keyseal.ErrTooLarge) {
		// The token alone would exceed the limit; estimate its length.
		return &SizeError{Name: m.name, Size: (len(pt) + maxSealOverhead) * 4 / 3, Max: m.tokenMax}
	}
	if err != nil {
		return err
	}
	end := len(b)
	b = m.attrs.appendAttrs(b, attrAge)
	if len(b) <= m.maxSize {
		out.add(unsafe.String(unsafe.SliceData(b), len(b)))
		if !s.sent.anyChunk {
			return nil // no chunks to delete: the usual case
		}
		for i, seen := range s.sent.chunks {
			if seen {
				s.delete(out, chunkName(m.name, i))
			}
		}
		return nil
	}
	if !m.chunking {
		return &SizeError{Name: m.name, Size: len(b), Max: m.maxSize}
	}
	return s.writeChunks(out, unsafe.String(&b[start], end-start), attrAge)
}

// writeChunks splits token over Name.0 ... Name.(n-1), the first prefixed
// with "<n>.", each Set-Cookie header value at most MaxCookieSize.
func (s *Session[T]) writeChunks(out *cookieOut, token string, maxAge int64) error {
	m := s.m
	room := m.maxSize - len(m.attrs.appendSetCookie(nil, chunkName(m.name, 0), "", maxAge))
	// Attributes that leave no room for a value (a long Path with a small
	// MaxCookieSize) must be refused before dividing by room.
	if room <= 2 {
		return &SizeError{Name: m.name, Size: len(token), Max: 0}
	}
	n := (len(token) + 2 + room - 1) / room
	if n > MaxChunks {
		return &SizeError{Name: m.name, Size: len(token), Max: MaxChunks*room - 2}
	}
	rest := token
	for i := range n {
		value, take := "", min(room, len(rest))
		if i == 0 {
			value, take = string(rune('0'+n))+".", min(room-2, len(rest))
		}
		value += rest[:take]
		rest = rest[take:]
		out.add(string(m.attrs.appendSetCookie(nil, chunkName(m.name, i), value, maxAge)))
	}
	if s.sent.base {
		s.delete(out, m.name)
	}
	for i := n; i < MaxChunks; i++ {
		if s.sent.chunks[i] {
			s.delete(out, chunkName(m.name, i))
		}
	}
	return nil
}

// deleteAll deletes every cookie of the session the request carried.
func (s *Session[T]) deleteAll(out *cookieOut) {
	if s.sent.base {
		s.delete(out, s.m.name)
	}
	for i, seen := range s.sent.chunks {
		if seen {
			s.delete(out, chunkName(s.m.name, i))
		}
	}
}

func (s *Session[T]) delete(out *cookieOut, name string) {
	out.add(string(s.m.attrs.appendSetCookie(nil, name, "", 0)))
}

func chunkName(name string, i int) string {
	return name + "." + string(rune('0'+i))
}

// addCacheHeaders adds "Cookie" to the Vary header unless it is there,
// and keeps shared caches from storing a session's response: it sets
// Cache-Control to "private, no-store" unless the handler already chose
// no-store or private. Both headers are read before either is written:
// looking up a key in a small map costs a hash unless the map is empty.
func addCacheHeaders(h http.Header) {
	if len(h) == 0 {
		h["Vary"], h["Cache-Control"] = varyCookie, privateNoStore
		return
	}
	vary, cc := h["Vary"], h["Cache-Control"]
	switch {
	case len(vary) == 0:
		h["Vary"] = varyCookie
	case !hasVaryCookie(vary):
		h["Vary"] = append(vary, "Cookie")
	}
	if !isPrivate(cc) {
		h["Cache-Control"] = privateNoStore
	}
}

// hasVaryCookie reports whether Vary values name Cookie, or "*".
func hasVaryCookie(vary []string) bool {
	for _, v := range vary {
		for f := range strings.SplitSeq(v, ",") {
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, "Cookie") {
				return true
			}
		}
	}
	return false
}

// Shared header values, as net/http does; a capacity of 1 makes any
// append copy them.
var (
	varyCookie     = []string{"Cookie"}[:1:1]
	privateNoStore = []string{"private, no-store"}[:1:1]
)

// isPrivate reports whether Cache-Control values say no-store or private.
func isPrivate(cc []string) bool {
	for _, v := range cc {
		for f := range strings.SplitSeq(v, ",") {
			f = strings.ToLower(strings.TrimSpace(f))
			if f == "no-store" || f == "private" || strings.HasPrefix(f, "private=") {
				return true
			}
		}
	}
	return false
}
