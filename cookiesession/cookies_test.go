package cookiesession_test

import (
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// names returns the sorted names of the jar's cookies.
func (e *env) names() []string {
	var out []string
	for n := range e.jarCookies() {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// TestChunking: a large session is split into chunks, each Set-Cookie
// within the limit, read back whole, and the chunks a smaller session no
// longer needs are deleted.
func TestChunking(t *testing.T) {
	e := newEnv(t, func(c *cookiesession.Config[user]) { c.Chunking = true })
	n := e.m.Name()
	e.want("/login?name=ada", "ok")

	resp := e.want("/blob?n=7000", "ok")
	for _, sc := range setCookies(resp) {
		if len(sc) > cookiesession.DefaultMaxCookieSize {
			t.Fatalf("Set-Cookie of %d bytes", len(sc))
		}
	}
	if got, want := e.names(), []string{n + ".0", n + ".1", n + ".2"}; !slices.Equal(got, want) {
		t.Fatalf("cookies %v, want %v", got, want)
	}
	if h := e.jarCookies()[n+".0"]; !strings.HasPrefix(h, "3.") {
		t.Fatalf("first chunk does not start with the count: %.10q", h)
	}
	e.want("/count", "1")
	e.want("/me", "ada 1")

	e.want("/blob?n=4000", "ok") // three chunks to two
	if got, want := e.names(), []string{n + ".0", n + ".1"}; !slices.Equal(got, want) {
		t.Fatalf("cookies %v, want %v", got, want)
	}
	e.want("/me", "ada 1")
	e.want("/blob?n=10", "ok") // back to one cookie
	if got, want := e.names(), []string{n}; !slices.Equal(got, want) {
		t.Fatalf("cookies %v, want %v", got, want)
	}
	e.want("/me", "ada 1")
	e.want("/blob?n=5000", "ok")
	e.want("/logout", "bye")
	if got := e.names(); len(got) != 0 {
		t.Fatalf("cookies after logout: %v", got)
	}
	if errs := append(e.takeInvalid(), e.takeErrors()...); len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
}

// TestChunksDoNotMix: chunks of two sessions joined together are refused.
func TestChunksDoNotMix(t *testing.T) {
	e := newEnv(t, func(c *cookiesession.Config[user]) { c.Chunking = true })
	n := e.m.Name()
	e.want("/login?name=ada", "ok")
	e.want("/blob?n=5000", "ok")
	a := e.jarCookies()
	e.want("/login?name=bob", "ok")
	e.want("/blob?n=5000", "ok")
	b := e.jarCookies()

	e.client.Jar.SetCookies(e.url, []*http.Cookie{{Name: n + ".1", Value: a[n+".1"]}})
	e.want("/me", " 0")
	if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrAuth) {
		t.Fatalf("OnInvalid got %v, want ErrAuth", errs)
	}
	e.client.Jar.SetCookies(e.url, []*http.Cookie{{Name: n + ".0", Value: b[n+".0"]}})
	e.want("/me", " 0")
	if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrMalformed) {
		t.Fatalf("OnInvalid got %v for a missing chunk, want ErrMalformed", errs)
	}
}

// TestTooLarge: without chunking, a session too large for its cookie is
// reported and not written; the browser keeps the previous session.
func TestTooLarge(t *testing.T) {
	e := newEnv(t, nil)
	e.want("/login?name=ada", "ok")
	e.want("/count", "1")
	resp := e.want("/blob?n=4000", "ok")
	if sc := setCookies(resp); len(sc) != 0 {
		t.Fatalf("Set-Cookie written for a session too large: %.80q", sc)
	}
	errs := e.takeErrors()
	var se *cookiesession.SizeError
	if len(errs) != 1 || !errors.Is(errs[0], cookiesession.ErrTooLarge) ||
		!errors.Is(errs[0], keyseal.ErrTooLarge) || !errors.As(errs[0], &se) {
		t.Fatalf("OnError got %v, want a SizeError", errs)
	}
	if se.Size <= se.Max || se.Max != cookiesession.DefaultMaxCookieSize {
		t.Fatalf("SizeError %+v", se)
	}
	e.want("/me", "ada 1")

	// A token that fits but whose header does not.
	e = newEnv(t, nil)
	e.want("/login?name=ada", "ok")
	e.want("/blob?n=2950", "ok")
	if errs := e.takeErrors(); len(errs) != 1 || !errors.As(errs[0], &se) || se.Max != cookiesession.DefaultMaxCookieSize {
		t.Fatalf("OnError got %v, want a SizeError", errs)
	}
}

// TestChunkNoRoom: attributes that leave a chunk no room for its value (a
// long Path with a small MaxCookieSize; how long depends on each
// response's Max-Age) give a SizeError, never a panic.
func TestChunkNoRoom(t *testing.T) {
	// "s.0=" and the attributes of a new session take 58 bytes beside
	// the Path: 256 leaves a value 2 bytes (the count prefix) down to
	// minus 13 bytes.
	for n := 196; n <= 211; n++ {
		e := newEnv(t, func(c *cookiesession.Config[user]) {
			c.Name, c.Path, c.MaxCookieSize, c.Chunking = "s", "/"+strings.Repeat("a", n-1), 256, true
		})
		e.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			e.m.Get(r.Context()).Set(user{Name: "ada"})
		})
		e.want("/", "")
		if errs := e.takeErrors(); len(errs) != 1 || !errors.Is(errs[0], cookiesession.ErrTooLarge) {
			t.Errorf("Path of %d bytes: OnError got %v, want ErrTooLarge", n, errs)
		}
	}
}

