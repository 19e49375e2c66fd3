package cookiesession_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

var update = flag.Bool("update", false, "rewrite testdata/headers.golden")

// TestHeadersGolden runs scripted browsing sessions under several configs
// and compares every response's headers, body and hook reports with
// testdata/headers.golden, byte for byte except for the random part of
// tokens (their length and header stay). It pins what the middleware
// writes, so that making it faster cannot change a header. Regenerate
// with -update only for a change of behaviour meant as such.
func TestHeadersGolden(t *testing.T) {
	var out bytes.Buffer
	for _, c := range goldenConfigs {
		fmt.Fprintf(&out, "== %s\n", c.name)
		runGolden(t, &out, c.edit, c.host)
	}
	const path = "testdata/headers.golden"
	if *update {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d:\n got %s\nwant %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("got %d lines, want %d", len(gl), len(wl))
	}
}

var goldenConfigs = []struct {
	name string
	host string
	edit func(*cookiesession.Config[user])
}{
	{"default", "example.com", nil},
	{"dev", "localhost:8080", func(c *cookiesession.Config[user]) { c.InsecureDevMode = true }},
	{"dev on a public host", "example.com", func(c *cookiesession.Config[user]) { c.InsecureDevMode = true }},
	{"named, path, domain, strict", "app.example.com", func(c *cookiesession.Config[user]) {
		c.Name, c.Path, c.Domain, c.SameSite = "sid", "/app", "example.com", http.SameSiteStrictMode
		c.IdleTimeout, c.AbsoluteLifetime, c.RefreshAfter = 90*time.Minute, 3*time.Hour, 10*time.Minute
	}},
	{"none, fractional durations, refresh always", "example.com", func(c *cookiesession.Config[user]) {
		c.SameSite = http.SameSiteNoneMode
		c.IdleTimeout, c.AbsoluteLifetime, c.RefreshAfter = 1500*time.Millisecond, 95*time.Minute+500*time.Millisecond, -1
	}},
	{"chunking", "example.com", func(c *cookiesession.Config[user]) {
		c.Chunking, c.MaxCookieSize = true, 512
	}},
	{"schema, validate, not before", "example.com", func(c *cookiesession.Config[user]) {
		c.SchemaVersion = 3
		c.NotBefore = time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
		c.Validate = func(r *http.Request, m cookiesession.Meta, u *user) error {
			if u.Name == "mallory" {
				return errors.New("banned")
			}
			return nil
		}
	}},
}

