package gorillasessions_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/sessions"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/format"
	"github.com/keyseal/keyseal/keyring"
	"github.com/keyseal/keyseal/legacy"
)

// migration is the old gorilla/sessions application and the new keyseal
// one on the same TLS server: /old/login logs in with the CookieStore,
// every other path is served by cookiesession migrating "app-session".
type migration struct {
	srv     *httptest.Server
	client  *http.Client
	url     *url.URL
	invalid []error
}

func newMigration(t *testing.T, cutoff time.Time) *migration {
	t.Helper()
	mg := &migration{}
	store := sessions.NewCookieStore(hashKey, blockKey)
	d, err := legacy.New(legacy.Config{Keys: []legacy.Keys{{Hash: hashKey, Block: blockKey}}, Cutoff: cutoff})
	if err != nil {
		t.Fatal(err)
	}
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	m, err := cookiesession.New(ring, cookiesession.Config[user]{
		Legacy:    []cookiesession.Legacy[user]{{Name: "app-session", Decode: legacy.Sessions(d, toUser)}},
		OnInvalid: func(r *http.Request, err error) { mg.invalid = append(mg.invalid, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/old/login", func(w http.ResponseWriter, r *http.Request) {
		s, _ := store.Get(r, "app-session")
		s.Values["user_id"] = 7
		s.Values["name"] = "erin"
		s.Values["cart"] = cart{Items: []string{"tea", "cake"}, Total: 9}
		s.Options.Secure = true
		if err := s.Save(r, w); err != nil {
			http.Error(w, err.Error(), 500)
		}
	})
	mux.Handle("/", m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := m.Get(r.Context())
		u := s.Data()
		fmt.Fprintf(w, "%d %s %v %d migrated=%v", u.ID, u.Name, u.Cart.Items, u.Cart.Total, s.Meta().Migrated)
	})))
	mg.srv = httptest.NewTLSServer(mux)
	t.Cleanup(mg.srv.Close)
	mg.client = mg.srv.Client()
	mg.client.Jar, _ = cookiejar.New(nil)
	mg.url, _ = url.Parse(mg.srv.URL)
	return mg
}

func (mg *migration) get(t *testing.T, path string) (string, *http.Response) {
	t.Helper()
	resp, err := mg.client.Get(mg.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s %v", path, resp.Status, err)
	}
	return string(b), resp
}

func (mg *migration) jar() map[string]string {
	out := map[string]string{}
	for _, c := range mg.client.Jar.Cookies(mg.url) {
		out[c.Name] = c.Value
	}
	return out
}

// A user logged in by the real gorilla/sessions moves to keyseal on their
// next request, without noticing.
func TestMigrateCookieStore(t *testing.T) {
	mg := newMigration(t, time.Now().Add(time.Hour))
	mg.get(t, "/old/login")
	if format.Detect(mg.jar()["app-session"]) != format.SecureCookie {
		t.Fatalf("old app set %v", mg.jar())
	}

	body, resp := mg.get(t, "/")
	if want := "7 erin [tea cake] 9 migrated=true"; body != want {
		t.Fatalf("got %q, want %q", body, want)
	}
	deleted := false
	for _, c := range resp.Cookies() {
		deleted = deleted || c.Name == "app-session" && c.MaxAge < 0
	}
	if !deleted {
		t.Errorf("legacy cookie not deleted: %q", resp.Header.Values("Set-Cookie"))
	}
	jar := mg.jar()
	if _, ok := jar["app-session"]; ok || format.Detect(jar[cookiesession.DefaultName]) != format.Native {
		t.Fatalf("jar after migration: %v", jar)
	}

	body, _ = mg.get(t, "/")
	if want := "7 erin [tea cake] 9 migrated=false"; body != want {
		t.Fatalf("native request: got %q, want %q", body, want)
	}
	if len(mg.invalid) != 0 {
		t.Errorf("OnInvalid: %v", mg.invalid)
	}
}

// After the cutoff the same cookie yields a fresh session and is deleted.
func TestMigrateCookieStoreCutoff(t *testing.T) {
	mg := newMigration(t, time.Now())
	mg.get(t, "/old/login")
	body, _ := mg.get(t, "/")
	if !strings.HasPrefix(body, "0  [] 0") {
		t.Errorf("got %q", body)
	}
	if len(mg.invalid) != 1 || !errors.Is(mg.invalid[0], legacy.ErrCutoff) {
		t.Errorf("OnInvalid %v", mg.invalid)
	}
	if _, ok := mg.jar()["app-session"]; ok {
		t.Error("legacy cookie kept after the cutoff")
	}
}
