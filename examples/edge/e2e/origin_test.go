package e2e

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/examples/edge/gate"
	"github.com/keyseal/keyseal/keyring"
)

// User is the origin's session data; the gate reads its "user" member.
type User struct {
	User string `json:"user"`
}

// ringSource is the origin's keyring, swapped by the test between the
// phases of a rotation as a keyring.Watcher would swap it.
type ringSource struct{ p atomic.Pointer[keyring.Ring] }

func (s *ringSource) Current() *keyring.Ring { return s.p.Load() }

// origin is a small cookiesession app behind the gate. It serves only
// requests that carry the gate secret, so X-Keyseal-User comes from the
// gate and nobody else; it logs users in at /login?user=NAME and answers
// other paths with the user the gate named.
type origin struct {
	URL  string
	Addr string // host:port
	Ring ringSource
}

func startOrigin(t testing.TB, ring *keyring.Ring, secret string) *origin {
	t.Helper()
	o := &origin{}
	o.Ring.p.Store(ring)
	sessions, err := cookiesession.New[User](&o.Ring, cookiesession.Config[User]{
		InsecureDevMode: true, // plain http on loopback; cookie "session"
		OnError:         func(_ *http.Request, err error) { t.Errorf("origin: %v", err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		if name := r.FormValue("user"); name != "" {
			s := sessions.Get(r.Context())
			s.Set(User{User: name})
			s.Renew()
			fmt.Fprintln(w, "logged in")
			return
		}
		fmt.Fprintf(w, "login page; user=%s\n", strings.Join(r.Header.Values(gate.UserHeader), ","))
	})
	mux.HandleFunc("GET /session", func(w http.ResponseWriter, r *http.Request) {
		// The origin's own view of the cookie, opened by cookiesession.
		fmt.Fprintf(w, "session=%s\n", sessions.Get(r.Context()).Data().User)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// The protected pages trust the gate's header and never open the
		// session themselves: a re-sealed cookie comes from the gate.
		fmt.Fprintf(w, "user=%s\n", strings.Join(r.Header.Values(gate.UserHeader), ","))
	})
	app := sessions.LoadAndSave(mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(gate.SecretHeader)), []byte(secret)) != 1 {
			http.Error(w, "only through the gate", http.StatusForbidden)
			return
		}
		app.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	o.URL = srv.URL
	o.Addr = strings.TrimPrefix(srv.URL, "http://")
	return o
}
