package cookiesession_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// TestOtherCookies checks that the session's Set-Cookie header lives
// beside those the handler sets before it and a wrapping handler adds
// after it: none overwrites another, and the session's cookie opens.
func TestOtherCookies(t *testing.T) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	m, err := cookiesession.New(ring, cookiesession.Config[user]{})
	if err != nil {
		t.Fatal(err)
	}
	inner := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/before" {
			http.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark"})
		}
		m.Get(r.Context()).Set(user{Name: "ada"})
	}))
	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner.ServeHTTP(w, r) // writes no body: headers can still change
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: "en"})
	})
	for path, want := range map[string][]string{
		"/before": {"theme", m.Name(), "lang"},
		"/":       {m.Name(), "lang"},
	} {
		rec := httptest.NewRecorder()
		outer.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com"+path, nil))
		var names []string
		var session *http.Cookie
		for _, c := range rec.Result().Cookies() {
			names = append(names, c.Name)
			if c.Name == m.Name() {
				session = c
			}
		}
		if !slices.Equal(names, want) {
			t.Fatalf("%s: cookies %q, want %q", path, names, want)
		}
		// The session's cookie opens in the next request.
		req := httptest.NewRequest("GET", "https://example.com/", nil)
		req.AddCookie(session)
		var got user
		m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got = m.Get(r.Context()).Data()
		})).ServeHTTP(httptest.NewRecorder(), req)
		if got.Name != "ada" {
			t.Fatalf("%s: session %+v after the round trip", path, got)
		}
	}
}
