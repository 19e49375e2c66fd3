package cookiesession_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
	"github.com/keyseal/keyseal/legacy"
)

// legacyManager is a Manager migrating gorilla-style "gorilla" cookies,
// plain securecookie values under its own name and chunked ones as
// "big.0", "big.1", ..., on the real clock.
func legacyManager(tb testing.TB) *cookiesession.Manager[user] {
	tb.Helper()
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		tb.Fatal(err)
	}
	d, err := legacy.New(legacy.Config{Keys: []legacy.Keys{{Hash: oldHash, Block: oldBlock}}, Cutoff: time.Now().Add(time.Hour)})
	if err != nil {
		tb.Fatal(err)
	}
	m, err := cookiesession.New(ring, cookiesession.Config[user]{
		Name: "app",
		Legacy: []cookiesession.Legacy[user]{
			{Name: "gorilla", Decode: legacy.Sessions(d, toUser)},
			{Name: "app", Decode: legacy.Values[user](d)},
			{Name: "big", Chunked: true, Decode: legacy.Values[user](d)},
		},
		OnInvalid: func(*http.Request, error) {},
		OnError:   func(*http.Request, error) {},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// FuzzLegacyCookieHeader feeds hostile Cookie headers to a Manager with
// legacy cookies: never a panic or a failed request, and at most one
// deletion per legacy cookie.
func FuzzLegacyCookieHeader(f *testing.F) {
	m := legacyManager(f)
	h := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.Get(r.Context()).Data()
	}))
	sc := securecookie.New(oldHash, oldBlock)
	g, err := sc.Encode("gorilla", map[any]any{"name": "erin", "count": 2})
	if err != nil {
		f.Fatal(err)
	}
	plain, err := sc.Encode("app", user{Name: "finn"})
	if err != nil {
		f.Fatal(err)
	}
	big, err := sc.Encode("big", user{Name: "gus"})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		"gorilla=" + g,
		"app=" + plain,
		"gorilla=" + g + "; app=" + plain,
		"gorilla=" + plain,
		"gorilla=AQ" + g[2:],
		"gorilla=" + g[:len(g)/2],
		strings.Repeat("gorilla=MTx;", 12),
		"app=MT; gorilla=eyJ",
		"big.0=" + big[:40] + "; big.1=" + big[40:],
		"big.1=" + big[40:] + "; big.0=" + big[:40] + "; big.1=x",
		"big.0=" + big + "; big.16=x; big.01=y; big.=z",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, cookie string) {
		req := httptest.NewRequest("GET", "https://example.com/", nil)
		req.Header.Set("Cookie", cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		deletions := map[string]int{}
		for _, v := range rec.Header().Values("Set-Cookie") {
			if name, ok := strings.CutSuffix(strings.SplitN(v, ";", 2)[0], "="); ok {
				deletions[name]++
			}
		}
		for name, n := range deletions {
			if n > 1 {
				t.Fatalf("%d deletions of %s", n, name)
			}
		}
	})
}

// BenchmarkLegacy measures a request migrating a gorilla/sessions cookie
// (decode, re-seal, delete), and one with no cookie at all, which scans
// the Cookie header for legacy names.
func BenchmarkLegacy(b *testing.B) {
	m := legacyManager(b)
	h := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.Get(r.Context()).Data()
	}))
	g, err := securecookie.New(oldHash, oldBlock).Encode("gorilla", map[any]any{"name": "erin", "count": 2})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, cookie string }{
		{"migrate", "gorilla=" + g},
		{"none", "other=1; tracking=" + string(bytes.Repeat([]byte{'x'}, 40))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "https://example.com/", nil)
			req.Header.Set("Cookie", bc.cookie)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
			}
		})
	}
}
