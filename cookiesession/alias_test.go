package cookiesession_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"testing"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// cart is a session type with references (a slice and a map), which a
// shallow copy would share.
type cart struct {
	User  string
	Items []item
	Tags  map[string]int
}

type item struct {
	SKU string
	Qty int
}

// cartServer serves a cart app behind a Manager: /fill sets two items,
// /show prints the cart, /poke changes what Data returned and adds a
// flash (which saves the session), /peek changes it and saves nothing.
func cartServer(t *testing.T) (*cookiesession.Manager[cart], *http.Client, string) {
	t.Helper()
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	m, err := cookiesession.New(ring, cookiesession.Config[cart]{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/fill", func(w http.ResponseWriter, r *http.Request) {
		m.Get(r.Context()).Set(cart{User: "ada", Items: []item{{"a", 1}, {"b", 2}}, Tags: map[string]int{"x": 1}})
	})
	mux.HandleFunc("/show", func(w http.ResponseWriter, r *http.Request) {
		d := m.Get(r.Context()).Data()
		fmt.Fprint(w, d.Items, d.Tags)
	})
	mux.HandleFunc("/poke", func(w http.ResponseWriter, r *http.Request) {
		s := m.Get(r.Context())
		d := s.Data()
		d.Items[0].Qty = 99
		d.Tags["x"] = 99
		s.AddFlash("unrelated")
		// The session's own view is unchanged too.
		d = s.Data()
		fmt.Fprint(w, d.Items, d.Tags)
	})
	mux.HandleFunc("/peek", func(w http.ResponseWriter, r *http.Request) {
		d := m.Get(r.Context()).Data()
		d.Items[1].Qty = 42
		io.WriteString(w, "ok")
	})
	srv := httptest.NewTLSServer(m.LoadAndSave(mux))
	t.Cleanup(srv.Close)
	c := srv.Client()
	c.Jar, _ = cookiejar.New(nil)
	return m, c, srv.URL
}

func getBody(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDataNoAliasing: changing what Data returned changes neither the
// session nor its cookie, even when something else saves the session in
// the same request.
func TestDataNoAliasing(t *testing.T) {
	_, c, url := cartServer(t)
	getBody(t, c, url+"/fill")
	const want = "[{a 1} {b 2}] map[x:1]"
	if got := getBody(t, c, url+"/show"); got != want {
		t.Fatalf("after fill: %q, want %q", got, want)
	}
	if got := getBody(t, c, url+"/poke"); got != want {
		t.Errorf("the session's own data after changing a copy: %q, want %q", got, want)
	}
	getBody(t, c, url+"/peek")
	if got := getBody(t, c, url+"/show"); got != want {
		t.Errorf("saved data after changing a copy: %q, want %q", got, want)
	}
}

// BenchmarkData is the cost of Data on a loaded session, for a type
// without references (a plain copy) and one with a slice and a map.
func BenchmarkData(b *testing.B) {
	b.Run("flat", func(b *testing.B) {
		benchData(b, user{Name: "ada", Count: 3})
	})
	b.Run("cart", func(b *testing.B) {
		benchData(b, cart{User: "ada", Items: []item{{"a", 1}, {"b", 2}, {"c", 3}}, Tags: map[string]int{"x": 1}})
	})
}

func benchData[T any](b *testing.B, v T) {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	m, _ := cookiesession.New(ring, cookiesession.Config[T]{})
	token := serve(b, m, "", func(s *cookiesession.Session[T]) { s.Set(v) })
	req := httptest.NewRequest("GET", "https://example.com/", nil)
	req.AddCookie(&http.Cookie{Name: m.Name(), Value: token})
	m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := m.Get(r.Context())
		s.Data() // load
		b.ReportAllocs()
		for b.Loop() {
			_ = s.Data()
		}
	})).ServeHTTP(httptest.NewRecorder(), req)
}
