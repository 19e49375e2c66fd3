package cookiesession

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/codecat"
)

// Meta describes a session's cookie as the request carried it.
type Meta struct {
	// New is true when the request carried no valid session cookie.
	New bool
	// KeyID is the ID of the key the cookie was sealed under (0 if New).
	KeyID uint32
	// IssuedAt is when the session began (login or Renew); refreshes and
	// key rotations keep it. Zero if New.
	IssuedAt time.Time
	// ExpiresAt is when the cookie expires unless refreshed (the idle
	// expiry); AbsoluteExpiry is when the session ends regardless. Zero if
	// New.
	ExpiresAt, AbsoluteExpiry time.Time
	// NeedsReseal is true when the cookie was sealed under a key that is
	// no longer the primary, or was migrated; the response re-seals it.
	NeedsReseal bool
	// Migrated is true when the session came from a legacy cookie (see
	// Config.Legacy) rather than a native one; KeyID is then 0, and the
	// response re-seals it as a native cookie.
	Migrated bool
	// Lifetime is the session's own lifetime (see [Session.SetLifetime]),
	// its Idle and Absolute filled in with the limits that apply. Zero if
	// New.
	Lifetime Lifetime
	// Stamp is the stamp the session was given with [Session.SetStamp]:
	// compare it with the user's current one in Config.Validate to log a
	// user out everywhere. Empty if none.
	Stamp string
	// Now is the request's time, from Config.Clock (read once per
	// request): compare times in Validate with it, not with time.Now.
	// Zero if New.
	Now time.Time
}

// Lifetime is a session's own lifetime, chosen at login with
// [Session.SetLifetime] and sealed in the session, so that the server
// enforces it and it survives refreshes and key rotations. The zero
// Lifetime is the default: a persistent cookie under the Manager's
// limits.
type Lifetime struct {
	// BrowserSession makes the cookie a browser-session cookie, with no
	// Max-Age: the browser drops it when it closes (a login without
	// "remember me"). The server still ends the session at its idle and
	// absolute limits.
	BrowserSession bool
	// Idle and Absolute shorten the Manager's IdleTimeout and
	// AbsoluteLifetime for this session; zero means the Manager's. They
	// may not exceed the Manager's, nor be under a second.
	Idle, Absolute time.Duration
}

// Session is one request's session. Its methods are safe for concurrent
// use by the goroutines of that request; it must not outlive the request.
//
// Requests of one browser run concurrently and each writes its own
// cookie: the last response wins. Keep that in mind for counters and the
// like; see the package example.
type Session[T any] struct {
	m *Manager[T]
	r *http.Request

	mu      sync.Mutex
	now     time.Time // the request's time, read on first need; see clock
	data    T
	flashes []string
	ext     sessionExt // the session's own settings (payload.go)
	meta    cookieMeta
	report  error     // for OnInvalid, once the lock is released
	cookie  [1]string // backs the response's first Set-Cookie header
	buf     *[]byte   // pooled, for opening and sealing; see buffer
	gen     uint32    // counts changes
	saveGen uint32    // gen when the headers were saved
	// Session.Save: the Set-Cookie values it added, and gen then.
	early    []string
	earlyGen uint32
	sent     sentCookies // which of the session's cookies the request carried
	// Flags, together to keep the session small.
	loaded    bool
	invalid   bool // the request's cookie was refused: clear it
	changed   bool
	renewed   bool
	destroyed bool
	saved     bool // the headers were saved (or can no longer be)
	saveEarly bool // Session.Save succeeded at earlyGen
	committed bool // the response writer saved, or may no longer save

	legacySent uint8 // which of Config.Legacy the request carried (legacy.go)
	// legacyChunks: the chunks of Chunked legacy cookies the request
	// carried, allocated when it carries one (legacychunks.go).
	legacyChunks *[MaxLegacy]legacyChunks
}

