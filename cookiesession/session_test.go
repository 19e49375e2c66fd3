package cookiesession_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
)

// TestRotation walks the life of a session through a key rotation: it
// survives the rotation, is re-sealed under the new key on the next
// response, and an old cookie is refused once the old key is retired.
func TestRotation(t *testing.T) {
	e := newEnv(t, nil)
	e.want("/login?name=ada", "ok")
	e.want("/flash", "welcome ada")
	e.want("/flash", "")
	e.want("/count", "1")
	e.want("/count", "2")
	before := e.jarCookies()[cookiesession.DefaultName]

	old, next := e.rotate()
	if got := e.keyID(); got != old {
		t.Fatalf("cookie under key %d before any request, want %d", got, old)
	}
	issued, _ := codec.ParseHeader(before)
	resp := e.want("/me", "ada 2") // read only, still re-sealed
	if n := len(setCookies(resp)); n != 1 {
		t.Fatalf("re-seal response has %d Set-Cookie headers, want 1", n)
	}
	if got := e.keyID(); got != next {
		t.Fatalf("cookie under key %d after re-seal, want %d", got, next)
	}
	if h, _ := codec.ParseHeader(e.jarCookies()[e.m.Name()]); !h.IssuedAt.Equal(issued.IssuedAt) {
		t.Fatalf("re-seal changed the issue time from %v to %v", issued.IssuedAt, h.IssuedAt)
	}
	if resp := e.want("/me", "ada 2"); len(setCookies(resp)) != 0 {
		t.Fatalf("a re-sealed cookie was written again: %q", setCookies(resp))
	}

	// Retire the old key: the fresh cookie works, the old one is refused.
	ring, err := e.src.Current().Retire(old)
	if err != nil {
		t.Fatal(err)
	}
	e.src.p.Store(ring)
	e.want("/me", "ada 2")
	if errs := e.takeInvalid(); len(errs) != 0 {
		t.Fatalf("OnInvalid: %v", errs)
	}
	e.client.Jar.SetCookies(e.url, []*http.Cookie{{Name: cookiesession.DefaultName, Value: before}})
	resp = e.want("/me", " 0")
	errs := e.takeInvalid()
	if len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrKeyRetired) {
		t.Fatalf("OnInvalid got %v, want ErrKeyRetired", errs)
	}
	if _, ok := e.jarCookies()[cookiesession.DefaultName]; ok {
		t.Fatalf("refused cookie not deleted; Set-Cookie: %q", setCookies(resp))
	}
}

// TestIdleExpiry: a session unused for longer than IdleTimeout is gone,
// and a session used regularly survives past it.
func TestIdleExpiry(t *testing.T) {
	e := newEnv(t, func(c *cookiesession.Config[user]) {
		c.IdleTimeout = time.Hour
		c.Leeway = -1
	})
	e.want("/login?name=ada", "ok")
	for range 4 {
		e.clock.Advance(40 * time.Minute)
		e.want("/me", "ada 0")
	}
	e.clock.Advance(time.Hour)
	e.want("/me", " 0")
	if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrExpired) {
		t.Fatalf("OnInvalid got %v, want ErrExpired", errs)
	}
}

// TestAbsoluteExpiry: however active, a session ends AbsoluteLifetime
// after login, and its cookie's Max-Age never reaches past that.
func TestAbsoluteExpiry(t *testing.T) {
	e := newEnv(t, func(c *cookiesession.Config[user]) {
		c.AbsoluteLifetime = 3 * time.Hour
		c.IdleTimeout = time.Hour
		c.Leeway = -1
	})
	e.want("/login?name=ada", "ok")
	login := e.clock.Now()
	for i := range 5 {
		e.clock.Advance(35 * time.Minute)
		resp := e.want("/count", strconv.Itoa(i+1))
		for _, sc := range setCookies(resp) {
			c, err := http.ParseSetCookie(sc)
			if err != nil {
				t.Fatal(err)
			}
			end := e.clock.Now().Add(time.Duration(c.MaxAge) * time.Second)
			if end.After(login.Add(3 * time.Hour)) {
				t.Fatalf("Max-Age %d reaches past the absolute expiry", c.MaxAge)
			}
		}
	}
	e.clock.Advance(10 * time.Minute) // 3h05 after login, 10 minutes idle
	e.want("/me", " 0")
	if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrExpired) {
		t.Fatalf("OnInvalid got %v, want ErrExpired", errs)
	}
}

