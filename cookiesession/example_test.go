package cookiesession_test

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keyseal/keyseal/codec"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// Account is the session data of the examples.
type Account struct {
	User  string
	Views int
}

// fetch GETs url with client and returns the body.
func fetch(client *http.Client, url string) string {
	resp, err := client.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// A login, a page that counts views, and a logout, served over TLS to a
// client with a cookie jar.
func Example() {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		log.Fatal(err)
	}
	sessions, err := cookiesession.New(ring, cookiesession.Config[Account]{})
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		s := sessions.Get(r.Context())
		s.Set(Account{User: r.FormValue("user")})
		s.Renew() // a new token at every login, against session fixation
		s.AddFlash("welcome!")
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s := sessions.Get(r.Context())
		s.Update(func(a *Account) { a.Views++ })
		a := s.Data()
		fmt.Fprintf(w, "%s, view %d %v", a.User, a.Views, s.Flashes())
	})
	mux.HandleFunc("/logout", func(w http.ResponseWriter, r *http.Request) {
		sessions.Get(r.Context()).Destroy()
		io.WriteString(w, "logged out")
	})
	srv := httptest.NewTLSServer(sessions.LoadAndSave(mux))
	defer srv.Close()

	client := srv.Client()
	client.Jar, _ = cookiejar.New(nil)
	fmt.Println(fetch(client, srv.URL+"/login?user=ada"))
	fmt.Println(fetch(client, srv.URL+"/"))
	fmt.Println(fetch(client, srv.URL+"/logout"))
	fmt.Println(fetch(client, srv.URL+"/"))
	// Output:
	// ada, view 1 [welcome!]
	// ada, view 2 []
	// logged out
	// , view 1 []
}

// Every response carries the whole session, so when two requests of one
// browser overlap, both start from the same cookie and the last response
// wins: here both count 2 and one view is lost. Update makes a change
// atomic within a request, not across requests. Counters that must be
// exact belong in a datastore, keyed by what the session identifies.
func Example_counter() {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	sessions, _ := cookiesession.New(ring, cookiesession.Config[Account]{})
	var wg sync.WaitGroup
	wg.Add(2)
	h := sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := sessions.Get(r.Context())
		s.Update(func(a *Account) { a.Views++ })
		if r.FormValue("wait") != "" {
			wg.Done() // both requests have read the same count
			wg.Wait()
		}
		fmt.Fprint(w, s.Data().Views)
	}))

	// One view, then two overlapping requests with the same cookie.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	cookie := rec.Result().Cookies()[0]
	var mu sync.Mutex
	var got []string
	var done sync.WaitGroup
	for range 2 {
		done.Go(func() {
			req := httptest.NewRequest("GET", "https://example.com/?wait=1", nil)
			req.AddCookie(cookie)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			mu.Lock()
			got = append(got, rec.Body.String())
			mu.Unlock()
		})
	}
	done.Wait()
	fmt.Println("after one view and two overlapping ones:", strings.Join(got, " and "))
	// Output:
	// after one view and two overlapping ones: 2 and 2
}

// Stateless revocation: a per-user "sessions valid after" time, checked
// on every load, logs one user out everywhere; NotBefore would do the same
// for everyone.
func ExampleConfig_validate() {
	validAfter := map[string]time.Time{} // in a real app, a datastore
	var mu sync.Mutex
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	sessions, _ := cookiesession.New(ring, cookiesession.Config[Account]{
		Validate: func(r *http.Request, m cookiesession.Meta, a *Account) error {
			mu.Lock()
			defer mu.Unlock()
			if m.IssuedAt.Before(validAfter[a.User]) {
				return fmt.Errorf("sessions of %s revoked", a.User)
			}
			return nil
		},
		OnInvalid: func(r *http.Request, err error) { fmt.Println("refused:", err) },
	})
	h := sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := sessions.Get(r.Context())
		if s.Meta().New {
			s.Set(Account{User: "ada"})
		}
		fmt.Fprint(w, s.Data().User)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	cookie := rec.Result().Cookies()[0]

	mu.Lock()
	validAfter["ada"] = time.Now().Add(time.Hour) // "log me out everywhere"
	mu.Unlock()
	req := httptest.NewRequest("GET", "https://example.com/", nil)
	req.AddCookie(cookie)
	h.ServeHTTP(httptest.NewRecorder(), req)
	// Output:
	// refused: cookiesession: session revoked: sessions of ada revoked
}

// liveRing is a keyring.Source an application swaps at run time, as a
// keyring.Watcher does when its file changes.
type liveRing struct{ atomic.Pointer[keyring.Ring] }

func (l *liveRing) Current() *keyring.Ring { return l.Load() }

// Rotating keys keeps everyone logged in: the next response re-seals the
// cookie under the new primary key, keeping its issue time, and once the
// old key is retired only cookies sealed under it are refused.
func Example_rotation() {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	keys := &liveRing{}
	keys.Store(ring)
	sessions, _ := cookiesession.New(keys, cookiesession.Config[Account]{
		OnInvalid: func(r *http.Request, err error) {
			fmt.Println("refused, key retired:", errors.Is(err, keyseal.ErrKeyRetired))
		},
	})
	srv := httptest.NewTLSServer(sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := sessions.Get(r.Context())
		if r.URL.Path == "/login" {
			s.Set(Account{User: "ada"})
			s.Renew()
		}
		fmt.Fprintf(w, "%q", s.Data().User)
	})))
	defer srv.Close()
	client := srv.Client()
	client.Jar, _ = cookiejar.New(nil)
	keyID := func() uint32 {
		h, _ := codec.ParseHeader(client.Jar.Cookies(mustURL(srv.URL))[0].Value)
		return h.KeyID
	}

	fmt.Println("login:", fetch(client, srv.URL+"/login"))
	oldCookie := client.Jar.Cookies(mustURL(srv.URL))[0]
	old := keyID()

	ring, next, _ := ring.Add(keyring.XChaCha20Poly1305, time.Time{})
	ring, _ = ring.Promote(next.ID())
	keys.Store(ring)
	fmt.Println("after rotation:", fetch(client, srv.URL+"/"))
	fmt.Println("re-sealed under the new key:", keyID() == next.ID())

	ring, _ = ring.Retire(old)
	keys.Store(ring)
	fmt.Println("after retiring the old key:", fetch(client, srv.URL+"/"))
	client.Jar.SetCookies(mustURL(srv.URL), []*http.Cookie{oldCookie})
	fmt.Println("with the old cookie:", fetch(client, srv.URL+"/"))
	// Output:
	// login: "ada"
	// after rotation: "ada"
	// re-sealed under the new key: true
	// after retiring the old key: "ada"
	// refused, key retired: true
	// with the old cookie: ""
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		log.Fatal(err)
	}
	return u
}
