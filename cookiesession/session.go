package cookiesession

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
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
	// no longer the primary; the response re-seals it.
	NeedsReseal bool
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

	mu        sync.Mutex
	loaded    bool
	in        incoming
	data      T
	flashes   []string
	meta      Meta
	invalid   bool // the request's cookie was refused: clear it
	changed   bool
	renewed   bool
	destroyed bool
	gen       int // counts changes
	savedGen  int // gen when the cookie was written; -1 before
	saved     bool
}

// load opens the request's cookie on first access. Called with s.mu held.
func (s *Session[T]) load() {
	if s.loaded {
		return
	}
	s.loaded = true
	s.meta = Meta{New: true}
	s.in = readIncoming(s.r, s.m.name)
	if !s.in.any() {
		return
	}
	var first error
	for i := range s.in.nSingle {
		err := s.open(s.in.singles[i])
		if err == nil {
			return
		}
		if first == nil {
			first = err
		}
	}
	if s.in.anyChunk && s.in.nSingle == 0 {
		tok, err := s.in.joinChunks(s.m.maxSize * MaxChunks)
		if err == nil {
			err = s.open(tok)
		}
		if err == nil {
			return
		}
		first = err
	}
	s.invalid = true
	if s.m.onInvalid != nil {
		s.m.onInvalid(s.r, first)
	}
}

// open verifies a token and, if it is a valid session, takes its data.
func (s *Session[T]) open(token string) error {
	m := s.m
	pt, cm, err := m.codec.Open(token)
	if err != nil {
		return err
	}
	meta := Meta{
		KeyID:          cm.KeyID,
		IssuedAt:       cm.IssuedAt,
		ExpiresAt:      cm.ExpiresAt,
		AbsoluteExpiry: cm.IssuedAt.Add(m.abs),
		NeedsReseal:    cm.NeedsReseal,
	}
	if meta.IssuedAt.Before(m.notBefore) {
		return fmt.Errorf("%w: issued before NotBefore", ErrRevoked)
	}
	p, err := parsePayload(pt)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrDecode, err)
	}
	var data T
	switch {
	case p.schema == m.schema:
		if err := m.form.decode(p.data, &data); err != nil {
			return fmt.Errorf("%w: %w", ErrDecode, err)
		}
	case m.migrate == nil:
		return fmt.Errorf("%w: version %d, want %d", ErrSchema, p.schema, m.schema)
	default:
		if err := m.migrate(p.schema, p.data, &data); err != nil {
			return fmt.Errorf("%w: from version %d: %w", ErrSchema, p.schema, err)
		}
		s.changed = true // store it under the current schema
	}
	if m.validate != nil {
		if err := m.validate(s.r, meta, &data); err != nil {
			return fmt.Errorf("%w: %w", ErrRevoked, err)
		}
	}
	s.data, s.flashes, s.meta = data, p.flashes, meta
	return nil
}

// change marks the session for saving. Called with s.mu held.
func (s *Session[T]) change() {
	s.changed = true
	s.gen++
}

// Data returns a copy of the session's data: the zero T in a new session.
// The copy is shallow; change the session only through Set or Update.
func (s *Session[T]) Data() T {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.data
}

// Set replaces the session's data.
func (s *Session[T]) Set(v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	s.data = v
	s.change()
}

// Update calls f with the session's data to change it in place, holding
// the session's lock.
func (s *Session[T]) Update(f func(*T)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	f(&s.data)
	s.change()
}

// Renew gives the session a new token and issue time, keeping its data:
// call it at login and on any change of privilege, so a token planted in
// the browser before (session fixation) is not the one that becomes
// privileged. The absolute lifetime starts again.
func (s *Session[T]) Renew() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	s.renewed = true
	s.change()
}

// Destroy empties the session and deletes its cookie (every chunk of it).
// Data set afterwards in the same request starts a new session.
func (s *Session[T]) Destroy() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	var zero T
	s.data, s.flashes = zero, nil
	s.meta = Meta{New: true}
	s.destroyed, s.changed, s.renewed = true, false, false
	s.gen++
}

// AddFlash adds a one-shot message, kept in the session until read by
// Flashes, typically on the next page.
func (s *Session[T]) AddFlash(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	s.flashes = append(s.flashes, msg)
	s.change()
}

// Flashes returns the session's flash messages and removes them.
func (s *Session[T]) Flashes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	f := s.flashes
	if len(f) > 0 {
		s.flashes = nil
		s.change()
	}
	return slices.Clip(f)
}

// Meta describes the cookie the request carried.
func (s *Session[T]) Meta() Meta {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.meta
}

// lateChange reports whether the session changed after its cookie was
// written (or could no longer be).
func (s *Session[T]) lateChange() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saved && s.gen != s.savedGen
}