// TestMaxAgeWithinSealedExpiry: requests come at any fraction of a
// second, tokens hold whole seconds. The browser must drop the cookie no
// later than the server stops accepting it, and no more than a second
// earlier: so with no leeway a cookie the browser still sends opens.
func TestMaxAgeWithinSealedExpiry(t *testing.T) {
	for _, frac := range []time.Duration{0, time.Millisecond, 500 * time.Millisecond, 999 * time.Millisecond} {
		e := newEnv(t, func(c *cookiesession.Config[user]) {
			c.AbsoluteLifetime = 2 * time.Hour
			c.IdleTimeout = time.Hour
			c.RefreshAfter = -1 // every read writes the cookie
			c.Leeway = -1
		})
		e.clock.Advance(frac)
		check := func(resp *http.Response) time.Time {
			t.Helper()
			sc := setCookies(resp)
			if len(sc) != 1 {
				t.Fatalf("frac %v at %v: Set-Cookie %q", frac, e.clock.Now(), sc)
			}
			c, err := http.ParseSetCookie(sc[0])
			if err != nil {
				t.Fatal(err)
			}
			h, err := codec.ParseHeader(c.Value)
			if err != nil {
				t.Fatal(err)
			}
			browser := e.clock.Now().Add(time.Duration(c.MaxAge) * time.Second)
			if browser.After(h.ExpiresAt) || h.ExpiresAt.Sub(browser) >= time.Second {
				t.Fatalf("frac %v at %v: Max-Age %d ends %v, token expires %v", frac, e.clock.Now(), c.MaxAge, browser, h.ExpiresAt)
			}
			return browser
		}
		end := check(e.want("/login?name=ada", "ok"))
		// Idle: the last half second the browser keeps the cookie, it opens.
		e.clock.Advance(end.Sub(e.clock.Now()) - 500*time.Millisecond)
		end = check(e.want("/me", "ada 0"))
		// That cookie ends with the absolute lifetime (2h after login, to
		// the second), and opens until then: nothing is left to refresh.
		absEnd := time.Date(2026, 1, 2, 5, 4, 5, 0, time.UTC)
		if end.After(absEnd) {
			t.Fatalf("frac %v: Max-Age ends %v, after the absolute lifetime %v", frac, end, absEnd)
		}
		e.clock.Advance(end.Sub(e.clock.Now()) - 500*time.Millisecond)
		if sc := setCookies(e.want("/me", "ada 0")); len(sc) != 0 {
			t.Fatalf("frac %v: a refresh that gains nothing wrote %q", frac, sc)
		}
		if errs := e.takeInvalid(); len(errs) != 0 {
			t.Fatalf("frac %v: a cookie within its Max-Age refused: %v", frac, errs)
		}
		// A change in the last second of the absolute lifetime: no
		// whole-second Max-Age fits, so the session ends and its cookie
		// is deleted (a Max-Age of 1 would outlive the token).
		if frac != 0 {
			e.clock.Advance(absEnd.Sub(e.clock.Now()) - frac/2)
			_, resp := e.get("/count")
			if sc := setCookies(resp); len(sc) != 1 || !strings.Contains(sc[0], "Max-Age=0") {
				t.Fatalf("frac %v: a write in the last second set %q, want the cookie deleted", frac, sc)
			}
			e.want("/me", " 0")
			e.takeInvalid()
			continue
		}
		e.clock.Advance(absEnd.Sub(e.clock.Now()))
		e.want("/me", " 0") // at the end of the absolute lifetime
		if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrExpired) {
			t.Fatalf("frac %v: past the absolute lifetime, OnInvalid got %v", frac, errs)
		}
	}
}

