package cookiesession

import (
	"context"
	"log/slog"
	"net/http"
	"reflect"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/wallclock"
	"github.com/keyseal/keyseal/keyring"
)

// Manager loads and saves sessions of type T in sealed cookies. Build one
// with [New] at start-up and wrap handlers with [Manager.LoadAndSave]. A
// Manager is safe for concurrent use; key rotation happens in its
// keyring.Source, never in the Manager.
type Manager[T any] struct {
	codec *codec.Codec
	name  string
	attrs cookieAttrs

	abs, idle, refresh time.Duration
	maxSize            int
	tokenMax           int // the codec's MaxTokenSize
	chunking           bool

	form      dataForm[T]
	refs      bool // T has references: Data copies through form (copy.go)
	schema    uint32
	migrate   func(uint32, []byte, *T) error
	validate  func(*http.Request, Meta, *T) error
	notBefore time.Time
	nbf       int64 // notBefore in Unix seconds, for comparing issue times
	onInvalid func(*http.Request, error)
	onError   func(*http.Request, error)
	clock     func() time.Time
	dev       bool
	legacy    []legacyCookie[T] // legacy.go

	key *contextKey // distinct per Manager, so two Managers never collide
}

type contextKey struct{ name string }

// New returns a Manager that seals sessions with the keys src supplies.
// It refuses, with a [*keyseal.ConfigError], a Config a browser would not honour
// or that contradicts itself.
func New[T any](src keyring.Source, cfg Config[T]) (*Manager[T], error) {
	m := &Manager[T]{
		name:      cfg.Name,
		abs:       cfg.AbsoluteLifetime,
		idle:      cfg.IdleTimeout,
		refresh:   cfg.RefreshAfter,
		maxSize:   cfg.MaxCookieSize,
		chunking:  cfg.Chunking,
		form:      newDataForm[T](cfg.Serializer),
		refs:      hasRefs(reflect.TypeFor[T]()),
		schema:    cfg.SchemaVersion,
		migrate:   cfg.Migrate,
		validate:  cfg.Validate,
		notBefore: cfg.NotBefore.Truncate(time.Second),
		onInvalid: cfg.OnInvalid,
		onError:   cfg.OnError,
		clock:     cfg.Clock,
		dev:       cfg.InsecureDevMode,
	}
	if err := m.defaults(); err != nil {
		return nil, err
	}
	attrs, err := newCookieAttrs(m.name, cfg.Path, cfg.Domain, cfg.SameSite, !cfg.InsecureDevMode)
	if err != nil {
		return nil, err
	}
	m.attrs = attrs
	m.attrs.withIdleAge(int64(m.idle / time.Second))
	if m.legacy, err = newLegacy(cfg.Legacy, m.name, attrs); err != nil {
		return nil, err
	}
	if cfg.MaxDecompressedSize < 0 {
		return nil, &keyseal.ConfigError{Package: "cookiesession", Field: "MaxDecompressedSize", Reason: "must not be negative"}
	}
	cc := codec.Config{
		Leeway:              cfg.Leeway,
		Compress:            cfg.Compress,
		MaxDecompressedSize: cfg.MaxDecompressedSize,
		MaxAge:              m.abs,
	}
	cc.MaxTokenSize = m.maxSize
	if m.chunking {
		cc.MaxTokenSize = MaxChunks * m.maxSize
	}
	cc.Clock = m.clock
	m.tokenMax = cc.MaxTokenSize
	m.codec, err = codec.New(src, m.name, cc)
	if err != nil {
		return nil, err
	}
	m.nbf = m.notBefore.Unix()
	m.key = &contextKey{m.name}
	return m, nil
}

