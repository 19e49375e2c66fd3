package frameworks_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/flask"
	"github.com/keyseal/keyseal/format"
	"github.com/keyseal/keyseal/keyring"
	"github.com/keyseal/keyseal/rails"
)

// appSession is the Go service's session: what it needs of the old app's.
type appSession struct {
	UserID int    `json:"user_id"`
	Name   string `json:"name,omitempty"`
	Visits int    `json:"visits"`
}

// migration is a keyseal app behind a TLS server and a browser-like
// client whose jar holds the old app's cookie.
type migration struct {
	t       *testing.T
	srv     *httptest.Server
	client  *http.Client
	url     *url.URL
	invalid []error
}

func newMigration(t *testing.T, legacy cookiesession.Legacy[appSession]) *migration {
	t.Helper()
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	mg := &migration{t: t}
	m, err := cookiesession.New(ring, cookiesession.Config[appSession]{
		Legacy:    []cookiesession.Legacy[appSession]{legacy},
		OnInvalid: func(r *http.Request, err error) { mg.invalid = append(mg.invalid, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	mg.srv = httptest.NewTLSServer(m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := m.Get(r.Context())
		s.Update(func(a *appSession) { a.Visits++ })
		d := s.Data()
		fmt.Fprintf(w, "user=%d name=%s visits=%d migrated=%v", d.UserID, d.Name, d.Visits, s.Meta().Migrated)
	})))
	t.Cleanup(mg.srv.Close)
	mg.client = mg.srv.Client()
	mg.client.Jar, _ = cookiejar.New(nil)
	mg.url, _ = url.Parse(mg.srv.URL)
	return mg
}

// plant puts the old app's cookie into the jar.
func (mg *migration) plant(name, value string) {
	mg.client.Jar.SetCookies(mg.url, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// get requests / and returns the body and the cookies the jar then holds.
func (mg *migration) get() (string, map[string]string) {
	mg.t.Helper()
	resp, err := mg.client.Get(mg.srv.URL + "/")
	if err != nil {
		mg.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	jar := map[string]string{}
	for _, c := range mg.client.Jar.Cookies(mg.url) {
		jar[c.Name] = c.Value
	}
	return string(b), jar
}

// run checks a migration: the first request takes the old session and
// replaces its cookie by a native one, the next runs on that alone.
func (mg *migration) run(old, want1, want2 string) {
	mg.t.Helper()
	body, jar := mg.get()
	if body != want1 {
		mg.t.Errorf("first request: %q, want %q", body, want1)
	}
	if _, ok := jar[old]; ok {
		mg.t.Errorf("old cookie %s still in the jar", old)
	}
	if format.Detect(jar[cookiesession.DefaultName]) != format.Native {
		mg.t.Errorf("no native session cookie: %v", jar)
	}
	if body, _ = mg.get(); body != want2 {
		mg.t.Errorf("second request: %q, want %q", body, want2)
	}
	if len(mg.invalid) != 0 {
		mg.t.Errorf("OnInvalid: %v", mg.invalid)
	}
}

// A user logged in under Rails is logged in under keyseal after one
// request: the Rails cookie is deleted, the session carried over.
func TestRailsMigrates(t *testing.T) {
	requireRails(t)
	app := railsApps[0]
	task := app.task("write", railsSecret)
	task.Data, task.Expires = map[string]any{"session_id": "s1", "user_id": 42, "name": "ruby", "visits": 6},
		time.Now().Add(time.Hour).Unix()
	value := railsRun(t, []railsTask{task})[0].Value
	codec := app.codec(t, railsSecret)
	mg := newMigration(t, cookiesession.Legacy[appSession]{Name: railsName, Kind: format.Any, Decode: rails.Values[appSession](codec)})
	mg.plant(railsName, value)
	mg.run(railsName, "user=42 name=ruby visits=7 migrated=true", "user=42 name=ruby visits=8 migrated=false")

	// A cookie Rails refuses is refused, deleted, and reported.
	mg = newMigration(t, cookiesession.Legacy[appSession]{Name: railsName, Kind: format.Any,
		Decode: rails.Values[appSession](app.codec(t, "another-secret"))})
	mg.plant(railsName, value)
	body, jar := mg.get()
	if _, ok := jar[railsName]; ok || body != "user=0 name= visits=1 migrated=false" || len(mg.invalid) != 1 || !errors.Is(mg.invalid[0], keyseal.ErrAuth) {
		t.Errorf("wrong secret: %q, jar %v, OnInvalid %v", body, jar, mg.invalid)
	}
}

// A user logged in under Flask is logged in under keyseal after one
// request: the Flask cookie is deleted, the session carried over.
func TestFlaskMigrates(t *testing.T) {
	requireFlask(t)
	value := flaskRun(t, []flaskTask{{Op: "write", Secret: flaskSecret,
		Data: map[string]any{"user_id": 9, "name": "py", "visits": 1}, Permanent: true}})[0].Value
	mg := newMigration(t, cookiesession.Legacy[appSession]{Name: "session", Kind: format.Any,
		Decode: flask.Values[appSession](flaskCodec(t, flask.Config{}))})
	mg.plant("session", value)
	mg.run("session", "user=9 name=py visits=2 migrated=true", "user=9 name=py visits=3 migrated=false")
}