// cookieMeta is Meta as a session keeps it, compact: every request
// allocates a session. Times are the token's, in Unix seconds.
type cookieMeta struct {
	iat, exp    int64
	keyID       uint32
	isNew       bool
	needsReseal bool
	migrated    bool // from a legacy cookie (legacy.go)
}

// issuedAt and expiresAt are the times the codec reported.
func (c *cookieMeta) issuedAt() time.Time  { return time.Unix(c.iat, 0).UTC() }
func (c *cookieMeta) expiresAt() time.Time { return time.Unix(c.exp, 0).UTC() }

// fullMeta is the session's Meta.
func (s *Session[T]) fullMeta() Meta {
	c := &s.meta
	if c.isNew {
		return Meta{New: true}
	}
	iat := c.issuedAt()
	idle, abs := s.m.limits(&s.ext)
	return Meta{
		KeyID:          c.keyID,
		IssuedAt:       iat,
		ExpiresAt:      c.expiresAt(),
		AbsoluteExpiry: iat.Add(abs),
		NeedsReseal:    c.needsReseal,
		Migrated:       c.migrated,
		Lifetime:       Lifetime{BrowserSession: s.ext.browser, Idle: idle, Absolute: abs},
		Stamp:          s.ext.stamp,
		Now:            s.clock(),
	}
}

// limits returns the idle timeout and absolute lifetime of a session
// with settings e: its own where shorter than the Manager's.
func (m *Manager[T]) limits(e *sessionExt) (idle, abs time.Duration) {
	idle, abs = m.idle, m.abs
	if e.abs > 0 && e.abs < abs {
		abs = e.abs
	}
	if e.idle > 0 && e.idle < idle {
		idle = e.idle
	}
	return min(idle, abs), abs
}

// limits returns the session's idle timeout and absolute lifetime.
func (s *Session[T]) limits() (idle, abs time.Duration) { return s.m.limits(&s.ext) }

// load opens the request's cookie on first access. Called with s.mu held;
// a refused cookie's reason is left in s.report.
func (s *Session[T]) load() {
	if s.loaded {
		return
	}
	s.loaded = true
	s.meta = cookieMeta{isNew: true}
	var in incoming
	readIncoming(s.r, s.m.name, &in)
	s.sent = sentCookies{base: in.hasBase, anyChunk: in.anyChunk, chunks: in.seen}
	if !in.any() {
		s.loadLegacy(nil)
		return
	}
	var first error
	for i := range in.nSingle {
		err := s.open(in.singles[i])
		if err == nil {
			return
		}
		if first == nil {
			first = err
		}
	}
	if in.anyChunk {
		// The first value of each chunk name, then, if one came twice,
		// the last: a foreign set sent before or after the session's own
		// must not shadow it.
		for _, parts := range [...]*[MaxChunks]string{&in.chunks, &in.last} {
			tok, err := in.joinChunks(parts, s.m.tokenMax)
			if err == nil {
				err = s.open(tok)
			}
			if err == nil {
				return
			}
			if first == nil {
				first = err
			}
			if !in.dupChunks {
				break // the last values are the first ones
			}
		}
	}
	if s.loadLegacy(first) {
		return
	}
	s.invalid = true
	s.report = first
}

// clock returns the request's time: the clock is read once, when the
// session first needs it, and opening, refreshing and sealing all use that
// time (the codec through internal/codecat), as one event.
func (s *Session[T]) clock() time.Time {
	if s.now.IsZero() {
		s.now = s.m.clock()
	}
	return s.now
}

// lock locks the session and loads it on first access.
func (s *Session[T]) lock() {
	s.mu.Lock()
	s.load()
}

// unlock unlocks the session, then reports a refused cookie: hooks run
// without the lock, so they may use the session.
func (s *Session[T]) unlock() {
	err := s.report
	s.report = nil
	s.mu.Unlock()
	if err != nil && s.m.onInvalid != nil {
		s.m.onInvalid(s.r, err)
	}
}

