package gorillastore_test

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/sessions"

	"github.com/keyseal/keyseal/format"
	"github.com/keyseal/keyseal/gorillastore"
	"github.com/keyseal/keyseal/legacy"
)

type cart struct {
	Items []string
	Total int
}

func init() { gob.Register(cart{}) }

var (
	hashKey  = bytes.Repeat([]byte{3}, 64)
	blockKey = bytes.Repeat([]byte{4}, 32)
)

// app is the same gorilla/sessions application before and after the
// switch: its handlers take the store as a parameter, and only the line
// that builds the store differs.
func app(store sessions.Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		s, _ := store.Get(r, "session")
		s.Values["user_id"] = 7
		s.Values["cart"] = cart{Items: []string{"tea"}, Total: 3}
		s.AddFlash("welcome back")
		if err := s.Save(r, w); err != nil {
			http.Error(w, err.Error(), 500)
		}
	})
	// visit changes the session and saves it, leaving the flash pending.
	mux.HandleFunc("/visit", func(w http.ResponseWriter, r *http.Request) {
		s, err := store.Get(r, "session")
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		n, _ := s.Values["visits"].(int)
		s.Values["visits"] = n + 1
		if err := s.Save(r, w); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, "user %v cart %v visits %d", s.Values["user_id"], s.Values["cart"], n+1)
	})
	// peek reads the session and does not save it.
	mux.HandleFunc("/peek", func(w http.ResponseWriter, r *http.Request) {
		s, err := store.Get(r, "session")
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, "user %v", s.Values["user_id"])
	})
	// flashes shows the pending flashes, consuming them.
	mux.HandleFunc("/flashes", func(w http.ResponseWriter, r *http.Request) {
		s, _ := store.Get(r, "session")
		f := s.Flashes()
		if err := s.Save(r, w); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, "%v", f)
	})
	return mux
}

// switchable serves the app with the store it currently holds, so that a
// test can deploy the new store between two requests of one browser.
type switchable struct{ h atomic.Pointer[http.Handler] }

func (s *switchable) set(h http.Handler) { s.h.Store(&h) }
func (s *switchable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}

// A user logged in by gorilla's CookieStore, with a flash pending, keeps
// their session and the flash after the switch: the first Save replaces
// the gorilla cookie with a keyseal one, under the same name.
func TestSwitchFromCookieStore(t *testing.T) {
	cookieStore := sessions.NewCookieStore(hashKey, blockKey)
	srv := &switchable{}
	srv.set(app(cookieStore))
	ts := httptest.NewTLSServer(srv)
	defer ts.Close()
	client := ts.Client()
	client.Jar, _ = cookiejar.New(nil)
	u, _ := url.Parse(ts.URL)
	get := func(path string) string {
		t.Helper()
		resp, err := client.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %s %s", path, resp.Status, b)
		}
		return string(b)
	}
	jar := func() []*http.Cookie { return client.Jar.Cookies(u) }

	get("/login")
	if c := jar(); len(c) != 1 || format.Detect(c[0].Value) != format.SecureCookie {
		t.Fatalf("after the gorilla login, jar %v", c)
	}

	// The switch: one line.
	d, err := legacy.New(legacy.Config{Keys: []legacy.Keys{{Hash: hashKey, Block: blockKey}}, Cutoff: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	srv.set(app(newStore(t, gorillastore.Config{Legacy: d})))

	// Reading without saving leaves the old cookie: the store never saves
	// on its own.
	if got := get("/peek"); got != "user 7" {
		t.Fatalf("peek: %q", got)
	}
	if c := jar(); len(c) != 1 || format.Detect(c[0].Value) != format.SecureCookie {
		t.Fatalf("after a request without Save, jar %v", c)
	}

	// The first Save moves the session to keyseal's format.
	if got, want := get("/visit"), "user 7 cart {[tea] 3} visits 1"; got != want {
		t.Fatalf("visit: %q, want %q", got, want)
	}
	c := jar()
	if len(c) != 1 || c[0].Name != "session" || format.Detect(c[0].Value) != format.Native {
		t.Fatalf("after the first Save, jar %v: want one native cookie named session", c)
	}

	// The flash added by the gorilla app is still pending, once.
	if got := get("/flashes"); got != "[welcome back]" {
		t.Fatalf("flashes after the switch: %q", got)
	}
	if got := get("/flashes"); got != "[]" {
		t.Fatalf("flashes read twice: %q", got)
	}
	if got, want := get("/visit"), "user 7 cart {[tea] 3} visits 2"; got != want {
		t.Fatalf("visit: %q, want %q", got, want)
	}
}
