package cookiesession_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/legacy"
)

// stamp returns the timestamp securecookie put in a value it encoded.
func stamp(t *testing.T, value string) time.Time {
	t.Helper()
	b, err := base64.URLEncoding.DecodeString(value)
	if err != nil {
		t.Fatal(err)
	}
	ts, _, _ := bytes.Cut(b, []byte("|"))
	sec, err := strconv.ParseInt(string(ts), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return time.Unix(sec, 0).UTC()
}

// setTo moves the env's clock to at.
func (e *env) setTo(at time.Time) { e.clock.Advance(at.Sub(e.clock.Now())) }

// lifeCookie is what a response that sets the session cookie says of its
// life: the Meta the handler saw, the sealed expiry and the Max-Age.
type lifeCookie struct {
	metaExp, metaAbs time.Time
	sealedIat        time.Time
	sealedExp        time.Time
	browserEnd       time.Time // now + Max-Age
}

// life requests /life (with a change of the session when change is
// set), which reports the session's Meta, and returns it with the session
// cookie the response sets.
func (e *env) life(change bool) lifeCookie {
	e.t.Helper()
	path := "/life"
	if change {
		path += "?change=1"
	}
	body, resp := e.get(path)
	var exp, abs int64
	var name string
	if _, err := fmt.Sscanf(body, "%s %d %d", &name, &exp, &abs); err != nil || name != "erin" {
		e.t.Fatalf("/life = %q (%v)", body, err)
	}
	lc := lifeCookie{metaExp: time.Unix(exp, 0).UTC(), metaAbs: time.Unix(abs, 0).UTC()}
	for _, sc := range setCookies(resp) {
		c, err := http.ParseSetCookie(sc)
		if err != nil {
			e.t.Fatal(err)
		}
		if c.Name != e.m.Name() {
			continue
		}
		h, err := codec.ParseHeader(c.Value)
		if err != nil {
			e.t.Fatal(err)
		}
		lc.sealedIat, lc.sealedExp = h.IssuedAt, h.ExpiresAt
		lc.browserEnd = e.clock.Now().Add(time.Duration(c.MaxAge) * time.Second)
		if lc.browserEnd.After(h.ExpiresAt) {
			e.t.Fatalf("Max-Age %d ends %v, after the sealed expiry %v", c.MaxAge, lc.browserEnd, h.ExpiresAt)
		}
		return lc
	}
	e.t.Fatalf("/life set no session cookie: %q", setCookies(resp))
	return lc
}

func newLifeEnv(t *testing.T, dc legacy.Config, edit func(*cookiesession.Config[user])) *legacyEnv {
	e := newLegacyEnv(t, dc, edit)
	e.mux.HandleFunc("/life", func(w http.ResponseWriter, r *http.Request) {
		s := e.m.Get(r.Context())
		if r.FormValue("change") != "" {
			s.Update(func(u *user) { u.Count++ })
		}
		m := s.Meta()
		fmt.Fprintf(w, "%s %d %d", s.Data().Name, m.ExpiresAt.Unix(), m.AbsoluteExpiry.Unix())
	})
	return e
}

// The issue's case: a gorilla cookie (securecookie MaxAge 1 h) migrated
// with 10 s left keeps its legacy expiry. Meta, the sealed expiry and
// Max-Age agree on it, and the native cookie replayed 2 h later, with no
// request in between, is refused.
func TestLegacyMigratedKeepsLegacyExpiry(t *testing.T) {
	e := newLifeEnv(t, legacy.Config{MaxAge: time.Hour}, nil)
	v := gorillaValue(t, "gorilla", map[any]any{"name": "erin"})
	iat := stamp(t, v)
	legacyExp := iat.Add(time.Hour)
	e.plant("gorilla", v)
	e.setTo(legacyExp.Add(-10*time.Second + 300*time.Millisecond))

	lc := e.life(false)
	if !lc.metaExp.Equal(legacyExp) || !lc.sealedExp.Equal(legacyExp) {
		t.Errorf("Meta.ExpiresAt %v, sealed expiry %v, want both the legacy expiry %v", lc.metaExp, lc.sealedExp, legacyExp)
	}
	if !lc.sealedIat.Equal(iat) {
		t.Errorf("sealed issue time %v, want the legacy one %v", lc.sealedIat, iat)
	}
	if d := lc.sealedExp.Sub(lc.browserEnd); d < 0 || d >= time.Second {
		t.Errorf("Max-Age ends %v, sealed expiry %v", lc.browserEnd, lc.sealedExp)
	}

	e.clock.Advance(2 * time.Hour) // the jar runs on real time: it still sends it
	e.want("/me", " 0")
	if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrExpired) {
		t.Fatalf("replayed 2 h later: OnInvalid %v, want keyseal.ErrExpired", errs)
	}
}