// TestRefreshThrottled: reading a session re-issues its cookie only when
// that pushes the expiry back by RefreshAfter (IdleTimeout/4 by default).
func TestRefreshThrottled(t *testing.T) {
	e := newEnv(t, func(c *cookiesession.Config[user]) { c.IdleTimeout = time.Hour })
	e.want("/login?name=ada", "ok")
	writes := 0
	for range 12 { // an hour, a request every 5 minutes
		e.clock.Advance(5 * time.Minute)
		sc := setCookies(e.want("/me", "ada 0"))
		writes += len(sc) + len(setCookies(e.want("/none", "untouched")))
		for _, v := range sc {
			// The cookie's Max-Age is the token's own expiry.
			c, _ := http.ParseSetCookie(v)
			h, err := codec.ParseHeader(c.Value)
			if err != nil || h.ExpiresAt.Sub(e.clock.Now()) != time.Duration(c.MaxAge)*time.Second || c.MaxAge != 3600 {
				t.Fatalf("Max-Age %d, token expires %v at %v (%v)", c.MaxAge, h.ExpiresAt, e.clock.Now(), err)
			}
		}
	}
	if writes != 4 {
		t.Fatalf("%d cookies written in an hour of reads, want 4 (one per 15 minutes)", writes)
	}

	e = newEnv(t, func(c *cookiesession.Config[user]) {
		c.IdleTimeout = time.Hour
		c.RefreshAfter = -1
	})
	e.want("/login?name=ada", "ok")
	writes = 0
	for range 3 {
		e.clock.Advance(time.Second)
		writes += len(setCookies(e.want("/me", "ada 0")))
	}
	if writes != 3 {
		t.Fatalf("%d cookies written in 3 reads with RefreshAfter < 0, want 3", writes)
	}
}

// TestLogout: Destroy deletes the cookie, and the session is new again.
func TestLogout(t *testing.T) {
	e := newEnv(t, nil)
	e.want("/login?name=ada", "ok")
	e.want("/logout", "bye")
	if c := e.jarCookies(); len(c) != 0 {
		t.Fatalf("cookies after logout: %v", c)
	}
	e.want("/me", " 0")
	if errs := e.takeInvalid(); len(errs) != 0 {
		t.Fatalf("OnInvalid: %v", errs)
	}
}

// TestRenew: Renew issues a different token with a new issue time.
func TestRenew(t *testing.T) {
	e := newEnv(t, nil)
	e.want("/login?name=ada", "ok")
	first := e.jarCookies()[e.m.Name()]
	e.clock.Advance(time.Hour)
	e.want("/login?name=ada", "ok")
	second := e.jarCookies()[e.m.Name()]
	h1, _ := codec.ParseHeader(first)
	h2, _ := codec.ParseHeader(second)
	if first == second || !h2.IssuedAt.Equal(h1.IssuedAt.Add(time.Hour)) {
		t.Fatalf("Renew kept the token or its issue time: %v then %v", h1.IssuedAt, h2.IssuedAt)
	}
}

var errBanned = errors.New("banned user")

// TestRevocation: Validate refuses sessions per user, NotBefore refuses
// every session issued before it.
func TestRevocation(t *testing.T) {
	e := newEnv(t, func(c *cookiesession.Config[user]) {
		c.Validate = func(r *http.Request, m cookiesession.Meta, u *user) error {
			if u.Name == "mallory" {
				return errBanned
			}
			return nil
		}
	})
	e.want("/login?name=ada", "ok")
	e.want("/me", "ada 0")
	e.want("/login?name=mallory", "ok")
	e.want("/me", " 0")
	errs := e.takeInvalid()
	if len(errs) != 1 || !errors.Is(errs[0], cookiesession.ErrRevoked) || !errors.Is(errs[0], errBanned) {
		t.Fatalf("OnInvalid got %v, want ErrRevoked and errBanned", errs)
	}
	if len(e.jarCookies()) != 0 {
		t.Fatal("revoked cookie not deleted")
	}

	var start time.Time
	e = newEnv(t, func(c *cookiesession.Config[user]) {
		start = c.Clock()
		c.NotBefore = start.Add(30 * time.Minute)
	})
	e.want("/login?name=ada", "ok") // issued before NotBefore
	e.want("/me", " 0")
	if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], cookiesession.ErrRevoked) {
		t.Fatalf("OnInvalid got %v, want ErrRevoked", errs)
	}
	e.clock.Advance(30 * time.Minute)
	e.want("/login?name=ada", "ok")
	e.want("/me", "ada 0")
}
