package frameworks_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/rails"
)

// railsTask is a request to testdata/rails.rb (see its comment).
type railsTask struct {
	Op         string   `json:"op"`
	Secrets    []string `json:"secrets"`
	SHA256     bool     `json:"sha256"`
	GCM        bool     `json:"gcm"`
	Metadata   bool     `json:"metadata"`
	Serializer string   `json:"serializer"`
	Name       string   `json:"name"`
	Data       any      `json:"data,omitempty"`
	Expires    int64    `json:"expires,omitempty"` // zero: none
	Value      string   `json:"value,omitempty"`
}

type railsResult struct {
	Value string          `json:"value"`
	Data  json.RawMessage `json:"data"`
	Error string          `json:"error"`
}

const (
	railsSecret = "9f2e6c0b7a1d4e3f8a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"
	railsOld    = "old-secret-key-base-0123456789abcdef0123456789abcdef0123456789abcdef"
	railsName   = "_app_session"
)

// railsSession is a session as a Rails app keeps it.
var railsSession = map[string]any{
	"session_id":  "2c1f0e6a4b9d8c7e5f3a1b2c4d6e8f0a",
	"_csrf_token": "q3Vh1L0xQ1e0w0S5d3R2bW9uZ2Vyc2V0cw==",
	"user_id":     float64(42),
	"flash":       map[string]any{"discard": []any{}, "flashes": map[string]any{"notice": "Signed in é ☃"}},
}

// railsRun runs tasks through Rails and fails on a script error.
func railsRun(t *testing.T, tasks []railsTask) []railsResult {
	t.Helper()
	var res []railsResult
	run(t, "ruby", "rails.rb", tasks, &res)
	for i, r := range res {
		if r.Error != "" {
			t.Fatalf("rails task %d (%+v): %s", i, tasks[i], r.Error)
		}
	}
	return res
}

// railsApp is a Rails app's cookie settings.
type railsApp struct {
	name     string
	gcm      bool // use_authenticated_cookie_encryption (5.2+)
	metadata bool // use_cookies_with_metadata (6.0+)
	sha256   bool // key_generator_hash_digest_class SHA256 (7.0+)
}

var railsApps = []railsApp{
	{"rails 6.1 defaults", true, true, false},
	{"rails 7 defaults", true, true, true},
	{"rails 5.2 defaults", true, false, false},
	{"rails 5.0 defaults (CBC)", false, false, false},
	{"rails 6.1, CBC kept", false, true, false},
}

func (a railsApp) task(op string, secrets ...string) railsTask {
	return railsTask{Op: op, Secrets: secrets, SHA256: a.sha256, GCM: a.gcm, Metadata: a.metadata,
		Serializer: "json", Name: railsName}
}

