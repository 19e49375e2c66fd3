package cookiesession_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// BenchmarkMiddlewareParallel is BenchmarkMiddleware's JSON case run from
// GOMAXPROCS goroutines at once through one Manager, as a server runs it:
// run it with -cpu 1,2 (or more). Each goroutine has its own response
// writer; the request with its cookie is shared, read-only, as the
// middleware works on its own shallow copy.
func BenchmarkMiddlewareParallel(b *testing.B) {
	for _, n := range []int{16, 256} {
		for _, op := range []string{"read", "write"} {
			b.Run(fmt.Sprintf("%s/%dB", op, n), func(b *testing.B) {
				benchMiddlewareParallel(b, n, op == "write")
			})
		}
	}
}

func benchMiddlewareParallel(b *testing.B, n int, write bool) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		b.Fatal(err)
	}
	m, err := cookiesession.New(ring, cookiesession.Config[page]{})
	if err != nil {
		b.Fatal(err)
	}
	h := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := m.Get(r.Context())
		if write {
			s.Update(func(p *page) { p.Views++ })
		} else if s.Data().Views != 1 {
			http.Error(w, "session not loaded", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))

	// The first request creates the cookie.
	rec := httptest.NewRecorder()
	m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.Get(r.Context()).Set(page{Views: 1, Data: strings.Repeat("x", n)})
	})).ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	req := httptest.NewRequest("GET", "https://example.com/", nil)
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}

	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		w := &status{sink: sink{h: http.Header{}}}
		for pb.Next() {
			clear(w.h)
			w.code = 0
			h.ServeHTTP(w, req)
			if w.code != http.StatusNoContent || write != (len(w.h["Set-Cookie"]) == 1) {
				b.Errorf("status %d, Set-Cookie %q", w.code, w.h["Set-Cookie"])
				return
			}
		}
	})
}

// status is a sink that keeps the status code.
type status struct {
	sink
	code int
}

func (s *status) WriteHeader(code int) { s.code = code }
