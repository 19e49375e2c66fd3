// Package gorillasessions_test proves that package legacy reads the
// cookies of the real github.com/gorilla/sessions CookieStore. It is a
// test-only module so the library does not depend on gorilla/sessions.
package gorillasessions_test

import (
	"bytes"
	"encoding/gob"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/sessions"
	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/legacy"
)

// cart is an application type stored in sessions: like the application,
// the reader must gob.Register it.
type cart struct {
	Items []string
	Total int
}

func init() { gob.Register(cart{}) }

var (
	hashKey  = bytes.Repeat([]byte{3}, 64)
	blockKey = bytes.Repeat([]byte{4}, 32)
)

// issue saves a session with the real CookieStore and returns its cookie.
func issue(t *testing.T, store *sessions.CookieStore, name string, values map[any]any) *http.Cookie {
	t.Helper()
	r := httptest.NewRequest("GET", "/", nil)
	w := httptest.NewRecorder()
	s, err := store.New(r, name)
	if err != nil && s == nil {
		t.Fatal(err)
	}
	for k, v := range values {
		s.Values[k] = v
	}
	if err := s.Save(r, w); err != nil {
		t.Fatal(err)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Name != name {
		t.Fatalf("cookies %v", cookies)
	}
	return cookies[0]
}

type user struct {
	ID   int
	Name string
	Cart cart
}

// toUser is the application's hook from gorilla's untyped values to T.
func toUser(m map[any]any) (user, error) {
	id, ok1 := m["user_id"].(int)
	name, ok2 := m["name"].(string)
	c, _ := m["cart"].(cart)
	if !ok1 || !ok2 {
		return user{}, errors.New("session has no user")
	}
	return user{ID: id, Name: name, Cart: c}, nil
}

func TestCookieStore(t *testing.T) {
	store := sessions.NewCookieStore(hashKey, blockKey)
	c := issue(t, store, "app-session", map[any]any{"user_id": 7, "name": "erin", "cart": cart{Items: []string{"tea"}, Total: 3}})

	d, err := legacy.New(legacy.Config{Keys: []legacy.Keys{{Hash: hashKey, Block: blockKey}}, Cutoff: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	read := legacy.Sessions(d, toUser)
	u, m, err := read("app-session", c.Value)
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != 7 || u.Name != "erin" || u.Cart.Total != 3 || u.Cart.Items[0] != "tea" {
		t.Fatalf("user %+v", u)
	}
	if time.Since(m.IssuedAt) > time.Minute {
		t.Fatalf("meta %+v", m)
	}

	if _, _, err := read("other", c.Value); !errors.Is(err, keyseal.ErrAuth) {
		t.Errorf("wrong name: %v", err)
	}
	bad := []byte(c.Value)
	bad[len(bad)/2] ^= 1
	if _, _, err := read("app-session", string(bad)); err == nil {
		t.Error("tampered cookie opened")
	}
	late, _ := legacy.New(legacy.Config{Keys: []legacy.Keys{{Hash: hashKey, Block: blockKey}}, Cutoff: time.Now().Add(365 * 24 * time.Hour),
		Clock: func() time.Time { return time.Now().Add(legacy.DefaultMaxAge + time.Hour) }})
	if _, _, err := legacy.Sessions(late, toUser)("app-session", c.Value); !errors.Is(err, keyseal.ErrExpired) {
		t.Errorf("expired: %v", err)
	}
	over, _ := legacy.New(legacy.Config{Keys: []legacy.Keys{{Hash: hashKey, Block: blockKey}}, Cutoff: time.Now()})
	if _, _, err := legacy.Sessions(over, toUser)("app-session", c.Value); !errors.Is(err, legacy.ErrCutoff) {
		t.Errorf("cutoff: %v", err)
	}
	empty := issue(t, store, "app-session", nil)
	if _, _, err := read("app-session", empty.Value); err == nil || errors.Is(err, keyseal.ErrAuth) {
		t.Errorf("session without user: %v", err)
	}
}

// A store with a shorter MaxAge: the decoder is configured to match.
func TestCookieStoreMaxAge(t *testing.T) {
	store := sessions.NewCookieStore(hashKey)
	store.MaxAge(3600)
	c := issue(t, store, "s", map[any]any{"user_id": 1, "name": "f"})
	d, _ := legacy.New(legacy.Config{Keys: []legacy.Keys{{Hash: hashKey}}, MaxAge: time.Hour, Cutoff: time.Now().Add(24 * time.Hour),
		Clock: func() time.Time { return time.Now().Add(2 * time.Hour) }})
	if _, _, err := d.DecodeSession("s", c.Value); !errors.Is(err, keyseal.ErrExpired) {
		t.Fatalf("got %v", err)
	}
}