func (a railsApp) codec(t *testing.T, secrets ...string) *rails.Codec {
	t.Helper()
	c, err := rails.New(rails.Config{Secrets: secrets, CookieName: railsName, SHA1Keys: !a.sha256})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sameJSON(t *testing.T, got []byte, want any) {
	t.Helper()
	var g any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	w, _ := json.Marshal(want)
	var wv any
	json.Unmarshal(w, &wv)
	if !reflect.DeepEqual(g, wv) {
		t.Errorf("session %s, want %s", got, w)
	}
}

// Cookies Rails makes open to the same session, with and without expiry,
// under the current secret and under an old one (NeedsReseal).
func TestRailsOpensGenuine(t *testing.T) {
	requireRails(t)
	exp := time.Now().Add(time.Hour).Unix()
	var tasks []railsTask
	for _, a := range railsApps {
		for _, secret := range []string{railsSecret, railsOld} {
			for _, e := range []int64{0, exp} {
				task := a.task("write", secret)
				task.Data, task.Expires = railsSession, e
				tasks = append(tasks, task)
			}
		}
	}
	res := railsRun(t, tasks)
	i := 0
	for _, a := range railsApps {
		c := a.codec(t, railsSecret, railsOld)
		for _, secret := range []string{railsSecret, railsOld} {
			for _, e := range []int64{0, exp} {
				v := res[i].Value
				i++
				data, m, err := c.Open(v)
				if err != nil {
					t.Errorf("%s, expires %d, old secret %v: %v (%s)", a.name, e, secret == railsOld, err, v)
					continue
				}
				sameJSON(t, data, railsSession)
				if wantReseal := secret == railsOld || !a.gcm; m.NeedsReseal != wantReseal {
					t.Errorf("%s: NeedsReseal %v, want %v", a.name, m.NeedsReseal, wantReseal)
				}
				if got := m.ExpiresAt.Unix(); e != 0 && got != e || e == 0 && !m.ExpiresAt.IsZero() {
					t.Errorf("%s: ExpiresAt %v, want %d", a.name, m.ExpiresAt, e)
				}
			}
		}
	}
	t.Logf("%d cookies made by Rails opened", i)
}

// Cookies keyseal seals open in Rails, with every setting of the app
// (an app still on CBC reads GCM cookies too), and under a rotation that
// keeps keyseal's secret as an old one.
func TestRailsReadsSealed(t *testing.T) {
	requireRails(t)
	var tasks []railsTask
	for _, a := range railsApps {
		v, err := a.codec(t, railsSecret).Seal(mustJSON(railsSession))
		if err != nil {
			t.Fatal(err)
		}
		for _, secrets := range [][]string{{railsSecret}, {"a-newer-secret-key-base", railsSecret}} {
			task := a.task("read", secrets...)
			task.Value = v
			tasks = append(tasks, task)
		}
	}
	for i, r := range railsRun(t, tasks) {
		if string(r.Data) == "null" {
			t.Errorf("%s (secrets %d): Rails refused keyseal's cookie", railsApps[i/2].name, len(tasks[i].Secrets))
			continue
		}
		sameJSON(t, r.Data, railsSession)
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// Tampered, wrong secret, wrong cookie name (purpose), expired and
// Marshal cookies: refused by keyseal with the sentinels, and by Rails.
func TestRailsRefuses(t *testing.T) {
	requireRails(t)
	app := railsApps[0]
	mk := func(edit func(*railsTask)) railsTask {
		task := app.task("write", railsSecret)
		task.Data = railsSession
		if edit != nil {
			edit(&task)
		}
		return task
	}
	written := railsRun(t, []railsTask{
		mk(nil),
		mk(func(t *railsTask) { t.Name = "_other_session" }),
		mk(func(t *railsTask) { t.Expires = time.Now().Add(-2 * time.Minute).Unix() }),
		mk(func(t *railsTask) { t.Serializer = "marshal" }),
		mk(func(t *railsTask) { t.SHA256 = true }),
	})
	genuine := written[0].Value
	tampered := tamperBase64(genuine)
	cases := []struct {
		name   string
		value  string
		secret string
		want   error
		rails  bool // Rails opens it (with the same secret)
	}{
		{"tampered", tampered, railsSecret, keyseal.ErrAuth, false},
		{"wrong secret", genuine, "another-secret-key-base", keyseal.ErrAuth, false},
		{"other cookie's purpose", written[1].Value, railsSecret, keyseal.ErrAuth, false},
		{"expired", written[2].Value, railsSecret, keyseal.ErrExpired, false},
		{"marshal", written[3].Value, railsSecret, rails.ErrMarshal, true},
		{"SHA-256 keys read as SHA-1", written[4].Value, railsSecret, keyseal.ErrAuth, false},
	}
	var reads []railsTask
	for _, c := range cases {
		codec := app.codec(t, c.secret)
		_, _, err := codec.Open(c.value)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		task := app.task("read", c.secret)
		task.Serializer, task.Value = "hybrid", c.value
		reads = append(reads, task)
	}
	if !errors.Is(rails.ErrMarshal, keyseal.ErrMalformed) {
		t.Error("ErrMarshal does not match keyseal.ErrMalformed")
	}
	for i, r := range railsRun(t, reads) {
		if opened := string(r.Data) != "null"; opened != cases[i].rails {
			t.Errorf("%s: Rails opened it: %v, want %v", cases[i].name, opened, cases[i].rails)
		}
	}
}

// flipChar returns another base64 character than c.
func flipChar(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// tamperBase64 changes one base64 character of a Rails cookie value, at
// the first position from 5 on that is not part of a %XX escape, so that
// the value stays well formed and only its authentication can fail.
func tamperBase64(v string) string {
	for i := 5; i < len(v); i++ {
		inEscape := (i >= 1 && v[i-1] == '%') || (i >= 2 && v[i-2] == '%')
		c := v[i]
		if !inEscape && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return v[:i] + flipChar(c) + v[i+1:]
		}
	}
	panic("no base64 character to tamper with in " + v)
}
