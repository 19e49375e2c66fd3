package cookiesession_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// FuzzCookieHeader feeds hostile Cookie headers through the middleware:
// it must never panic or fail the request, and what it writes must stay
// within the cookie size limit.
func FuzzCookieHeader(f *testing.F) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		f.Fatal(err)
	}
	m, err := cookiesession.New(ring, cookiesession.Config[user]{
		Chunking:  true,
		OnInvalid: func(*http.Request, error) {},
		OnError:   func(*http.Request, error) {},
	})
	if err != nil {
		f.Fatal(err)
	}
	h := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := m.Get(r.Context())
		u := s.Data()
		if r.URL.Query().Has("set") {
			u.Count++
			s.Set(u)
		}
		s.Flashes()
	}))
	n := m.Name()
	valid := serve(f, m, "", func(s *cookiesession.Session[user]) { s.Set(user{Name: "ada"}) })
	var chunked []string
	req := httptest.NewRequest("GET", "https://example.com/", nil)
	for _, c := range serveAll(m, req, func(s *cookiesession.Session[user]) { s.Set(user{Blob: randomText(5000)}) }) {
		chunked = append(chunked, c.Name+"="+c.Value)
	}
	if len(chunked) != 2 {
		f.Fatalf("chunked seed has %d cookies", len(chunked))
	}
	for _, seed := range []string{
		n + "=" + valid,
		n + "=" + valid + "; " + n + "=x",
		strings.Join(chunked, "; "),
		chunked[1] + "; " + chunked[0],
		chunked[0],
		n + ".0=2." + valid[:20] + "; " + n + ".1=" + valid[20:],
		n + ".0=9.abc; " + n + ".1=",
		n + ".0=2.; " + n + ".1=; " + n + ".1=x",
		n + "=\"quoted\"; other=1",
		strings.Repeat(n+"=a;", 10),
		"",
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, cookie string, set bool) {
		target := "https://example.com/"
		if set {
			target += "?set"
		}
		req := httptest.NewRequest("GET", target, nil)
		req.Header.Set("Cookie", cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		for _, sc := range rec.Header().Values("Set-Cookie") {
			if len(sc) > cookiesession.DefaultMaxCookieSize {
				t.Fatalf("Set-Cookie of %d bytes", len(sc))
			}
		}
	})
}
