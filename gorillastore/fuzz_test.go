package gorillastore_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/sessions"

	"github.com/keyseal/keyseal/gorillastore"
	"github.com/keyseal/keyseal/legacy"
)

// FuzzNew feeds hostile cookie values, native and gorilla-looking, to
// Store.New: it never panics, and a value that does not open gives a new,
// empty session with an error.
func FuzzNew(f *testing.F) {
	d, err := legacy.New(legacy.Config{Keys: []legacy.Keys{{Hash: hashKey, Block: blockKey}}, Cutoff: time.Now().Add(24 * time.Hour)})
	if err != nil {
		f.Fatal(err)
	}
	st := newStore(f, gorillastore.Config{Legacy: d})
	s := sessions.NewSession(st, "session")
	s.Values["user_id"] = 7
	s.AddFlash("hi")
	f.Add(save(f, st, s).Value)
	old := sessions.NewCookieStore(hashKey, blockKey)
	s = sessions.NewSession(old, "session")
	s.Values["cart"] = cart{Items: []string{"tea"}, Total: 3}
	s.Options = &sessions.Options{}
	f.Add(save(f, old, s).Value)
	for _, v := range []string{"", "AQ", "MTcwMDAwMDAwMHxhYmN8bWFj", "eyJhbGciOiJkaXIifQ..a.b.c", "\x00\xff"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, value string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", "session="+value)
		s, err := st.New(r, "session")
		if s == nil {
			t.Fatal("nil session")
		}
		if err != nil && (!s.IsNew || len(s.Values) != 0) {
			t.Fatalf("refused value gave IsNew %v, values %v", s.IsNew, s.Values)
		}
		if err == nil && !s.IsNew {
			// What opened saves again.
			save(t, st, s)
		}
	})
}
