package demo_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal/internal/demo"
	"github.com/keyseal/keyseal/keyring"
)

type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newClient(t *testing.T, h http.Handler) *client {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: srv.URL, c: &http.Client{Jar: jar}}
}

// newDemo starts a demo server with an ephemeral keyring and a client of
// it; the server closes when the test ends.
func newDemo(t *testing.T) (*demo.Server, *client) {
	s, err := demo.New(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, newClient(t, s.Handler())
}

func (c *client) post(path string, form url.Values) string {
	c.t.Helper()
	resp, err := c.c.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("POST %s: %s", path, resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return string(b)
}

func (c *client) state() map[string]any {
	c.t.Helper()
	resp, err := c.c.Get(c.base + "/api/session")
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		c.t.Fatal(err)
	}
	return m
}

// keyCount returns the number of keys /healthz lists.
func (c *client) keyCount() int {
	c.t.Helper()
	resp, err := c.c.Get(c.base + "/healthz")
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct{ Keys []json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		c.t.Fatal(err)
	}
	return len(h.Keys)
}

func keyID(m map[string]any) uint32 { f, _ := m["key_id"].(float64); return uint32(f) }

func primaryID(m map[string]any) uint32 { f, _ := m["primary_key_id"].(float64); return uint32(f) }

// TestRotationWalkthrough clicks through the page's forms: log in, count,
// add and promote a key (still logged in, cookie re-sealed under the new
// key), retire the old key.
func TestRotationWalkthrough(t *testing.T) {
	for _, withFile := range []bool{false, true} {
		t.Run("file="+strconv.FormatBool(withFile), func(t *testing.T) {
			var o demo.Options
			if withFile {
				o.KeyControls = true
				o.KeyringFile = filepath.Join(t.TempDir(), "keyring.json")
				r, err := keyring.Generate(keyring.XChaCha20Poly1305)
				if err != nil {
					t.Fatal(err)
				}
				if err := keyring.WriteFile(o.KeyringFile, r); err != nil {
					t.Fatal(err)
				}
			}
			s, err := demo.New(o)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			c := newClient(t, s.Handler())

			page := c.post("/login", url.Values{"user": {"ada"}})
			if !strings.Contains(page, "Welcome, ada!") || !strings.Contains(page, `id="user">ada<`) {
				t.Fatalf("login page: %s", page)
			}
			c.post("/count", nil)
			c.post("/count", nil)
			st := c.state()
			old := keyID(st)
			if st["user"] != "ada" || st["count"].(float64) != 2 || old == 0 {
				t.Fatalf("state after counting: %v", st)
			}

			page = c.keyOp("add", 0)
			if !strings.Contains(page, "Added key") {
				t.Fatalf("add: %s", page)
			}
			next := newestKey(t, page, old)
			c.keyOp("promote", next)
			// The page request after the promotion re-sealed the cookie.
			if st = c.state(); st["user"] != "ada" || keyID(st) != next {
				t.Fatalf("after promotion: %v (want key %d)", st, next)
			}
			page = c.keyOp("retire", old)
			if !strings.Contains(page, "Retired key") {
				t.Fatalf("retire: %s", page)
			}
			if st = c.state(); st["user"] != "ada" || st["count"].(float64) != 2 {
				t.Fatalf("after retirement: %v", st)
			}
			if withFile {
				r, err := keyring.ReadFile(o.KeyringFile)
				if err != nil {
					t.Fatal(err)
				}
				if k, _ := r.Key(old); k.State() != keyring.Retired {
					t.Fatalf("keyring file not updated: %v", r)
				}
			}
			c.post("/logout", nil)
			if st = c.state(); st["logged_in"] != false {
				t.Fatalf("after logout: %v", st)
			}
		})
	}
}

// newestKey finds the key ID on the page other than old.
func newestKey(t *testing.T, page string, old uint32) uint32 {
	t.Helper()
	for _, part := range strings.Split(page, `data-key="`)[1:] {
		id, err := strconv.ParseUint(part[:strings.IndexByte(part, '"')], 10, 32)
		if err == nil && uint32(id) != old {
			return uint32(id)
		}
	}
	t.Fatalf("no new key on the page")
	return 0
}

// TestRetiredKeyRefusesOldCookie: a cookie sealed under a key retired
// before the browser came back gives a fresh session, not an error.
func TestRetiredKeyRefusesOldCookie(t *testing.T) {
	s, a := newDemo(t)
	a.post("/login", url.Values{"user": {"ada"}})
	old := keyID(a.state())

	b := newClient(t, s.Handler()) // a second browser rotates the keys
	b.base = a.base
	page := b.keyOp("add", 0)
	next := newestKey(t, page, old)
	b.keyOp("promote", next)
	b.keyOp("retire", old)

	if st := a.state(); st["logged_in"] != false {
		t.Fatalf("a cookie under a retired key still logged in: %v", st)
	}
}

func TestCrossOriginFormRefused(t *testing.T) {
	s, err := demo.New(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	// With the page's token: the cross-origin check alone refuses it.
	c := &client{t: t, base: srv.URL, c: http.DefaultClient}
	req, _ := http.NewRequest("POST", srv.URL+"/keys/add", nil)
	req.Header.Set("X-Demo-Token", c.pageToken())
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || c.keyCount() != 1 {
		t.Fatalf("cross-site POST: %s, %d keys", resp.Status, c.keyCount())
	}
}

func TestRunRefusesNonLoopback(t *testing.T) {
	err := demo.Run(t.Context(), demo.Options{Addr: "0.0.0.0:0"}, nil)
	if err == nil || !strings.Contains(err.Error(), "not loopback") {
		t.Fatalf("Run on 0.0.0.0: %v", err)
	}
}

func TestBadKeyringFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "k.json")
	os.WriteFile(p, []byte(`{"version":1,"keys":[]}`), 0o600)
	if _, err := demo.New(demo.Options{KeyringFile: p}); err == nil {
		t.Fatal("a keyring without keys was accepted")
	}
}