// open verifies a token and, if it is a valid session, takes its data.
func (s *Session[T]) open(token string) error {
	m := s.m
	sp := s.buffer()
	pt, cm, err := codecat.AppendOpen(m.codec, (*sp)[:0], token, s.clock())
	*sp = pt
	if err != nil {
		return err
	}
	if cm.IssuedAt.Unix() < m.nbf {
		return fmt.Errorf("%w: issued before NotBefore", ErrRevoked)
	}
	p, err := parsePayload(pt)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrDecode, err)
	}
	// Decode in place (s.data is already on the heap); a refused session
	// leaves the zero T behind.
	if err := s.decode(p, &cm); err != nil {
		var zero T
		s.data = zero
		return err
	}
	s.flashes, s.ext = p.flashes, p.ext
	s.meta = cookieMeta{
		iat: cm.IssuedAt.Unix(), exp: cm.ExpiresAt.Unix(),
		keyID: cm.KeyID, needsReseal: cm.NeedsReseal,
	}
	return nil
}

// decode fills s.data from a payload, migrating an older schema or
// another serialized form, and asks Validate.
func (s *Session[T]) decode(p payload, cm *keyseal.Meta) error {
	m := s.m
	recode := false
	switch {
	case p.schema == m.schema:
		if !m.form.reads(p.form) {
			return formError(p.form, m.form.form)
		}
		var err error
		if recode, err = m.form.decodeAs(p.form, p.data, &s.data); err != nil {
			return fmt.Errorf("%w: %w", ErrDecode, err)
		}
	case m.migrate == nil:
		return fmt.Errorf("%w: version %d, want %d", ErrSchema, p.schema, m.schema)
	default:
		if err := m.migrate(p.schema, p.data, &s.data); err != nil {
			return fmt.Errorf("%w: from version %d: %w", ErrSchema, p.schema, err)
		}
	}
	if m.validate != nil {
		idle, abs := m.limits(&p.ext)
		meta := Meta{
			KeyID:          cm.KeyID,
			IssuedAt:       cm.IssuedAt,
			ExpiresAt:      cm.ExpiresAt,
			AbsoluteExpiry: cm.IssuedAt.Add(abs),
			NeedsReseal:    cm.NeedsReseal,
			Lifetime:       Lifetime{BrowserSession: p.ext.browser, Idle: idle, Absolute: abs},
			Stamp:          p.ext.stamp,
			Now:            s.clock(),
		}
		if err := m.validate(s.r, meta, &s.data); err != nil {
			return fmt.Errorf("%w: %w", ErrRevoked, err)
		}
	}
	if p.schema != m.schema || recode {
		s.changed = true // store it under the current schema and form
	}
	return nil
}

// change marks the session for saving. Called with s.mu held.
func (s *Session[T]) change() {
	s.changed = true
	s.gen++
}

// Data returns a copy of the session's data: the zero T in a new session.
// The copy shares nothing with the session: changing it changes neither
// the session nor its cookie; change the session through Set or Update.
// For a T with references inside (slices, maps, pointers) the copy is
// made through the serialized form, so it holds what the cookie holds
// (fields the form drops, such as unexported ones in JSON, are zero).
func (s *Session[T]) Data() T {
	s.lock()
	defer s.unlock()
	return s.copyData()
}

// Set replaces the session's data with v. The session keeps v as it is:
// v's slices and maps, changed before the response is written, are saved
// with it.
func (s *Session[T]) Set(v T) {
	s.lock()
	defer s.unlock()
	s.data = v
	s.change()
}

// Update calls f with the session's data to change it in place, holding
// the session's lock. f must not keep the pointer past its return.
func (s *Session[T]) Update(f func(*T)) {
	s.lock()
	defer s.unlock()
	f(&s.data)
	s.change()
}

// Renew gives the session a new token and issue time, keeping its data:
// call it at login and on any change of privilege, so a token planted in
// the browser before (session fixation) is not the one that becomes
// privileged. The absolute lifetime starts again.
func (s *Session[T]) Renew() {
	s.lock()
	defer s.unlock()
	s.renewed = true
	s.change()
}