// goldenKey returns a key with a fixed secret, so the script's key IDs
// are the same on every run.
func goldenKey(t *testing.T, id uint32) *keyring.Key {
	k, err := keyring.NewKey(id, keyring.XChaCha20Poly1305, bytes.Repeat([]byte{byte(id)}, keyring.SecretSize),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// runGolden plays the script on a fresh Manager built with edit and
// prints what each response carried.
func runGolden(t *testing.T, out *bytes.Buffer, edit func(*cookiesession.Config[user]), host string) {
	k7, k9 := goldenKey(t, 7), goldenKey(t, 9)
	ring, err := keyring.New(k7)
	if err != nil {
		t.Fatal(err)
	}
	src := &swapSource{}
	src.p.Store(ring)
	clock := &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 700_000_000, time.UTC)}
	var reports []string
	cfg := cookiesession.Config[user]{
		Clock:     clock.Now,
		OnInvalid: func(_ *http.Request, err error) { reports = append(reports, "invalid: "+err.Error()) },
		OnError:   func(_ *http.Request, err error) { reports = append(reports, "error: "+err.Error()) },
	}
	if edit != nil {
		edit(&cfg)
	}
	m, err := cookiesession.New(src, cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := m.LoadAndSave(goldenApp(m))
	var jar []*http.Cookie // in the order a browser sends them here
	// send requests path with the jar's cookies, or with cookie instead
	// if it is not empty, as another browser would (the jar then stays).
	send := func(path, cookie string) {
		req := httptest.NewRequest("GET", "https://"+host+path, nil)
		own := cookie != ""
		if !own {
			var pairs []string
			for _, c := range jar {
				pairs = append(pairs, c.Name+"="+c.Value)
			}
			cookie = strings.Join(pairs, "; ")
		}
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Fprintf(out, "%s %s -> %d %q\n", clock.Now().Format(time.RFC3339Nano), path, rec.Code, rec.Body.String())
		keys := make([]string, 0, len(rec.Header()))
		for k := range rec.Header() {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, v := range rec.Header()[k] {
				if k == "Set-Cookie" {
					v = redactToken(v)
				}
				fmt.Fprintf(out, "  %s: %s\n", k, v)
			}
		}
		for _, r := range reports {
			fmt.Fprintf(out, "  %s\n", r)
		}
		reports = reports[:0]
		if own {
			return
		}
		for _, c := range (&http.Response{Header: rec.Header()}).Cookies() {
			jar = slices.DeleteFunc(jar, func(o *http.Cookie) bool { return o.Name == c.Name })
			if c.MaxAge >= 0 {
				jar = append(jar, c)
			}
		}
	}
	step := func(path string) { send(path, "") }
	step("/none")
	step("/read")
	step("/set?name=ada")
	step("/read")
	clock.Advance(time.Minute)
	step("/read")
	step("/count")
	clock.Advance(7 * time.Hour)
	step("/read") // refresh due under the default config
	step("/flash")
	step("/flashes")
	step("/flashes")
	step("/renew")
	own := "none"
	for _, c := range jar {
		if c.Name == m.Name() {
			own = c.Value
		}
	}
	send("/read", "a=b; "+m.Name()+"=garbage; "+m.Name()+"="+own)
	send("/read", "a=b; "+m.Name()+"=garbage")
	send("/read", m.Name()+".0=2.abc; "+m.Name()+".1=def")
	step("/blob?n=700")
	step("/read")
	step("/blob?n=0")
	step("/headers")
	step("/headers-read")
	ring, err = keyring.New(k9, k7)
	if err != nil {
		t.Fatal(err)
	}
	src.p.Store(ring)
	step("/read") // re-sealed under key 9
	for range 8 {
		clock.Advance(20 * time.Hour)
		step("/count")
	}
	clock.Advance(7*time.Hour + 30*time.Minute)
	step("/count") // 30 minutes before the absolute expiry of the default config
	step("/set?name=mallory")
	step("/read")
	step("/destroy")
	step("/read")
	step("/set?name=eve")
	clock.Advance(8 * 24 * time.Hour)
	step("/read") // expired
	step("/late")
}

// goldenApp is the handler of TestHeadersGolden.
func goldenApp(m *cookiesession.Manager[user]) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/none" {
			return
		}
		s := m.Get(r.Context())
		switch r.URL.Path {
		case "/read":
			u := s.Data()
			fmt.Fprintf(w, "%s %d %d", u.Name, u.Count, len(u.Blob))
		case "/set":
			s.Set(user{Name: r.FormValue("name")})
		case "/count":
			s.Update(func(u *user) { u.Count++ })
		case "/flash":
			s.AddFlash("hello")
			s.AddFlash("world")
		case "/flashes":
			fmt.Fprint(w, s.Flashes())
		case "/renew":
			s.Renew()
		case "/blob":
			var n int
			fmt.Sscan(r.FormValue("n"), &n)
			s.Update(func(u *user) { u.Blob = strings.Repeat("b", n) })
		case "/headers":
			w.Header().Set("Vary", "Accept-Encoding")
			w.Header().Set("Cache-Control", "public, max-age=60")
			w.Header().Add("Set-Cookie", "theme=dark; Path=/")
			s.Update(func(u *user) { u.Count++ })
			w.WriteHeader(http.StatusCreated)
		case "/headers-read":
			w.Header().Add("Vary", "Cookie, Accept")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, s.Data().Name)
		case "/destroy":
			s.Destroy()
		case "/late":
			fmt.Fprint(w, "early")
			s.Set(user{Name: "late"})
		}
	})
}

// redactToken replaces the random part of a Set-Cookie value by its
// length and, for a whole token, its header.
func redactToken(v string) string {
	pair, attrs, _ := strings.Cut(v, ";")
	name, value, _ := strings.Cut(pair, "=")
	switch hdr, err := codec.ParseHeader(value); {
	case value == "":
	case err == nil:
		value = fmt.Sprintf("<token %d B, key %d, flags %d, iat %d, exp %d>", len(value), hdr.KeyID, hdr.Flags,
			hdr.IssuedAt.Unix(), hdr.ExpiresAt.Unix())
	default:
		value = fmt.Sprintf("<%d B>", len(value))
	}
	return name + "=" + value + ";" + attrs
}
