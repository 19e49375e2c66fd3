// Package flow drives the recipes' apps as a browser would, through a TLS
// server and a cookie jar, and checks that the session cookie is written,
// read, changed and deleted.
//
// Every recipe serves the same app:
//
//	GET  /        "hello, stranger" or "hello, NAME (N visits)"
//	POST /login   name=NAME: a new session, 303 to /
//	POST /visit   counts a visit in the session, 303 to /
//	POST /logout  destroys the session, 303 to /
package flow

import (
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// Errors records what a Manager reports to Config.OnError.
type Errors struct {
	mu   sync.Mutex
	errs []error
}

// OnError is the Config.OnError hook that records err.
func (e *Errors) OnError(_ *http.Request, err error) {
	e.mu.Lock()
	e.errs = append(e.errs, err)
	e.mu.Unlock()
}

// Take returns the errors recorded so far and forgets them.
func (e *Errors) Take() []error {
	e.mu.Lock()
	defer e.mu.Unlock()
	errs := e.errs
	e.errs = nil
	return errs
}

// Manager returns a Manager for T under a new keyring that reports save
// errors to the returned Errors.
func Manager[T any](t testing.TB) (*cookiesession.Manager[T], *Errors) {
	t.Helper()
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	errs := &Errors{}
	m, err := cookiesession.New(ring, cookiesession.Config[T]{OnError: errs.OnError})
	if err != nil {
		t.Fatal(err)
	}
	return m, errs
}

// Browser is a TLS client with a cookie jar, talking to one test server.
// It does not follow redirects, so that each response's headers can be
// checked.
type Browser struct {
	t      testing.TB
	client *http.Client
	jar    http.CookieJar
	url    *url.URL
}

// Start serves h on a loopback TLS server, closed when the test ends, and
// returns a browser for it.
func Start(t testing.TB, h http.Handler) *Browser {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := srv.Client()
	client.Jar = jar
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return &Browser{t: t, client: client, jar: jar, url: u}
}

// Response is what the browser got back.
type Response struct {
	Status    int
	Header    http.Header
	Body      string
	SetCookie []string // the Set-Cookie header values
}

// Get requests path.
func (b *Browser) Get(path string) *Response { return b.Do("GET", path, nil, nil) }

// Post posts form to path.
func (b *Browser) Post(path string, form url.Values) *Response {
	return b.Do("POST", path, form, nil)
}

// Do sends a request with the form (if any) and the extra headers.
func (b *Browser) Do(method, path string, form url.Values, header http.Header) *Response {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.url.String()+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return &Response{
		Status:    resp.StatusCode,
		Header:    resp.Header,
		Body:      string(data),
		SetCookie: resp.Header.Values("Set-Cookie"),
	}
}

// Cookie returns the value of the jar's cookie name, "" if it has none.
func (b *Browser) Cookie(name string) string {
	for _, c := range b.jar.Cookies(b.url) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// sessionCookie returns the response's one Set-Cookie for name, parsed.
func sessionCookie(t testing.TB, step string, r *Response, name string) *http.Cookie {
	t.Helper()
	var found []*http.Cookie
	for _, v := range r.SetCookie {
		c, err := http.ParseSetCookie(v)
		if err != nil {
			t.Fatalf("%s: bad Set-Cookie %q: %v", step, v, err)
		}
		if c.Name == name {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: want one Set-Cookie for %s, got %q", step, name, r.SetCookie)
	}
	return found[0]
}

// expect fails t unless r has the status and, when body is not "", that
// body.
func expect(t testing.TB, step string, r *Response, status int, body string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d (body %q)", step, r.Status, status, r.Body)
	}
	if body != "" && strings.TrimSpace(r.Body) != body {
		t.Fatalf("%s: body %q, want %q", step, r.Body, body)
	}
}

// Check runs the app's flow against h, whose sessions are m's and whose
// save errors go to errs: log in, read, change and log out, checking the
// cookie at each step, and that a cross-site form post is refused.
func Check[T any](t *testing.T, h http.Handler, m *cookiesession.Manager[T], errs *Errors) {
	t.Helper()
	b := Start(t, h)
	name := m.Name()

	r := b.Get("/")
	expect(t, "first visit", r, http.StatusOK, "hello, stranger")
	if len(r.SetCookie) != 0 {
		t.Fatalf("first visit: a session only read set cookies %q", r.SetCookie)
	}

	r = b.Post("/login", url.Values{"name": {"ada"}})
	expect(t, "login", r, http.StatusSeeOther, "")
	c := sessionCookie(t, "login", r, name)
	if c.MaxAge <= 0 || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Fatalf("login: cookie %q lacks the secure defaults", r.SetCookie)
	}
	if !slices.Contains(r.Header.Values("Vary"), "Cookie") {
		t.Fatalf("login: Vary %q, want Cookie", r.Header.Values("Vary"))
	}
	loggedIn := b.Cookie(name)
	if loggedIn == "" || loggedIn != c.Value {
		t.Fatalf("login: the jar holds %q, want the cookie set", loggedIn)
	}

	r = b.Get("/")
	expect(t, "page after login", r, http.StatusOK, "hello, ada (0 visits)")
	if len(r.SetCookie) != 0 {
		t.Fatalf("page after login: reading the session set cookies %q", r.SetCookie)
	}

	r = b.Post("/visit", nil)
	expect(t, "visit", r, http.StatusSeeOther, "")
	c = sessionCookie(t, "visit", r, name)
	if c.MaxAge <= 0 || c.Value == loggedIn || b.Cookie(name) != c.Value {
		t.Fatalf("visit: the change wrote %q (jar %q), want a new cookie", r.SetCookie, b.Cookie(name))
	}
	expect(t, "page after visit", b.Get("/"), http.StatusOK, "hello, ada (1 visits)")

	// Form posts from another site are refused before they reach the
	// session (http.CrossOriginProtection).
	r = b.Do("POST", "/visit", url.Values{}, http.Header{"Sec-Fetch-Site": {"cross-site"}})
	expect(t, "cross-site post", r, http.StatusForbidden, "")
	if len(r.SetCookie) != 0 {
		t.Fatalf("cross-site post: set cookies %q", r.SetCookie)
	}
	expect(t, "page after cross-site post", b.Get("/"), http.StatusOK, "hello, ada (1 visits)")

	r = b.Post("/logout", nil)
	expect(t, "logout", r, http.StatusSeeOther, "")
	if c = sessionCookie(t, "logout", r, name); c.MaxAge >= 0 {
		t.Fatalf("logout: %q does not delete the cookie", r.SetCookie)
	}
	if v := b.Cookie(name); v != "" {
		t.Fatalf("logout: the jar still holds %q", v)
	}
	expect(t, "page after logout", b.Get("/"), http.StatusOK, "hello, stranger")

	if got := errs.Take(); len(got) != 0 {
		t.Fatalf("OnError heard %v during a flow with nothing to report", got)
	}
}

// CheckLate requests GET path from h, whose handler writes the body and
// then changes the session, and checks that no cookie is set and that
// OnError hears cookiesession.ErrWritten: the change is reported, not lost
// silently.
func CheckLate[T any](t *testing.T, h http.Handler, m *cookiesession.Manager[T], errs *Errors, path string) {
	t.Helper()
	b := Start(t, h)
	r := b.Get(path)
	expect(t, "late change", r, http.StatusOK, "")
	if len(r.SetCookie) != 0 || b.Cookie(m.Name()) != "" {
		t.Fatalf("late change: set cookies %q after the body", r.SetCookie)
	}
	// net/http sends a short body only after the handler returns, and
	// LoadAndSave reports before it returns: the error is there by now.
	got := errs.Take()
	if len(got) != 1 || !errors.Is(got[0], cookiesession.ErrWritten) {
		t.Fatalf("late change: OnError heard %v, want one ErrWritten", got)
	}
}
