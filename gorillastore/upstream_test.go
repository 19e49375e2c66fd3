package gorillastore_test

// The CookieStore tests of github.com/gorilla/sessions v1.4.0
// (sessions_test.go and store_test.go, BSD-3-Clause, Copyright 2012 The
// Gorilla Authors), rewritten to exercise the same behaviour against this
// store. What differs from upstream, and why:
//
//   - the store is built with gorillastore.New over a keyring instead of
//     sessions.NewCookieStore over a securecookie key;
//   - TestFlashes: upstream checks that the default cookie is
//     "SameSite=None; Secure"; this store's default is SameSite=Lax (and
//     HttpOnly), deliberately safer, so the port checks those instead;
//   - TestGH2MaxLength: upstream raises the limit at run time with
//     FilesystemStore.MaxLength; here limits are fixed at construction
//     (Config.MaxTokenSize), so the port saves the same session through a
//     second store built with the larger limit. It also checks that the
//     error is keyseal.ErrTooLarge.

import (
	"encoding/base64"
	"encoding/gob"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/sessions"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/gorillastore"
)

// notice is an application type stored as a flash (upstream: FlashMessage).
type notice struct {
	Type    int
	Message string
}

func init() { gob.Register(notice{}) }

// saveAll runs sessions.Save for the request and returns its one
// Set-Cookie header.
func saveAll(t *testing.T, r *http.Request) string {
	t.Helper()
	w := httptest.NewRecorder()
	if err := sessions.Save(r, w); err != nil {
		t.Fatalf("sessions.Save: %v", err)
	}
	set := w.Header()["Set-Cookie"]
	if len(set) != 1 {
		t.Fatalf("Set-Cookie headers: %q, want one", set)
	}
	return set[0]
}

// request is a plain GET, with the given Cookie header if not empty.
func request(cookie string) *http.Request {
	r := httptest.NewRequest("GET", "http://localhost:8080/", nil)
	if cookie != "" {
		r.Header.Add("Cookie", cookie)
	}
	return r
}

// get is store.Get that fails the test on an error.
func get(t *testing.T, st sessions.Store, r *http.Request, name string) *sessions.Session {
	t.Helper()
	s, err := st.Get(r, name)
	if err != nil {
		t.Fatalf("Get(%q): %v", name, err)
	}
	return s
}

// Upstream: TestFlashes (sessions_test.go).
func TestUpstreamFlashes(t *testing.T) {
	st := newStore(t, gorillastore.Config{})
	if st.Options.SameSite != http.SameSiteLaxMode {
		t.Fatalf("default SameSite %v, want Lax", st.Options.SameSite)
	}

	// Flashes of the default key and of a custom one are kept across a
	// round trip through the cookie.
	r := request("")
	s := get(t, st, r, "session-key")
	if f := s.Flashes(); len(f) != 0 {
		t.Errorf("flashes of a new session: %v", f)
	}
	s.AddFlash("foo")
	s.AddFlash("bar")
	s.AddFlash("baz", "custom_key")
	setCookie := saveAll(t, r)
	for _, attr := range []string{"SameSite=Lax", "Secure", "HttpOnly"} {
		if !strings.Contains(setCookie, attr) {
			t.Fatalf("Set-Cookie %q lacks %s", setCookie, attr)
		}
	}
	// The registry refuses a name that cannot be a cookie's.
	if _, err := st.Get(r, "session:key"); err == nil || err.Error() != "sessions: invalid character in cookie name: session:key" {
		t.Fatalf("Get with an invalid name: %v", err)
	}

	cookie := strings.SplitN(setCookie, ";", 2)[0]
	s = get(t, st, request(cookie), "session-key")
	f := s.Flashes()
	if len(f) != 2 || f[0] != "foo" || f[1] != "bar" {
		t.Fatalf("flashes after the round trip: %v, want [foo bar]", f)
	}
	if f := s.Flashes(); len(f) != 0 {
		t.Errorf("flashes read twice: %v", f)
	}
	if f := s.Flashes("custom_key"); len(f) != 1 || f[0] != "baz" {
		t.Errorf("custom_key flashes: %v, want [baz]", f)
	}
	if f := s.Flashes("custom_key"); len(f) != 0 {
		t.Errorf("custom_key flashes read twice: %v", f)
	}

	// A flash of an application type (added as a pointer; gob gives back
	// the value) survives the round trip.
	r = request("")
	s = get(t, st, r, "session-key")
	if f := s.Flashes(); len(f) != 0 {
		t.Errorf("flashes of a new session: %v", f)
	}
	s.AddFlash(&notice{42, "foo"})
	cookie = strings.SplitN(saveAll(t, r), ";", 2)[0]
	s = get(t, st, request(cookie), "session-key")
	f = s.Flashes()
	if len(f) != 1 {
		t.Fatalf("flashes: %v, want one", f)
	}
	if n, ok := f[0].(notice); !ok || n != (notice{42, "foo"}) {
		t.Errorf("flash %#v, want %#v", f[0], notice{42, "foo"})
	}

	// The registry lives in the request's context: a shallow copy of the
	// request still sees the same session.
	r = request("")
	get(t, st, r, "session-key").Values["test"] = "test-value"
	r = r.WithContext(r.Context())
	if v := get(t, st, r, "session-key").Values["test"]; v != "test-value" {
		t.Fatalf("value after copying the request: %v, want test-value", v)
	}
}

