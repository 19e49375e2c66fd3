package main

import (
	"crypto/rand"
	"encoding/gob"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"

	"github.com/gorilla/sessions"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// User is the session of the app: about 150 bytes as JSON.
type User struct {
	ID    int64    `json:"id"`
	Name  string   `json:"name"`
	Email string   `json:"email"`
	Roles []string `json:"roles"`
	CSRF  string   `json:"csrf"`
	Views int64    `json:"views"`
}

var ada = User{ID: 1234567, Name: "Ada Lovelace", Email: "ada.lovelace@example.com",
	Roles: []string{"admin", "editor"}, CSRF: "kT3vQ9xZ2mP8rL5wN1bH7cF4"}

func init() { gob.Register(User{}) }

// store is what a build keeps sessions in: nothing, keyseal's
// cookiesession (JSON or binary), or gorilla/sessions' CookieStore. load returns the
// request's user (ok false if none); save replaces it.
type store interface {
	wrap(http.Handler) http.Handler
	load(w http.ResponseWriter, r *http.Request) (u User, ok bool, err error)
	save(w http.ResponseWriter, r *http.Request, u User) error
}

// builds are the three builds of the app, by name.
var builds = map[string]func() (store, error){ // scripts/load.sh lists them too
	"none":           func() (store, error) { return none{}, nil },
	"keyseal":        newKeyseal(func(u User) User { return u }, func(u User) User { return u }),
	"keyseal-binary": newKeyseal(func(u BinUser) User { return User(u) }, func(u User) BinUser { return BinUser(u) }),
	"gorilla":        newGorilla,
}

// newApp is the app: GET /login starts Ada's session, GET /read greets
// the session's user, GET /write also counts a view in the session.
func newApp(s store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		if err := s.save(w, r, ada); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Write([]byte("welcome\n"))
	})
	page := func(write bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			u, ok, err := s.load(w, r)
			if err != nil || !ok {
				http.Error(w, "no session", http.StatusUnauthorized)
				return
			}
			if write {
				u.Views++
				if err := s.save(w, r, u); err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
			}
			b := make([]byte, 0, 64)
			b = append(b, "hello "...)
			b = append(b, u.Name...)
			b = append(b, ", view "...)
			b = strconv.AppendInt(b, u.Views, 10)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write(append(b, '\n'))
		}
	}
	mux.HandleFunc("GET /read", page(false))
	mux.HandleFunc("GET /write", page(true))
	return s.wrap(mux)
}

// none keeps no session: every request is Ada's, at view 0. It is the
// cost of the app and net/http alone.
type none struct{}

func (none) wrap(h http.Handler) http.Handler                            { return h }
func (none) load(http.ResponseWriter, *http.Request) (User, bool, error) { return ada, true, nil }
func (none) save(http.ResponseWriter, *http.Request, User) error         { return nil }

// keyseal is cookiesession with its zero Config (XChaCha20-Poly1305),
// holding a User (JSON, the default) or a BinUser (its binary form).
type keyseal[T any] struct {
	m    *cookiesession.Manager[T]
	user func(T) User
	data func(User) T
}

func newKeyseal[T any](user func(T) User, data func(User) T) func() (store, error) {
	return func() (store, error) {
		ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
		if err != nil {
			return nil, err
		}
		m, err := cookiesession.New(ring, cookiesession.Config[T]{})
		if err != nil {
			return nil, err
		}
		return keyseal[T]{m, user, data}, nil
	}
}

func (k keyseal[T]) wrap(h http.Handler) http.Handler { return k.m.LoadAndSave(h) }

func (k keyseal[T]) load(_ http.ResponseWriter, r *http.Request) (User, bool, error) {
	u := k.user(k.m.Get(r.Context()).Data())
	return u, u.ID != 0, nil
}

func (k keyseal[T]) save(_ http.ResponseWriter, r *http.Request, u User) error {
	k.m.Get(r.Context()).Set(k.data(u))
	return nil
}

// gorilla is gorilla/sessions' CookieStore with a hash and a block key
// (gob, HMAC-SHA256, AES-256-CTR), as most Go apps set it up.
type gorilla struct{ cs *sessions.CookieStore }

const gorillaName = "session"

func newGorilla() (store, error) {
	hashKey, blockKey := make([]byte, 32), make([]byte, 32)
	rand.Read(hashKey)
	rand.Read(blockKey)
	cs := sessions.NewCookieStore(hashKey, blockKey)
	cs.Options.Secure, cs.Options.HttpOnly, cs.Options.SameSite = true, true, http.SameSiteLaxMode
	return gorilla{cs}, nil
}

func (gorilla) wrap(h http.Handler) http.Handler { return h }

func (g gorilla) load(_ http.ResponseWriter, r *http.Request) (User, bool, error) {
	s, err := g.cs.Get(r, gorillaName)
	if err != nil {
		return User{}, false, nil // a bad cookie is no session, as with keyseal
	}
	u, ok := s.Values["u"].(User)
	return u, ok, nil
}

func (g gorilla) save(w http.ResponseWriter, r *http.Request, u User) error {
	s, err := g.cs.Get(r, gorillaName)
	if s == nil {
		return errors.Join(errNoSession, err)
	}
	s.Values["u"] = u
	return s.Save(r, w)
}

var errNoSession = errors.New("load: gorilla/sessions returned no session")

// statsHandler reports the process's heap allocation count and the CPU
// time it has used (user and system, in nanoseconds; 0 where unknown), for
// allocations and CPU time per request: scripts/load.sh reads them before
// and after a run.
func statsHandler(w http.ResponseWriter, _ *http.Request) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(w, "mallocs %d\ncpu_ns %d\n", ms.Mallocs, cpuTime().Nanoseconds())
}
