package cookiesession_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

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
	resp := e.want("/me", "ada 2") // read only, still re-sealed
	if n := len(setCookies(resp)); n != 1 {
		t.Fatalf("re-seal response has %d Set-Cookie headers, want 1", n)
	}
	if got := e.keyID(); got != next {
		t.Fatalf("cookie under key %d after re-seal, want %d", got, next)
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
	if len(errs) != 1 || !errors.Is(errs[0], codec.ErrKeyRetired) {
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
		c.Codec.Leeway = -1
	})
	e.want("/login?name=ada", "ok")
	for range 4 {
		e.clock.Advance(40 * time.Minute)
		e.want("/me", "ada 0")
	}
	e.clock.Advance(time.Hour)
	e.want("/me", " 0")
	if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], codec.ErrExpired) {
		t.Fatalf("OnInvalid got %v, want ErrExpired", errs)
	}
}

// TestAbsoluteExpiry: however active, a session ends AbsoluteLifetime
// after login, and its cookie's Max-Age never reaches past that.
func TestAbsoluteExpiry(t *testing.T) {
	e := newEnv(t, func(c *cookiesession.Config[user]) {
		c.AbsoluteLifetime = 3 * time.Hour
		c.IdleTimeout = time.Hour
		c.Codec.Leeway = -1
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
	if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], codec.ErrExpired) {
		t.Fatalf("OnInvalid got %v, want ErrExpired", errs)
	}
}
