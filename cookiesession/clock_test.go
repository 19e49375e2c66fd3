package cookiesession_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// A request reads the clock once, however many times it opens, refreshes
// and seals: its codec works at the request's time (codec.At). A request
// that never touches its session reads it not at all.
func TestOneClockReadPerRequest(t *testing.T) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	now := time.Now()
	m, err := cookiesession.New(ring, cookiesession.Config[int]{
		Clock: func() time.Time { reads++; return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	reads = 0 // New checked the ring's primary
	touch := true
	h := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if touch {
			m.Get(r.Context()).Update(func(n *int) { *n++ })
		}
		w.Write([]byte("ok"))
	}))
	serve := func(cookie string) string {
		req := httptest.NewRequest("GET", "https://example.com/", nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		sc := w.Header().Get("Set-Cookie")
		return sc[:max(strings.IndexByte(sc, ';'), 0)]
	}

	pair := serve("") // a new session: sealed
	if pair == "" || reads != 1 {
		t.Fatalf("new session: cookie %q, %d clock reads, want 1", pair, reads)
	}
	reads = 0
	if next := serve(pair); next == "" || reads != 1 {
		t.Fatalf("open, change and re-seal: cookie %q, %d clock reads, want 1", next, reads)
	}
	reads, touch = 0, false
	if serve(pair); reads != 0 {
		t.Fatalf("untouched request: %d clock reads, want 0", reads)
	}
}
