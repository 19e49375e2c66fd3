package bench

import (
	"encoding/gob"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/sessions"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// BinSession is Session with its binary form, which cookiesession uses
// instead of JSON when *T implements encoding.BinaryAppender and
// encoding.BinaryUnmarshaler.
type BinSession Session

func (s *BinSession) AppendBinary(b []byte) ([]byte, error) {
	return appendSession(b, (*Session)(s)), nil
}

func (s *BinSession) UnmarshalBinary(b []byte) error { return parseSession(b, (*Session)(s)) }

func init() { gob.Register(Session{}) }

// sink is a ResponseWriter that keeps only the headers, reset per request.
type sink struct{ h http.Header }

func (s *sink) Header() http.Header         { return s.h }
func (s *sink) Write(p []byte) (int, error) { return len(p), nil }
func (s *sink) WriteHeader(int)             {}

// mwCase is one middleware under test: a handler that reads the session
// (and, when write is set, changes one field) and the request that carries
// the cookie a first response set.
type mwCase struct {
	h   http.Handler
	req *http.Request
}

// serve runs one request. Each gets its own shallow copy of the request,
// as a server would: gorilla/sessions caches decoded sessions in the
// request it is given (its registry), which would otherwise turn every
// read after the first into a cache hit. Both sides pay for the copy.
func (c *mwCase) serve(w *sink) {
	clear(w.h)
	r := *c.req
	c.h.ServeHTTP(w, &r)
}

// prime runs one request without a cookie and builds the request that
// carries the cookie it set.
func prime(b *testing.B, h http.Handler, path string) (*http.Request, int) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/login", nil))
	req := httptest.NewRequest("GET", "https://example.com"+path, nil)
	n := 0
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
		n += len(c.Value)
	}
	if n == 0 {
		b.Fatal("the first response set no cookie")
	}
	return req, n
}

// keysealCase serves login on /login and, on other paths, changes the
// session with touch (write) or checks that it was loaded with loaded.
func keysealCase[T any](b *testing.B, write bool, login T, touch func(*T), loaded func(*T) bool) (*mwCase, int) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		b.Fatal(err)
	}
	m, err := cookiesession.New(ring, cookiesession.Config[T]{})
	if err != nil {
		b.Fatal(err)
	}
	h := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := m.Get(r.Context())
		if r.URL.Path == "/login" {
			s.Set(login)
			return
		}
		if write {
			s.Update(touch)
		} else if d := s.Data(); !loaded(&d) {
			b.Fatal("the session was not loaded")
		}
	}))
	req, n := prime(b, h, "/")
	return &mwCase{h: h, req: req}, n
}

func gorillaCase(b *testing.B, write bool) (*mwCase, int) {
	store := sessions.NewCookieStore([]byte(strings.Repeat("h", 32)), []byte(strings.Repeat("b", 32)))
	store.Options.Secure, store.Options.HttpOnly = true, true
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := store.Get(r, "session")
		if err != nil {
			b.Fatal(err)
		}
		if r.URL.Path == "/login" {
			s.Values["s"] = benchSession
			if err := s.Save(r, w); err != nil {
				b.Fatal(err)
			}
			return
		}
		d, ok := s.Values["s"].(Session)
		if !ok {
			b.Fatal("gorilla/sessions lost the session")
		}
		if write {
			d.SeenAt++
			s.Values["s"] = d
			if err := s.Save(r, w); err != nil {
				b.Fatal(err)
			}
		}
	})
	req, n := prime(b, h, "/")
	return &mwCase{h: h, req: req}, n
}

// BenchmarkMiddleware is one request through the session middleware: the
// cookie opened and the session read (op=read), or also changed and sealed
// into a new Set-Cookie (op=write). keyseal's cookiesession beside
// gorilla/sessions' CookieStore (gob, HMAC-SHA256 + AES-CTR, the default of
// most Go apps), for the ~200-byte benchmark session.
func BenchmarkMiddleware(b *testing.B) {
	for _, op := range []string{"read", "write"} {
		write := op == "write"
		impls := []struct {
			name string
			make func() (*mwCase, int)
		}{
			{"keyseal-json", func() (*mwCase, int) {
				return keysealCase(b, write, benchSession, func(s *Session) { s.SeenAt++ },
					func(s *Session) bool { return s.UserID == benchSession.UserID })
			}},
			{"keyseal-binary", func() (*mwCase, int) {
				return keysealCase(b, write, BinSession(benchSession), func(s *BinSession) { s.SeenAt++ },
					func(s *BinSession) bool { return s.UserID == benchSession.UserID })
			}},
			{"gorilla-gob", func() (*mwCase, int) { return gorillaCase(b, write) }},
		}
		for _, impl := range impls {
			b.Run("op="+op+"/impl="+impl.name, func(b *testing.B) {
				c, n := impl.make()
				w := &sink{h: http.Header{}}
				b.ReportAllocs()
				for b.Loop() {
					c.serve(w)
				}
				b.ReportMetric(float64(n), "cookie-chars")
				if write && len(w.h["Set-Cookie"]) == 0 {
					b.Fatal("a write request set no cookie")
				}
			})
		}
	}
}