// TestTampered: every kind of bad cookie yields a fresh session, the
// reason through OnInvalid, and a deleted cookie; never an error page.
func TestTampered(t *testing.T) {
	e := newEnv(t, nil)
	n := e.m.Name()
	e.want("/login?name=ada", "ok")
	good := e.jarCookies()[n]
	// Another base64url character in the middle: a well-formed token
	// that fails authentication.
	flip := []byte(good)
	if flip[len(flip)/2] == 'A' {
		flip[len(flip)/2] = 'B'
	} else {
		flip[len(flip)/2] = 'A'
	}
	cases := []struct {
		value string
		want  error
	}{
		{string(flip), keyseal.ErrAuth},
		{"not-a-token", keyseal.ErrMalformed},
		{"", keyseal.ErrMalformed},
		{strings.Repeat("A", 5000), keyseal.ErrTooLarge},
	}
	for _, c := range cases {
		e.client.Jar.SetCookies(e.url, []*http.Cookie{{Name: n, Value: c.value}})
		resp := e.want("/me", " 0")
		errs := e.takeInvalid()
		if len(errs) != 1 || !errors.Is(errs[0], c.want) {
			t.Errorf("cookie %.20q: OnInvalid got %v, want %v", c.value, errs, c.want)
		}
		if _, ok := e.jarCookies()[n]; ok && c.value != "" {
			t.Errorf("cookie %.20q not deleted: %q", c.value, setCookies(resp))
		}
	}
	// Moved to another cookie name, a token does not open.
	e2 := newEnv(t, func(c *cookiesession.Config[user]) { c.Name = "__Host-other" })
	e2.src.p.Store(e.src.Current())
	e2.client.Jar.SetCookies(e2.url, []*http.Cookie{{Name: "__Host-other", Value: good}})
	e2.want("/me", " 0")
	if errs := e2.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrAuth) {
		t.Fatalf("token under another name: OnInvalid got %v, want ErrAuth", errs)
	}
}

// TestPrefixShadow: a cookie whose name is the session's behind Unicode
// white space is another cookie. Browsers store "\u2000__Host-session"
// without the __Host- rules, so a subdomain or a plain-http page can set
// it (with a longer Path, to be sent first); read as __Host-session, it
// would put the victim in the attacker's session.
func TestPrefixShadow(t *testing.T) {
	e := newEnv(t, nil)
	e.want("/login?name=mallory", "ok")
	mallory := e.jarCookies()[e.m.Name()]
	e.client.Jar, _ = cookiejar.New(nil)
	e.want("/login?name=ada", "ok")
	for _, ws := range []string{"\u00a0", "\u0085", "\u2000", "\u3000"} {
		if body, _ := e.do("/me", []string{ws + e.m.Name() + "=" + mallory}); body != "ada 0" {
			t.Errorf("%q before the name: the request runs as %q", ws, body)
		}
		if body, _ := e.do("/me", []string{"x=1;" + ws + e.m.Name() + "=" + mallory}); body != "ada 0" {
			t.Errorf("%q after a ';': the request runs as %q", ws, body)
		}
	}
	// White space that browsers trim from a name themselves is trimmed.
	if body, _ := e.do("/me", []string{"x=1; \t" + e.m.Name() + "=" + mallory}); body != "mallory 0" {
		t.Errorf("tab before the name: the request runs as %q", body)
	}
}

// TestDuplicates: of several cookies with the session's name, the first
// of at most four that opens is used, and the others are ignored.
func TestDuplicates(t *testing.T) {
	e := newEnv(t, nil)
	n := e.m.Name()
	e.want("/login?name=ada", "ok")
	ada := e.jarCookies()[n]
	e.want("/login?name=bob", "ok")
	bob := e.jarCookies()[n]
	e.client.Jar = nil

	c := func(v string) string { return n + "=" + v }
	e.want2([]string{c(ada), c(bob)}, "ada 0")
	e.want2([]string{c(bob) + "; " + c(ada)}, "bob 0")
	e.want2([]string{c("junk"), c("junk"), c("junk"), c(bob)}, "bob 0")
	if errs := e.takeInvalid(); len(errs) != 0 {
		t.Fatalf("OnInvalid called although a cookie opened: %v", errs)
	}
	e.want2([]string{c("junk"), c("junk"), c("junk"), c("junk"), c(bob)}, " 0")
	if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrMalformed) {
		t.Fatalf("OnInvalid got %v, want the first cookie's ErrMalformed", errs)
	}
}