// TestLeeway: a cookie sealed by an instance whose clock is 10 s ahead is
// accepted under the default leeway (60 s) and refused as not yet valid
// under a leeway of 5 s.
func TestLeeway(t *testing.T) {
	ring, err := keyring.Generate(keyring.DefaultAlgorithm)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "keyring.json")
	if err := keyring.WriteFile(file, ring); err != nil {
		t.Fatal(err)
	}
	start := func(o demo.Options) *demo.Server {
		o.KeyringFile = file
		s, err := demo.New(o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	ahead := start(demo.Options{ClockSkew: 10 * time.Second})
	for _, tc := range []struct {
		leeway   time.Duration
		loggedIn bool
	}{{0, true}, {5 * time.Second, false}} {
		reader := httptest.NewServer(start(demo.Options{Leeway: tc.leeway}).Handler())
		c := newClient(t, ahead.Handler())
		c.post("/login", url.Values{"user": {"ada"}})
		c.base = reader.URL
		if st := c.state(); st["logged_in"] != tc.loggedIn {
			t.Errorf("leeway %v: a cookie from 10 s ahead gives %v, want logged in %v", tc.leeway, st, tc.loggedIn)
		}
		reader.Close()
	}
}

// TestAPIReportsPrimary checks that the JSON answers to log in, count and
// log out all name the ring's primary key. Log in and log out answer
// without a sealed session to read it from.
func TestAPIReportsPrimary(t *testing.T) {
	_, c := newDemo(t)
	want := primaryID(c.state())
	if want == 0 {
		t.Fatalf("/api/session names no primary: %v", c.state())
	}
	for _, step := range []struct{ path, body string }{
		{"/api/login", `{"user":"ada"}`},
		{"/api/count", ""},
		{"/api/logout", ""},
	} {
		req, _ := http.NewRequest("POST", c.base+step.path, strings.NewReader(step.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", c.base)
		resp, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		err = json.NewDecoder(resp.Body).Decode(&m)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %s, %v", step.path, resp.Status, err)
		}
		if got := primaryID(m); got != want {
			t.Errorf("POST %s: primary_key_id %d, want %d (%v)", step.path, got, want, m)
		}
	}
}

// TestForeignHostRefused: a page whose name is re-pointed at 127.0.0.1
// (DNS rebinding) is same-origin with the demo to the browser, so its
// posts pass the cross-origin check; they carry its name in Host, and
// the demo refuses them before any handler runs. Loopback names pass.
func TestForeignHostRefused(t *testing.T) {
	_, c := newDemo(t)
	keys := c.keyCount()
	token := c.pageToken()
	do := func(host, method, path string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, c.base+path, strings.NewReader(""))
		req.Host = host
		if method == "POST" {
			req.Header.Set("X-Demo-Token", token)
			req.Header.Set("Origin", "http://"+host)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, host := range []string{"attacker.example", "attacker.example:8080", "localhost.attacker.example", "127.0.0.1.nip.io", "10.0.0.1:8080", "[2001:db8::1]:8080"} {
		for _, p := range []struct{ method, path string }{{"POST", "/keys/add"}, {"GET", "/healthz"}, {"GET", "/api/session"}, {"GET", "/"}} {
			if resp := do(host, p.method, p.path); resp.StatusCode != http.StatusMisdirectedRequest {
				t.Errorf("%s %s with Host %q: %s, want 421", p.method, p.path, host, resp.Status)
			}
		}
	}
	if n := c.keyCount(); n != keys {
		t.Fatalf("a foreign host changed the keyring: %d keys, was %d", n, keys)
	}
	for _, host := range []string{"localhost", "LOCALHOST:8080", "app.localhost:1", "localhost.", "127.0.0.1:8080", "127.0.0.2", "[::1]:8080", "[::1]"} {
		if resp := do(host, "GET", "/"); resp.StatusCode != http.StatusOK {
			t.Errorf("GET / with Host %q: %s", host, resp.Status)
		}
	}
	if resp := do("localhost:8080", "POST", "/keys/add"); resp.StatusCode != http.StatusOK || c.keyCount() != keys+1 { // 303 to /, followed
		t.Errorf("POST /keys/add from localhost: %s, %d keys", resp.Status, c.keyCount())
	}
}

// TestSecurityHeaders: no page may be framed (a framing page could trick
// a click on a key button), and nothing loads but the page's own style.
func TestSecurityHeaders(t *testing.T) {
	_, c := newDemo(t)
	for _, path := range []string{"/", "/api/session", "/healthz", "/nowhere"} {
		resp, err := c.c.Get(c.base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
			!strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: headers %v", path, h)
		}
	}
}

// TestAPITakesJSONOnly: every POST under /api/ needs Content-Type
// application/json, which a cross-origin page cannot send without a CORS
// preflight; and a refusal is JSON too.
func TestAPITakesJSONOnly(t *testing.T) {
	_, c := newDemo(t)
	post := func(path, ctype, body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, path := range []string{"/api/login", "/api/count", "/api/logout"} {
		for _, ctype := range []string{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "text/json"} {
			if resp := post(path, ctype, `{"user":"ada"}`); resp.StatusCode != http.StatusUnsupportedMediaType {
				t.Errorf("POST %s as %q: %s, want 415", path, ctype, resp.Status)
			}
		}
	}
	if resp := post("/api/login", "application/json; charset=utf-8", `{"user":"ada"}`); resp.StatusCode != http.StatusOK {
		t.Errorf("POST /api/login as JSON: %s", resp.Status)
	}
	post("/api/logout", "application/json", "")
	if resp := post("/api/count", "application/json", ""); resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("POST /api/count logged out: %s, Content-Type %q", resp.Status, resp.Header.Get("Content-Type"))
	}
}
