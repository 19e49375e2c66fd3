package cookiesession_test

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// user is the session type of the tests.
type user struct {
	Name  string `json:"name,omitempty"`
	Count int    `json:"count,omitempty"`
	Blob  string `json:"blob,omitempty"`
}

// swapSource is a keyring.Source whose ring a test replaces, as a
// keyring.Watcher would on a file change.
type swapSource struct{ p atomic.Pointer[keyring.Ring] }

func (s *swapSource) Current() *keyring.Ring { return s.p.Load() }

// fakeClock is a clock a test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a TLS server running the test app behind a Manager, and a client
// with a cookie jar, like a browser.
type env struct {
	t      *testing.T
	src    *swapSource
	clock  *fakeClock
	m      *cookiesession.Manager[user]
	srv    *httptest.Server
	client *http.Client
	url    *url.URL
	mux    *http.ServeMux

	mu      sync.Mutex
	invalid []error
	errs    []error
}

// newEnv starts the test app. edit, if not nil, adjusts the Config.
func newEnv(t *testing.T, edit func(*cookiesession.Config[user])) *env {
	t.Helper()
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, src: &swapSource{}, clock: &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}}
	e.src.p.Store(ring)
	cfg := cookiesession.Config[user]{
		Clock: e.clock.Now,
		OnInvalid: func(r *http.Request, err error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.invalid = append(e.invalid, err)
		},
		OnError: func(r *http.Request, err error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.errs = append(e.errs, err)
		},
	}
	if edit != nil {
		edit(&cfg)
	}
	e.m, err = cookiesession.New(e.src, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewTLSServer(e.m.LoadAndSave(e.app()))
	t.Cleanup(e.srv.Close)
	e.client = e.srv.Client()
	e.client.Jar, _ = cookiejar.New(nil)
	e.url, _ = url.Parse(e.srv.URL)
	return e
}

// app is the test application.
func (e *env) app() http.Handler {
	mux := http.NewServeMux()
	e.mux = mux
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		s := e.m.Get(r.Context())
		s.Set(user{Name: r.FormValue("name")})
		s.Renew()
		s.AddFlash("welcome " + r.FormValue("name"))
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("/count", func(w http.ResponseWriter, r *http.Request) {
		s := e.m.Get(r.Context())
		s.Update(func(u *user) { u.Count++ })
		fmt.Fprint(w, s.Data().Count)
	})
	mux.HandleFunc("/me", func(w http.ResponseWriter, r *http.Request) {
		u := e.m.Get(r.Context()).Data()
		fmt.Fprintf(w, "%s %d", u.Name, u.Count)
	})
	mux.HandleFunc("/flash", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Join(e.m.Get(r.Context()).Flashes(), ","))
	})
	mux.HandleFunc("/logout", func(w http.ResponseWriter, r *http.Request) {
		e.m.Get(r.Context()).Destroy()
		io.WriteString(w, "bye")
	})
	mux.HandleFunc("/blob", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.FormValue("n"), &n)
		e.m.Get(r.Context()).Update(func(u *user) { u.Blob = randomText(n) })
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("/none", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "untouched")
	})
	return mux
}

// randomText returns n incompressible characters.
func randomText(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// get requests path and returns the body and the response.
func (e *env) get(path string) (string, *http.Response) {
	e.t.Helper()
	return e.do(path, nil)
}

// do requests path with extra Cookie headers (in addition to the jar's).
func (e *env) do(path string, cookies []string) (string, *http.Response) {
	e.t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range cookies {
		req.Header.Add("Cookie", c)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s: %s", path, resp.Status)
	}
	return string(body), resp
}

// want requests path and checks the body.
func (e *env) want(path, body string) *http.Response {
	e.t.Helper()
	got, resp := e.get(path)
	if got != body {
		e.t.Fatalf("GET %s = %q, want %q", path, got, body)
	}
	return resp
}

// jarCookies returns the jar's cookies for the server by name.
func (e *env) jarCookies() map[string]string {
	out := map[string]string{}
	for _, c := range e.client.Jar.Cookies(e.url) {
		out[c.Name] = c.Value
	}
	return out
}

// keyID returns the key ID in the session cookie's (unverified) header.
func (e *env) keyID() uint32 {
	e.t.Helper()
	h, err := codec.ParseHeader(e.jarCookies()[e.m.Name()])
	if err != nil {
		e.t.Fatalf("session cookie: %v", err)
	}
	return h.KeyID
}

// takeInvalid returns and forgets the errors OnInvalid received.
func (e *env) takeInvalid() []error {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.invalid
	e.invalid = nil
	return out
}

// takeErrors returns and forgets the errors OnError received.
func (e *env) takeErrors() []error {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.errs
	e.errs = nil
	return out
}

// setCookies returns the Set-Cookie headers of a response.
func setCookies(resp *http.Response) []string { return resp.Header.Values("Set-Cookie") }

// rotate adds a key and promotes it, returning the old and new primary IDs.
func (e *env) rotate() (old, next uint32) {
	e.t.Helper()
	ring := e.src.Current()
	old = ring.Primary(e.clock.Now()).ID()
	ring, k, err := ring.Add(keyring.XChaCha20Poly1305, time.Time{})
	if err != nil {
		e.t.Fatal(err)
	}
	ring, err = ring.Promote(k.ID())
	if err != nil {
		e.t.Fatal(err)
	}
	e.src.p.Store(ring)
	return old, k.ID()
}
