package cookiesession_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// TestMeta checks that Session.Meta reports the cookie exactly as the
// codec read it and as Validate saw it, identical values rather than
// equal instants, also for a cookie sealed under a non-primary key.
func TestMeta(t *testing.T) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	var src keyring.Source = ring // swapped below, between requests
	var validated cookiesession.Meta
	cfg := cookiesession.Config[user]{
		AbsoluteLifetime: 90*time.Minute + 500*time.Millisecond,
		IdleTimeout:      time.Hour,
		Validate: func(_ *http.Request, m cookiesession.Meta, _ *user) error {
			validated = m
			return nil
		},
	}
	m, err := cookiesession.New(sourceFunc(func() *keyring.Ring { return src.Current() }), cfg)
	if err != nil {
		t.Fatal(err)
	}
	serve := func(cookie *http.Cookie, f func(*cookiesession.Session[user])) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "https://example.com/", nil)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		rec := httptest.NewRecorder()
		m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f(m.Get(r.Context()))
		})).ServeHTTP(rec, req)
		return rec
	}
	var cookie *http.Cookie
	rec := serve(nil, func(s *cookiesession.Session[user]) {
		if got := s.Meta(); got != (cookiesession.Meta{New: true}) {
			t.Errorf("new session: Meta %+v", got)
		}
		s.Set(user{Name: "ada"})
	})
	cookie = rec.Result().Cookies()[0]

	// Rotate: the cookie's key is no longer the primary.
	next, _, err := ring.Add(keyring.XChaCha20Poly1305, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	old := ring.Primary(time.Now()).ID()
	for _, k := range next.Keys() {
		if k.ID() != old {
			if next, err = next.Promote(k.ID()); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, reseal := range []bool{false, true} {
		if reseal {
			src = next
		}
		serve(cookie, func(s *cookiesession.Session[user]) {
			got := s.Meta()
			h, err := codec.ParseHeader(cookie.Value)
			if err != nil {
				t.Fatal(err)
			}
			want := cookiesession.Meta{
				KeyID:          h.KeyID,
				IssuedAt:       h.IssuedAt,
				ExpiresAt:      h.ExpiresAt,
				AbsoluteExpiry: h.IssuedAt.Add(cfg.AbsoluteLifetime),
				NeedsReseal:    reseal,
				Lifetime:       cookiesession.Lifetime{Idle: cfg.IdleTimeout, Absolute: cfg.AbsoluteLifetime},
				Now:            got.Now,
			}
			if got.Now.IsZero() {
				t.Error("Meta.Now is zero")
			}
			if got != want || got != validated {
				t.Errorf("reseal %v: Meta %+v, Validate saw %+v, want %+v", reseal, got, validated, want)
			}
		})
	}
}

// sourceFunc is a keyring.Source.
type sourceFunc func() *keyring.Ring

func (f sourceFunc) Current() *keyring.Ring { return f() }
