package nodesessions_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/format"
	"github.com/keyseal/keyseal/keyring"
	"github.com/keyseal/keyseal/nodesession"
)

// account is the session both the Node app and the Go app keep.
type account struct {
	User  string   `json:"user"`
	Roles []string `json:"roles"`
	N     int      `json:"n"`
}

const accountJSON = `{"user":"erin","roles":["admin","dev"],"n":7}`

// migration is a keyseal app on a TLS server that migrates one legacy
// cookie, with a client whose jar holds what the Node app set.
type migration struct {
	srv     *httptest.Server
	client  *http.Client
	url     *url.URL
	invalid []error
}

func newMigration(t *testing.T, legacy cookiesession.Legacy[account]) *migration {
	t.Helper()
	mg := &migration{}
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	m, err := cookiesession.New(ring, cookiesession.Config[account]{
		Legacy:    []cookiesession.Legacy[account]{legacy},
		OnInvalid: func(r *http.Request, err error) { mg.invalid = append(mg.invalid, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	mg.srv = httptest.NewTLSServer(m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := m.Get(r.Context())
		b, _ := json.Marshal(s.Data())
		fmt.Fprintf(w, "%s migrated=%v iat=%d", b, s.Meta().Migrated, s.Meta().IssuedAt.Unix())
	})))
	t.Cleanup(mg.srv.Close)
	mg.client = mg.srv.Client()
	mg.client.Jar, _ = cookiejar.New(nil)
	mg.url, _ = url.Parse(mg.srv.URL)
	return mg
}

// plant stores the Node app's Set-Cookie headers in the jar, as the
// browser did when the Node app logged the user in.
func (mg *migration) plant(t *testing.T, setCookies []string) {
	t.Helper()
	var cs []*http.Cookie
	for _, sc := range setCookies {
		c, err := http.ParseSetCookie(sc)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	mg.client.Jar.SetCookies(mg.url, cs)
}

func (mg *migration) get(t *testing.T) (string, *http.Response) {
	t.Helper()
	resp, err := mg.client.Get(mg.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET: %s %v", resp.Status, err)
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

// check runs the migration: the first request gets the Node session,
// deletes the legacy cookies and sets a native one; the next runs on the
// native cookie alone, with the same data and issue time.
func (mg *migration) check(t *testing.T, legacy []string, iat int64) {
	t.Helper()
	body, resp := mg.get(t)
	want := fmt.Sprintf("%s migrated=true iat=%d", accountJSON, iat)
	if body != want {
		t.Fatalf("first request: %q, want %q", body, want)
	}
	for _, name := range legacy {
		deleted := false
		for _, c := range resp.Cookies() {
			deleted = deleted || c.Name == name && c.MaxAge < 0
		}
		if !deleted {
			t.Errorf("legacy cookie %s not deleted: %q", name, resp.Header.Values("Set-Cookie"))
		}
	}
	jar := mg.jar()
	for _, name := range legacy {
		if _, ok := jar[name]; ok {
			t.Errorf("%s still in the jar", name)
		}
	}
	if format.Detect(jar[cookiesession.DefaultName]) != format.Native {
		t.Fatalf("no native cookie: %v", jar)
	}
	body, _ = mg.get(t)
	if want := fmt.Sprintf("%s migrated=false iat=%d", accountJSON, iat); body != want {
		t.Fatalf("native request: %q, want %q", body, want)
	}
	if len(mg.invalid) != 0 {
		t.Errorf("OnInvalid: %v", mg.invalid)
	}
}

// A user logged in by the real iron-session moves to a native keyseal
// session on their next request, keeping their data and login time.
func TestMigrateIron(t *testing.T) {
	res := runNode(t, []task{{"op": "iron-save", "cookieName": "app-session", "passwords": map[string]string{"1": pw1, "2": pw2}, "data": rawJSON(accountJSON)}})
	if res[0].Error != "" {
		t.Fatal(res[0].Error)
	}
	iron := newIron(t, nodesession.IronConfig{Passwords: map[uint32]string{1: pw1, 2: pw2}})
	_, m, err := iron.Open(ironCookie(t, res[0].SetCookies, "app-session"))
	if err != nil {
		t.Fatal(err)
	}
	mg := newMigration(t, cookiesession.Legacy[account]{
		Name: "app-session", Kind: format.Iron, Decode: nodesession.IronValues[account](iron),
	})
	mg.plant(t, res[0].SetCookies)
	mg.check(t, []string{"app-session"}, m.IssuedAt.Unix())
}

// A chunked iron-session cookie (app-session.0, .1) migrates too; what T
// has no field for ("pad") is not carried over.
func TestMigrateIronChunked(t *testing.T) {
	data := accountJSON[:len(accountJSON)-1] + `,"pad":"` + strings.Repeat("0", 5000) + `"}`
	res := runNode(t, []task{{"op": "iron-save", "cookieName": "app-session", "chunk": true, "passwords": pw1, "data": rawJSON(data)}})
	if res[0].Error != "" || len(res[0].SetCookies) < 2 {
		t.Fatalf("node: %q %s", res[0].SetCookies, res[0].Error)
	}
	iron := newIron(t, nodesession.IronConfig{Passwords: map[uint32]string{1: pw1}})
	mg := newMigration(t, cookiesession.Legacy[account]{
		Name: "app-session", Kind: format.Iron, Chunked: true, Decode: nodesession.IronValues[account](iron),
	})
	mg.plant(t, res[0].SetCookies)
	body, resp := mg.get(t)
	if want := accountJSON + " migrated=true"; len(body) < len(want) || body[:len(want)] != want {
		t.Fatalf("got %q", body)
	}
	for _, name := range []string{"app-session.0", "app-session.1"} {
		deleted := false
		for _, c := range resp.Cookies() {
			deleted = deleted || c.Name == name && c.MaxAge < 0
		}
		if !deleted {
			t.Errorf("%s not deleted", name)
		}
	}
	if len(mg.invalid) != 0 {
		t.Errorf("OnInvalid: %v", mg.invalid)
	}
}
