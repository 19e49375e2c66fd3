package nodesessions_test

import (
	"crypto"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/format"
	"github.com/keyseal/keyseal/nodesession"
)

// expressCookies returns the session cookie's and its signature's values
// from Set-Cookie headers.
func expressCookies(t *testing.T, setCookies []string, name string) (value, sig string) {
	t.Helper()
	for _, sc := range setCookies {
		c, err := http.ParseSetCookie(sc)
		if err != nil {
			t.Fatal(err)
		}
		switch c.Name {
		case name:
			value = c.Value
		case name + ".sig":
			sig = c.Value
		}
	}
	if value == "" || sig == "" {
		t.Fatalf("no %s and %s.sig in %q", name, name, setCookies)
	}
	return value, sig
}

func newCookieSession(t *testing.T, keys ...string) *nodesession.CookieSession {
	t.Helper()
	c, err := nodesession.NewCookieSession(nodesession.CookieSessionConfig{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Cookies set by the real cookie-session middleware, under one key and
// key lists, default and custom names, open in Go to the same session;
// a key other than the first asks for a re-signing, as cookie-session
// re-signs.
func TestExpressNodeSetsGoOpens(t *testing.T) {
	setups := []struct {
		name   string
		opts   map[string]any
		goKeys []string
		reseal bool
	}{
		{"one key", map[string]any{"keys": []string{"k1"}}, []string{"k1"}, false},
		{"secret", map[string]any{"secret": "a secret"}, []string{"a secret"}, false},
		{"key list", map[string]any{"keys": []string{"new", "old"}, "name": "app"}, []string{"new", "old"}, false},
		{"rotated in go", map[string]any{"keys": []string{"old"}, "name": "app"}, []string{"new", "old"}, true},
	}
	var tasks []task
	for _, s := range setups {
		for _, data := range ironSessions {
			tasks = append(tasks, task{"op": "express-set", "opts": s.opts, "data": rawJSON(data)})
		}
	}
	res := runNode(t, tasks)
	n := 0
	for _, s := range setups {
		c := newCookieSession(t, s.goKeys...)
		name, _ := s.opts["name"].(string)
		if name == "" {
			name = nodesession.CookieSessionDefaultName
		}
		for _, data := range ironSessions {
			r := res[n]
			n++
			if r.Error != "" {
				t.Fatalf("%s: node: %s", s.name, r.Error)
			}
			value, sig := expressCookies(t, r.SetCookies, name)
			got, m, err := c.Open(name, value, sig)
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			sameJSON(t, s.name, got, []byte(data))
			if m.NeedsReseal != s.reseal || !m.IssuedAt.IsZero() {
				t.Errorf("%s: meta %+v", s.name, m)
			}
			// The name is signed: under another name it does not open.
			if _, _, err := c.Open(name+"x", value, sig); !errors.Is(err, keyseal.ErrAuth) {
				t.Errorf("%s: other name: %v", s.name, err)
			}
		}
	}
	t.Logf("%d cookie-session cookies opened", n)
}

// Refusals match every format's, and cookie-session refuses the same
// cookies: tampered value, tampered signature, wrong key, wrong name,
// no signature.
func TestExpressRefusals(t *testing.T) {
	opts := map[string]any{"keys": []string{"k1", "k0"}, "name": "app"}
	res := runNode(t, []task{{"op": "express-set", "opts": opts, "data": rawJSON(ironSessions[1])}})
	value, sig := expressCookies(t, res[0].SetCookies, "app")
	c := newCookieSession(t, "k1", "k0")
	tamperedValue := flipAt(value, 10)
	tamperedSig := flipAt(sig, 3)
	for _, tc := range []struct {
		name               string
		c                  *nodesession.CookieSession
		cookie, value, sig string
		want               error
		header             string // the Cookie header cookie-session gets
	}{
		{"tampered value", c, "app", tamperedValue, sig, keyseal.ErrAuth, "app=" + tamperedValue + "; app.sig=" + sig},
		{"tampered signature", c, "app", value, tamperedSig, keyseal.ErrAuth, "app=" + value + "; app.sig=" + tamperedSig},
		{"wrong key", newCookieSession(t, "k2"), "app", value, sig, keyseal.ErrAuth, ""},
		{"wrong name", c, "session", value, sig, keyseal.ErrAuth, "session=" + value + "; session.sig=" + sig},
		{"no signature", c, "app", value, "", keyseal.ErrAuth, "app=" + value},
		{"sha256", mustCookieSession(t, nodesession.CookieSessionConfig{Keys: []string{"k1"}, Hash: crypto.SHA256}), "app", value, sig, keyseal.ErrAuth, ""},
		{"too large", mustCookieSession(t, nodesession.CookieSessionConfig{Keys: []string{"k1"}, MaxTokenSize: 10}), "app", value, sig, keyseal.ErrTooLarge, ""},
	} {
		if _, _, err := tc.c.Open(tc.cookie, tc.value, tc.sig); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if tc.header == "" {
			continue
		}
		r := runNode(t, []task{{"op": "express-read", "opts": opts, "cookie": tc.header}})
		if !r[0].IsNew {
			t.Errorf("%s: cookie-session took it: %s", tc.name, r[0].Data)
		}
	}
	// The genuine cookie reads in cookie-session, to the same data.
	r := runNode(t, []task{{"op": "express-read", "opts": opts, "cookie": "app=" + value + "; app.sig=" + sig}})
	if r[0].IsNew {
		t.Fatal("cookie-session refused its own cookie")
	}
	sameJSON(t, "cookie-session", r[0].Data, []byte(ironSessions[1]))
}

func mustCookieSession(t *testing.T, cfg nodesession.CookieSessionConfig) *nodesession.CookieSession {
	t.Helper()
	c, err := nodesession.NewCookieSession(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A user logged in by the real cookie-session moves to a native keyseal
// session on their next request: session and signature cookies deleted.
func TestMigrateExpress(t *testing.T) {
	res := runNode(t, []task{{"op": "express-set", "opts": map[string]any{"keys": []string{"new", "old"}}, "data": rawJSON(accountJSON)}})
	if res[0].Error != "" {
		t.Fatal(res[0].Error)
	}
	cs := newCookieSession(t, "new", "old")
	mg := newMigration(t, cookiesession.Legacy[account]{
		Name: "session", Signature: "session.sig", Kind: format.JWE,
		Decode: nodesession.CookieSessionValues[account](cs),
	})
	mg.plant(t, res[0].SetCookies)
	if !strings.HasPrefix(mg.jar()["session"], "eyJ") {
		t.Fatalf("jar %v", mg.jar())
	}
	body, _ := mg.get(t)
	if want := accountJSON + " migrated=true"; !strings.HasPrefix(body, want) {
		t.Fatalf("got %q, want %q", body, want)
	}
	jar := mg.jar()
	for _, name := range []string{"session", "session.sig"} {
		if _, ok := jar[name]; ok {
			t.Errorf("%s still in the jar: %v", name, jar)
		}
	}
	body, _ = mg.get(t)
	if want := accountJSON + " migrated=false"; !strings.HasPrefix(body, want) {
		t.Fatalf("native request: %q", body)
	}
	if len(mg.invalid) != 0 {
		t.Errorf("OnInvalid: %v", mg.invalid)
	}
}
