package cookiesession_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// A ring whose primary is an imported JWE key still serves the sessions
// of its native keys: New accepts it (it failed with
// keyseal.ErrPrimaryCannotSeal), and a session sealed under the native key
// opens (issue 15 item 7).
func TestNewWithJWEPrimary(t *testing.T) {
	e := newEnv(t, nil)
	e.want("/login?name=ada", "ok")
	jweKey, err := keyring.NewKey(77, keyring.A256GCMDirect, make([]byte, keyring.SecretSize), e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	ring, err := e.src.Current().Import(jweKey)
	if err != nil {
		t.Fatal(err)
	}
	if ring, err = ring.Promote(77); err != nil {
		t.Fatal(err)
	}
	m, err := cookiesession.New(ring, cookiesession.Config[user]{Clock: e.clock.Now})
	if err != nil {
		t.Fatalf("New with a JWE primary: %v", err)
	}
	var name string
	h := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name = m.Get(r.Context()).Data().Name
		io.WriteString(w, name)
	}))
	req := httptest.NewRequest("GET", "https://example.com/me", nil)
	req.AddCookie(&http.Cookie{Name: m.Name(), Value: e.jarCookies()[e.m.Name()]})
	e.clock.Advance(time.Second)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if name != "ada" {
		t.Errorf("session under the native key: name %q, want ada", name)
	}
}
