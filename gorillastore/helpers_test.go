package gorillastore_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/sessions"

	"github.com/keyseal/keyseal/gorillastore"
	"github.com/keyseal/keyseal/keyring"
)

func newRing(t testing.TB) *keyring.Ring {
	t.Helper()
	r, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func newStore(t testing.TB, cfg gorillastore.Config) *gorillastore.Store {
	t.Helper()
	return newStoreOn(t, newRing(t), cfg)
}

func newStoreOn(t testing.TB, src keyring.Source, cfg gorillastore.Config) *gorillastore.Store {
	t.Helper()
	st, err := gorillastore.New(src, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// source is a keyring.Source whose ring a test swaps, as a keyring.Watcher
// does when the file changes.
type source struct {
	mu   sync.Mutex
	ring *keyring.Ring
}

func (s *source) Current() *keyring.Ring { s.mu.Lock(); defer s.mu.Unlock(); return s.ring }
func (s *source) set(r *keyring.Ring)    { s.mu.Lock(); s.ring = r; s.mu.Unlock() }

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// save saves s with the store and returns the cookie it set.
func save(t testing.TB, st sessions.Store, s *sessions.Session) *http.Cookie {
	t.Helper()
	w := httptest.NewRecorder()
	if err := st.Save(httptest.NewRequest("GET", "/", nil), w, s); err != nil {
		t.Fatalf("Save: %v", err)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("Save set %d cookies, want 1", len(cookies))
	}
	return cookies[0]
}

// load is store.New on a request carrying the cookie.
func load(st sessions.Store, c *http.Cookie) (*sessions.Session, error) {
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(c)
	return st.New(r, c.Name)
}
