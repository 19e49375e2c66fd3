package cookiesession_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/gorilla/securecookie"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
	"github.com/keyseal/keyseal/legacy"
)

// Moving from gorilla/sessions: a browser holding the old "app-session"
// cookie keeps its session, now in a keyseal cookie, and loses the old
// one on its first request.
func ExampleLegacy() {
	hashKey := bytes.Repeat([]byte{1}, 32) // the old application's keys
	blockKey := bytes.Repeat([]byte{2}, 32)

	old, err := legacy.New(legacy.Config{
		Keys:   []legacy.Keys{{Hash: hashKey, Block: blockKey}},
		Cutoff: time.Now().Add(60 * 24 * time.Hour), // then legacy cookies are refused
	})
	if err != nil {
		log.Fatal(err)
	}
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		log.Fatal(err)
	}
	sessions, err := cookiesession.New(ring, cookiesession.Config[Account]{
		Legacy: []cookiesession.Legacy[Account]{{
			Name: "app-session",
			// gorilla/sessions values are a map[interface{}]interface{}.
			Decode: legacy.Sessions(old, func(v map[any]any) (Account, error) {
				user, ok := v["user"].(string)
				if !ok {
					return Account{}, errors.New("not signed in")
				}
				return Account{User: user}, nil
			}),
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewTLSServer(sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := sessions.Get(r.Context())
		fmt.Fprintf(w, "%s, migrated: %v", s.Data().User, s.Meta().Migrated)
	})))
	defer srv.Close()

	// The browser still has the cookie gorilla/sessions' CookieStore set.
	value, _ := securecookie.New(hashKey, blockKey).Encode("app-session", map[any]any{"user": "alice"})
	client := srv.Client()
	client.Jar, _ = cookiejar.New(nil)
	u, _ := url.Parse(srv.URL)
	client.Jar.SetCookies(u, []*http.Cookie{{Name: "app-session", Value: value, Path: "/"}})

	fmt.Println(fetch(client, srv.URL))
	for _, c := range client.Jar.Cookies(u) {
		fmt.Println("cookie:", c.Name)
	}
	fmt.Println(fetch(client, srv.URL))
	// Output:
	// alice, migrated: true
	// cookie: __Host-session
	// alice, migrated: false
}