// TestDuplicateChunks: a foreign set of chunks (from a longer Path or a
// parent Domain) sent wholly before the session's own or after them does
// not shadow a live chunked session, as a foreign single cookie does not;
// and the live chunks are not deleted. When neither set opens, the
// session is refused as usual.
func TestDuplicateChunks(t *testing.T) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	var invalid []error
	m, err := cookiesession.New(ring, cookiesession.Config[user]{
		Name: "session", Chunking: true,
		OnInvalid: func(_ *http.Request, err error) { invalid = append(invalid, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	chunked := func(name string) string {
		req := httptest.NewRequest("GET", "https://example.com/app/x", nil)
		var pairs []string
		for _, c := range serveAll(m, req, func(s *cookiesession.Session[user]) { s.Set(user{Name: name, Blob: randomText(3000)}) }) {
			pairs = append(pairs, c.Name+"="+c.Value)
		}
		if len(pairs) < 2 {
			t.Fatalf("not chunked: %q", pairs)
		}
		return strings.Join(pairs, "; ")
	}
	live, stale := chunked("ada"), chunked("old")
	for _, header := range []string{
		"session.0=2.junk; " + live,
		"session.0=3.junk; session.1=junk; session.2=junk; " + live,
		live + "; session.0=2.junk; session.1=junk",
	} {
		invalid = nil
		req := httptest.NewRequest("GET", "https://example.com/app/x", nil)
		req.Header.Set("Cookie", header)
		out := serveAll(m, req, func(s *cookiesession.Session[user]) {
			if got := s.Data().Name; got != "ada" {
				t.Errorf("%.60s...: session %q, want ada", header, got)
			}
		})
		for _, c := range out {
			if c.MaxAge < 0 {
				t.Errorf("%.60s...: live chunk %s deleted", header, c.Name)
			}
		}
		if len(invalid) != 0 {
			t.Errorf("%.60s...: OnInvalid %v although the live session was sent", header, invalid)
		}
	}
	// Two genuine sets: the first opens.
	req := httptest.NewRequest("GET", "https://example.com/app/x", nil)
	req.Header.Set("Cookie", stale+"; "+live)
	serveAll(m, req, func(s *cookiesession.Session[user]) {
		if got := s.Data().Name; got != "old" {
			t.Errorf("two genuine sets: session %q, want the first, old", got)
		}
	})
	// Neither set opens: refused, reported once, and the chunks deleted.
	invalid = nil
	req = httptest.NewRequest("GET", "https://example.com/app/x", nil)
	req.Header.Set("Cookie", "session.0=2.junk; session.1=junk; session.0=2.junk2; session.1=junk2")
	out := serveAll(m, req, func(s *cookiesession.Session[user]) {
		if got := s.Data().Name; got != "" {
			t.Errorf("junk chunks: session %q", got)
		}
	})
	if len(invalid) != 1 || !errors.Is(invalid[0], keyseal.ErrMalformed) {
		t.Errorf("junk chunks: OnInvalid %v", invalid)
	}
	if len(out) != 2 || out[0].MaxAge >= 0 || out[1].MaxAge >= 0 {
		t.Errorf("junk chunks: Set-Cookie %v, want both deleted", out)
	}
}

// want2 requests /me with the given Cookie headers and checks the body.
func (e *env) want2(cookies []string, body string) {
	e.t.Helper()
	if got, _ := e.do("/me", cookies); got != body {
		e.t.Fatalf("GET /me with %d cookies = %q, want %q", len(cookies), got, body)
	}
}

// TestEveryCharacter: changing any one character of a session cookie
// yields a fresh session, never the old one and never an error.
func TestEveryCharacter(t *testing.T) {
	var refused int
	e := newEnv(t, nil)
	m, _ := cookiesession.New(e.src, cookiesession.Config[user]{
		OnInvalid: func(*http.Request, error) { refused++ },
	})
	good := serve(t, m, "", func(s *cookiesession.Session[user]) { s.Set(user{Name: "ada"}) })
	for i := range good {
		b := []byte(good)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		serve(t, m, string(b), func(s *cookiesession.Session[user]) {
			if !s.Meta().New || s.Data().Name != "" {
				t.Errorf("cookie changed at %d opened: %+v", i, s.Data())
			}
		})
	}
	if refused != len(good) {
		t.Fatalf("OnInvalid called %d times for %d altered cookies", refused, len(good))
	}
}
