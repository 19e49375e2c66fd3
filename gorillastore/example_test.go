package gorillastore_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/keyseal/keyseal/gorillastore"
	"github.com/keyseal/keyseal/keyring"
	"github.com/keyseal/keyseal/legacy"
)

func Example() {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305) // in production: keyring.Watch
	store, err := gorillastore.New(ring, gorillastore.Config{})
	if err != nil {
		panic(err)
	}

	// Handlers written for gorilla/sessions, unchanged.
	login := func(w http.ResponseWriter, r *http.Request) {
		s, _ := store.Get(r, "session")
		s.Values["user_id"] = 7
		s.AddFlash("welcome")
		if err := s.Save(r, w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}
	home := func(w http.ResponseWriter, r *http.Request) {
		s, _ := store.Get(r, "session")
		fmt.Println(s.Values["user_id"], s.Flashes())
	}

	w := httptest.NewRecorder()
	login(w, httptest.NewRequest("POST", "/login", nil))
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(w.Result().Cookies()[0])
	home(httptest.NewRecorder(), r)
	// Output: 7 [welcome]
}

// Users logged in by the old CookieStore keep their sessions: give the
// store a legacy.Decoder with the old key pairs.
func ExampleNew_legacy() {
	hashKey, blockKey := make([]byte, 64), make([]byte, 32) // as passed to sessions.NewCookieStore
	old, err := legacy.New(legacy.Config{
		Keys:   []legacy.Keys{{Hash: hashKey, Block: blockKey}},
		Cutoff: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), // after it, old cookies are refused
	})
	if err != nil {
		panic(err)
	}
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	store, err := gorillastore.New(ring, gorillastore.Config{Legacy: old})
	fmt.Println(store != nil, err)
	// Output: true <nil>
}
