package cookiesession_test

import (
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"sync"
	"testing"
	"time"

	"github.com/keyseal/keyseal/cookiesession"
)

// users is the application's user store: the current security stamp of
// each user.
type users struct {
	mu     sync.Mutex
	stamps map[string]string
}

func (u *users) stamp(name string) string {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.stamps[name] == "" {
		u.stamps[name] = rand.Text()
	}
	return u.stamps[name]
}

// revoke logs name out everywhere: a new stamp.
func (u *users) revoke(name string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.stamps[name] = rand.Text()
}

var errLoggedOut = errors.New("logged out everywhere")

// TestStampLogOutEverywhere: "log out everywhere" is exact. A session
// issued 1 ms before the click is refused, one issued 1 ms after it is
// kept, within one second of token time; the request's time reaches
// Validate.
func TestStampLogOutEverywhere(t *testing.T) {
	db := &users{stamps: map[string]string{}}
	var nows []time.Time
	e := newEnv(t, func(c *cookiesession.Config[user]) {
		c.Validate = func(r *http.Request, meta cookiesession.Meta, u *user) error {
			nows = append(nows, meta.Now)
			if u.Name != "" && meta.Stamp != db.stamp(u.Name) {
				return errLoggedOut
			}
			return nil
		}
	})
	e.mux.HandleFunc("/login-stamp", func(w http.ResponseWriter, r *http.Request) {
		s := e.m.Get(r.Context())
		name := r.FormValue("name")
		s.Set(user{Name: name})
		s.SetStamp(db.stamp(name))
		s.Renew()
		io.WriteString(w, "ok")
	})
	e.mux.HandleFunc("/everywhere", func(w http.ResponseWriter, r *http.Request) {
		s := e.m.Get(r.Context())
		name := s.Data().Name
		db.revoke(name)
		s.SetStamp(db.stamp(name)) // this browser stays logged in
		io.WriteString(w, "ok")
	})

	// Three browsers of one user. The clock starts mid-second, so all
	// three logins have the same whole-second issue time.
	e.clock.Advance(500 * time.Millisecond)
	e.want("/login-stamp?name=ada", "ok") // browser 1: the one that clicks
	other := func() *http.Client {
		c := *e.client
		c.Jar, _ = cookiejar.New(nil)
		return &c
	}
	before, after := other(), other()
	as := func(c *http.Client, path, want string) {
		t.Helper()
		saved := e.client
		e.client = c
		defer func() { e.client = saved }()
		e.want(path, want)
	}
	as(before, "/login-stamp?name=ada", "ok")
	e.clock.Advance(time.Millisecond)
	e.want("/everywhere", "ok")
	e.clock.Advance(time.Millisecond)
	as(after, "/login-stamp?name=ada", "ok")

	e.clock.Advance(time.Millisecond)
	nows = nil
	as(before, "/me", " 0")
	if inv := e.takeInvalid(); len(inv) != 1 || !errors.Is(inv[0], cookiesession.ErrRevoked) || !errors.Is(inv[0], errLoggedOut) {
		t.Fatalf("session from before the click: OnInvalid got %v, want ErrRevoked", inv)
	}
	if len(nows) != 1 || !nows[0].Equal(e.clock.Now()) {
		t.Errorf("Validate saw Now %v, want %v", nows, e.clock.Now())
	}
	as(after, "/me", "ada 0")
	e.want("/me", "ada 0") // the browser that clicked
	if inv := e.takeInvalid(); len(inv) != 0 {
		t.Fatalf("OnInvalid: %v", inv)
	}

	// The stamp survives refreshes, rotations and Renew.
	e.rotate()
	e.clock.Advance(7 * time.Hour)
	e.mux.HandleFunc("/renew", func(w http.ResponseWriter, r *http.Request) { e.m.Get(r.Context()).Renew() })
	e.want("/renew", "")
	e.want("/me", "ada 0")
	as(after, "/me", "ada 0")
	if inv := e.takeInvalid(); len(inv) != 0 {
		t.Fatalf("OnInvalid after rotation and renewal: %v", inv)
	}
	// Destroy clears it: a new login without a stamp is refused.
	e.want("/logout", "bye")
	e.want("/login?name=ada", "ok")
	e.want("/me", " 0")
	if inv := e.takeInvalid(); len(inv) != 1 || !errors.Is(inv[0], errLoggedOut) {
		t.Fatalf("session without a stamp: OnInvalid got %v", inv)
	}
}