// defaults fills zero fields and checks durations and sizes.
func (m *Manager[T]) defaults() error {
	if m.name == "" {
		m.name = DefaultName
		if m.dev {
			m.name = DefaultDevName
		}
	}
	if m.abs == 0 {
		m.abs = DefaultAbsoluteLifetime
	}
	if m.idle == 0 {
		m.idle = min(DefaultIdleTimeout, m.abs)
	}
	if m.refresh == 0 {
		m.refresh = m.idle / 4
	}
	if m.maxSize == 0 {
		m.maxSize = DefaultMaxCookieSize
	}
	if m.clock == nil {
		m.clock = wallclock.Now
	}
	if m.onError == nil {
		m.onError = logError
	}
	switch {
	case m.abs < time.Second:
		return &keyseal.ConfigError{Package: "cookiesession", Field: "AbsoluteLifetime", Reason: "must be at least a second"}
	case m.idle < time.Second:
		return &keyseal.ConfigError{Package: "cookiesession", Field: "IdleTimeout", Reason: "must be at least a second"}
	case m.idle > m.abs:
		return &keyseal.ConfigError{Package: "cookiesession", Field: "IdleTimeout", Reason: "must not exceed AbsoluteLifetime"}
	case m.refresh > m.idle:
		return &keyseal.ConfigError{Package: "cookiesession", Field: "RefreshAfter", Reason: "must not exceed IdleTimeout"}
	case m.maxSize < 256:
		return &keyseal.ConfigError{Package: "cookiesession", Field: "MaxCookieSize", Reason: "must be at least 256"}
	}
	return nil
}

func logError(r *http.Request, err error) {
	slog.ErrorContext(r.Context(), "cookiesession: session not saved", "err", err, "path", r.URL.Path)
}

// Name returns the session cookie's name.
func (m *Manager[T]) Name() string { return m.name }

// LoadAndSave is middleware that gives next's requests a session, reached
// with [Manager.Get], and writes its cookie when needed before the first
// byte of the response body. The cookie is opened lazily, on the first
// access to the session; a request that never touches its session costs
// one allocation (its session together with the request's shallow copy
// that carries it) and writes no header.
//
// It has the signature routers expect of middleware
// (func(http.Handler) http.Handler).
func (m *Manager[T]) LoadAndSave(next http.Handler) http.Handler {
	return &loadAndSave[T]{m, next}
}

// loadAndSave is the handler LoadAndSave returns.
type loadAndSave[T any] struct {
	m    *Manager[T]
	next http.Handler
}

func (h *loadAndSave[T]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := h.m
	st := &state[T]{}
	s := &st.s
	s.m = m
	st.ctx = sessionContext[T]{r.Context(), s}
	// WithContext is inlined here: its copy stays on the stack and the
	// request handed on lives in st, saving an allocation.
	st.req = *r.WithContext(&st.ctx)
	r = &st.req
	s.r = r
	st.w = writer[T]{ResponseWriter: w, s: s}
	h.next.ServeHTTP(&st.w, r)
	if !s.committed && writtenAround(w) {
		// The handler wrote the response through another writer (a
		// router that does not pass ours on): the headers are gone.
		s.committed = true
		if s.lost() {
			m.onError(r, errWrittenAround)
		}
	}
	st.w.commit()
	if s.finish() {
		m.onError(r, ErrWritten)
	}
}

// state is all LoadAndSave allocates for a request, in one allocation:
// the session, the response writer, the request's context and the
// request's shallow copy that carries it.
type state[T any] struct {
	s   Session[T]
	w   writer[T]
	ctx sessionContext[T]
	req http.Request
}

// sessionContext is the request's context with its session as a value,
// like context.WithValue but without another allocation.
type sessionContext[T any] struct {
	context.Context
	s *Session[T]
}

// Value returns the session for the Manager's key, and defers to the
// parent context for any other key.
func (c *sessionContext[T]) Value(key any) any {
	if key == any(c.s.m.key) {
		return c.s
	}
	return c.Context.Value(key)
}

// Get returns the session of a request served through LoadAndSave. It
// panics when ctx comes from a request that did not go through this
// Manager's LoadAndSave: that is a programming error.
func (m *Manager[T]) Get(ctx context.Context) *Session[T] {
	s, ok := ctx.Value(m.key).(*Session[T])
	if !ok {
		panic("cookiesession: Get without LoadAndSave for cookie " + m.name)
	}
	return s
}