// Once migrated, the session is a native one: a request before its
// expiry refreshes it for IdleTimeout, as the old system's saves did.
func TestLegacyMigratedRenewedByActivity(t *testing.T) {
	e := newLifeEnv(t, legacy.Config{MaxAge: time.Hour}, nil)
	v := gorillaValue(t, "gorilla", map[any]any{"name": "erin"})
	legacyExp := stamp(t, v).Add(time.Hour)
	e.plant("gorilla", v)
	e.setTo(legacyExp.Add(-10 * time.Second))
	if lc := e.life(false); !lc.sealedExp.Equal(legacyExp) {
		t.Fatalf("migrated with sealed expiry %v, want %v", lc.sealedExp, legacyExp)
	}
	e.clock.Advance(5 * time.Second)
	lc := e.life(false)
	if want := e.clock.Now().Add(cookiesession.DefaultIdleTimeout); !lc.sealedExp.Equal(want) {
		t.Errorf("refreshed to %v, want %v", lc.sealedExp, want)
	}
	e.clock.Advance(2 * time.Hour)
	e.want("/me", "erin 0")
	if errs := e.takeInvalid(); len(errs) != 0 {
		t.Fatalf("OnInvalid %v", errs)
	}
}

// The absolute lifetime counts from the legacy issue time: at migration
// and at every refresh after it.
func TestLegacyMigratedAbsoluteFromLegacyIssue(t *testing.T) {
	e := newLifeEnv(t, legacy.Config{MaxAge: 365 * 24 * time.Hour}, func(cfg *cookiesession.Config[user]) {
		cfg.AbsoluteLifetime, cfg.IdleTimeout = 3*time.Hour, time.Hour
		cfg.Leeway = -1
	})
	v := gorillaValue(t, "gorilla", map[any]any{"name": "erin"})
	absEnd := stamp(t, v).Add(3 * time.Hour)
	e.plant("gorilla", v)
	e.setTo(absEnd.Add(-30*time.Minute + 700*time.Millisecond))

	lc := e.life(false)
	if !lc.metaExp.Equal(absEnd) || !lc.metaAbs.Equal(absEnd) || !lc.sealedExp.Equal(absEnd) {
		t.Errorf("migrated: Meta.ExpiresAt %v, AbsoluteExpiry %v, sealed %v; want all %v", lc.metaExp, lc.metaAbs, lc.sealedExp, absEnd)
	}
	e.clock.Advance(20 * time.Minute) // a change rewrites the cookie
	if lc := e.life(true); !lc.sealedExp.Equal(absEnd) {
		t.Errorf("refreshed to %v, past the absolute expiry %v", lc.sealedExp, absEnd)
	}
	e.setTo(absEnd)
	e.want("/me", " 0")
	if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrExpired) {
		t.Fatalf("at the absolute expiry: OnInvalid %v, want keyseal.ErrExpired", errs)
	}
}

// A legacy Decode that reports an expiry already past (a hook that does
// not check it) does not sign the request in.
func TestLegacyPastExpiry(t *testing.T) {
	e := newEnv(t, func(cfg *cookiesession.Config[user]) {
		cfg.Legacy = []cookiesession.Legacy[user]{{
			Name: "old",
			Decode: func(_, value string) (user, keyseal.Meta, error) {
				now := cfg.Clock()
				return user{Name: "erin"}, keyseal.Meta{IssuedAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour)}, nil
			},
		}}
	})
	e.plant("old", gorillaValue(t, "old", map[any]any{"name": "erin"}))
	resp := e.want("/me", " 0")
	if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrExpired) {
		t.Fatalf("OnInvalid %v, want keyseal.ErrExpired", errs)
	}
	if !deletes(resp, "old") {
		t.Errorf("expired legacy cookie kept: %q", setCookies(resp))
	}
}
