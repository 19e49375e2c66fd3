package cookiesession_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
)

// loginWith adds /login-as, which logs in with the given lifetime, and
// /lifetime, which prints the session's Meta.Lifetime.
func (e *env) loginWith(l cookiesession.Lifetime) {
	e.mux.HandleFunc("/login-as", func(w http.ResponseWriter, r *http.Request) {
		s := e.m.Get(r.Context())
		if err := s.SetLifetime(l); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.Set(user{Name: r.FormValue("name")})
		s.Renew()
		io.WriteString(w, "ok")
	})
	e.mux.HandleFunc("/lifetime", func(w http.ResponseWriter, r *http.Request) {
		l := e.m.Get(r.Context()).Meta().Lifetime
		io.WriteString(w, strings.Join([]string{map[bool]string{true: "browser", false: "persistent"}[l.BrowserSession],
			l.Idle.String(), l.Absolute.String()}, " "))
	})
}

// sessionCookie returns the session's Set-Cookie header of a response.
func (e *env) sessionCookie(resp *http.Response) string {
	e.t.Helper()
	for _, v := range setCookies(resp) {
		if strings.HasPrefix(v, e.m.Name()+"=") {
			return v
		}
	}
	e.t.Fatalf("no session cookie in %q", setCookies(resp))
	return ""
}

// sealedExpiry returns the expiry sealed in the jar's session cookie.
func (e *env) sealedExpiry() time.Time {
	e.t.Helper()
	h, err := codec.ParseHeader(e.jarCookies()[e.m.Name()])
	if err != nil {
		e.t.Fatal(err)
	}
	return h.ExpiresAt
}

// TestLifetimeBrowserSession: a login without "remember me" gets a
// browser-session cookie (no Max-Age, no Expires) that the server still
// ends at the session's own idle timeout, shorter than the Manager's;
// refreshes and key rotations keep both.
func TestLifetimeBrowserSession(t *testing.T) {
	e := newEnv(t, nil)
	e.loginWith(cookiesession.Lifetime{BrowserSession: true, Idle: 30 * time.Minute})
	resp := e.want("/login-as?name=ada", "ok")
	c := e.sessionCookie(resp)
	if strings.Contains(c, "Max-Age") || strings.Contains(c, "Expires") {
		t.Fatalf("browser-session cookie has a lifetime: %s", c)
	}
	if got, want := e.sealedExpiry(), e.clock.Now().Add(30*time.Minute); !got.Equal(want) {
		t.Errorf("sealed expiry %v, want %v", got, want)
	}
	e.want("/lifetime", "browser 30m0s 168h0m0s")

	// Activity refreshes it (at a quarter of its own idle timeout, not
	// the Manager's 6 hours), still without Max-Age.
	e.clock.Advance(20 * time.Minute)
	resp = e.want("/me", "ada 0")
	c = e.sessionCookie(resp)
	if strings.Contains(c, "Max-Age") {
		t.Fatalf("refreshed browser-session cookie has a Max-Age: %s", c)
	}
	if got, want := e.sealedExpiry(), e.clock.Now().Add(30*time.Minute); !got.Equal(want) {
		t.Errorf("refreshed: sealed expiry %v, want %v", got, want)
	}
	e.rotate()
	resp = e.want("/me", "ada 0") // re-sealed under the new key
	if c = e.sessionCookie(resp); strings.Contains(c, "Max-Age") {
		t.Fatalf("re-sealed browser-session cookie has a Max-Age: %s", c)
	}
	e.want("/lifetime", "browser 30m0s 168h0m0s")

	// The jar keeps a session cookie as long as the browser runs; the
	// server ends the session after 30 idle minutes all the same.
	e.clock.Advance(31 * time.Minute)
	e.want("/me", " 0")
	if inv := e.takeInvalid(); len(inv) != 1 || !errors.Is(inv[0], keyseal.ErrExpired) {
		t.Fatalf("OnInvalid got %v, want one ErrExpired", inv)
	}
	if errs := e.takeErrors(); len(errs) != 0 {
		t.Fatalf("OnError: %v", errs)
	}
}

// TestLifetimeAbsolute: a persistent session with its own absolute
// lifetime ends then however active it is; its Max-Age says so, and a
// cookie replayed after it is refused by the server.
func TestLifetimeAbsolute(t *testing.T) {
	e := newEnv(t, nil)
	e.loginWith(cookiesession.Lifetime{Absolute: 2 * time.Hour})
	resp := e.want("/login-as?name=ada", "ok")
	if c := e.sessionCookie(resp); !strings.Contains(c, "; Max-Age=7200;") {
		t.Fatalf("cookie %s, want Max-Age=7200", c)
	}
	e.want("/lifetime", "persistent 2h0m0s 2h0m0s")
	for i := range 3 {
		e.clock.Advance(35 * time.Minute)
		resp = e.want("/count", string(rune('1'+i)))
	}
	// 105 minutes in: the cookie lives the 15 minutes left.
	if c := e.sessionCookie(resp); !strings.Contains(c, "; Max-Age=900;") {
		t.Fatalf("cookie %s, want Max-Age=900", c)
	}
	// The jar (on the real clock) still sends it after the fake clock
	// passed the absolute lifetime: the server refuses it.
	e.clock.Advance(16 * time.Minute)
	e.want("/me", " 0")
	if inv := e.takeInvalid(); len(inv) != 1 || !errors.Is(inv[0], keyseal.ErrExpired) {
		t.Fatalf("OnInvalid got %v, want one ErrExpired", inv)
	}
}

// TestLifetimeRenewDestroy: Renew keeps the session's lifetime, Destroy
// resets it to the Manager's, and an invalid one is refused.
func TestLifetimeRenewDestroy(t *testing.T) {
	e := newEnv(t, func(c *cookiesession.Config[user]) { c.IdleTimeout = time.Hour })
	e.loginWith(cookiesession.Lifetime{BrowserSession: true, Idle: 10 * time.Minute, Absolute: time.Hour})
	e.mux.HandleFunc("/renew", func(w http.ResponseWriter, r *http.Request) { e.m.Get(r.Context()).Renew() })
	e.mux.HandleFunc("/bad", func(w http.ResponseWriter, r *http.Request) {
		s := e.m.Get(r.Context())
		for _, l := range []cookiesession.Lifetime{
			{Idle: -time.Second}, {Idle: time.Millisecond}, {Idle: 2 * time.Hour}, {Absolute: 8 * 24 * time.Hour},
		} {
			var ce *keyseal.ConfigError
			if err := s.SetLifetime(l); !errors.As(err, &ce) || ce.Package != "cookiesession" {
				t.Errorf("SetLifetime(%+v) = %v, want a ConfigError", l, err)
			}
		}
		io.WriteString(w, "done")
	})
	e.want("/login-as?name=ada", "ok")
	if resp := e.want("/renew", ""); strings.Contains(e.sessionCookie(resp), "Max-Age") {
		t.Error("Renew lost the browser-session lifetime")
	}
	e.want("/lifetime", "browser 10m0s 1h0m0s")
	e.want("/bad", "done")
	e.want("/lifetime", "browser 10m0s 1h0m0s") // refused ones changed nothing
	e.want("/logout", "bye")
	e.want("/login?name=bob", "ok")
	e.want("/lifetime", "persistent 1h0m0s 168h0m0s")
	if resp := e.want("/count", "1"); !strings.Contains(e.sessionCookie(resp), "; Max-Age=3600;") {
		t.Error("after Destroy, the Manager's lifetime does not apply")
	}
}