// Upstream: TestGH8CookieStore (store_test.go). A session gets a copy of
// the store's options: changing the store later leaves it alone.
func TestUpstreamGH8CookieStore(t *testing.T) {
	st := newStore(t, gorillastore.Config{})
	st.Options.Path = "/"
	s, err := st.New(request(""), "hello")
	if err != nil {
		t.Fatal(err)
	}
	st.Options.Path = "/foo"
	if s.Options.Path != "/" {
		t.Fatalf("session Path %q changed with the store's, want /", s.Options.Path)
	}
}

// Upstream: TestGH2MaxLength (store_test.go). A session too large for the
// limit is refused by Save; with a larger limit the same session saves.
func TestUpstreamGH2MaxLength(t *testing.T) {
	ring := newRing(t)
	st := newStoreOn(t, ring, gorillastore.Config{})
	r := request("")
	s, err := st.New(r, "my-session")
	if err != nil {
		t.Fatal(err)
	}
	s.Values["big"] = make([]byte, base64.StdEncoding.DecodedLen(4096*2))
	w := httptest.NewRecorder()
	if err := s.Save(r, w); !errors.Is(err, keyseal.ErrTooLarge) {
		t.Fatalf("Save of 6 KiB under the default limit: %v, want ErrTooLarge", err)
	}
	if got := w.Header()["Set-Cookie"]; len(got) != 0 {
		t.Fatalf("a refused Save wrote %q", got)
	}

	// A little more than the value, for the encoding's overhead.
	larger := newStoreOn(t, ring, gorillastore.Config{MaxTokenSize: 4096 * 3})
	if err := larger.Save(r, w, s); err != nil {
		t.Fatalf("Save under a 12 KiB limit: %v", err)
	}
}

// Upstream: TestCookieStoreMapPanic (sessions_test.go). Saving a session
// made with sessions.NewSession, not by the store, neither panics nor fails.
func TestUpstreamCookieStoreMapPanic(t *testing.T) {
	defer func() {
		if p := recover(); p != nil {
			t.Fatal(p)
		}
	}()
	st := newStore(t, gorillastore.Config{})
	s := sessions.NewSession(st, "hello")
	s.Values["data"] = "hello-world"
	if err := s.Save(request(""), httptest.NewRecorder()); err != nil {
		t.Fatalf("Save: %v", err)
	}
}