// SetLifetime sets the session's own lifetime, typically at login with
// Renew: a browser-session cookie without "remember me", and idle and
// absolute limits shorter than the Manager's. It is sealed in the session
// and kept by refreshes, key rotations and Renew; Destroy resets it. An
// invalid Lifetime (a limit negative, under a second, or over the
// Manager's) is refused with a [*keyseal.ConfigError] and changes
// nothing.
func (s *Session[T]) SetLifetime(l Lifetime) error {
	for _, f := range [...]struct {
		name   string
		d, max time.Duration
	}{{"Lifetime.Idle", l.Idle, s.m.idle}, {"Lifetime.Absolute", l.Absolute, s.m.abs}} {
		switch {
		case f.d != 0 && f.d < time.Second:
			return &keyseal.ConfigError{Package: "cookiesession", Field: f.name, Reason: "must be zero or at least a second"}
		case f.d > f.max:
			return &keyseal.ConfigError{Package: "cookiesession", Field: f.name, Reason: "must not exceed the Manager's limit"}
		}
	}
	s.lock()
	defer s.unlock()
	s.ext.browser, s.ext.idle, s.ext.abs = l.BrowserSession, l.Idle, l.Absolute
	s.change()
	return nil
}

// SetStamp seals stamp in the session, typically at login with the
// user's current security stamp: a value the application keeps in its
// user record and replaces (with a fresh random one) to log the user out
// everywhere. [Config.Validate] compares meta.Stamp with the record's
// and refuses a session whose stamp is no longer current, exactly,
// whatever the clocks say. Refreshes, key rotations and Renew keep it;
// Destroy clears it.
func (s *Session[T]) SetStamp(stamp string) {
	s.lock()
	defer s.unlock()
	s.ext.stamp = stamp
	s.change()
}

// Destroy empties the session and deletes its cookie (every chunk of it)
// and the request's legacy cookies (see [Config.Legacy]). Data set
// afterwards in the same request starts a new session.
func (s *Session[T]) Destroy() {
	s.lock()
	defer s.unlock()
	s.markLegacy()
	var zero T
	s.data, s.flashes, s.ext = zero, nil, sessionExt{}
	s.meta = cookieMeta{isNew: true}
	s.destroyed, s.changed, s.renewed = true, false, false
	s.gen++
}

// AddFlash adds a one-shot message, kept in the session until read by
// Flashes, typically on the next page.
func (s *Session[T]) AddFlash(msg string) {
	s.lock()
	defer s.unlock()
	s.flashes = append(s.flashes, msg)
	s.change()
}

// Flashes returns the session's flash messages and removes them.
func (s *Session[T]) Flashes() []string {
	s.lock()
	defer s.unlock()
	f := s.flashes
	if len(f) > 0 {
		s.flashes = nil
		s.change()
	}
	return slices.Clip(f)
}

// Meta describes the cookie the request carried.
func (s *Session[T]) Meta() Meta {
	s.lock()
	defer s.unlock()
	return s.fullMeta()
}

// buffer returns the session's scratch buffer, for the plaintext of the
// cookie opened and of the one sealed: one pooled buffer serves both.
// Called with s.mu held.
func (s *Session[T]) buffer() *[]byte {
	if s.buf == nil {
		s.buf = getBuf()
	}
	return s.buf
}

// finish returns the scratch buffer to the pool, as LoadAndSave returns,
// and reports whether the session changed after its cookie was written
// (or could no longer be). A goroutine still using the session later
// gets a buffer of its own, which the pool never sees again.
func (s *Session[T]) finish() (lateChange bool) {
	s.mu.Lock()
	if s.buf != nil {
		putBuf(s.buf)
		s.buf = nil
	}
	late := s.saved && s.gen != s.saveGen
	s.mu.Unlock()
	return late
}
