package demo_test

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/keyseal/keyseal/internal/demo"
	"github.com/keyseal/keyseal/keyring"
)

var tokenField = regexp.MustCompile(`name="token" value="([^"]+)"`)

// pageToken returns the per-run token the page's key forms carry, or ""
// when the page has no key controls.
func (c *client) pageToken() string {
	c.t.Helper()
	resp, err := c.c.Get(c.base + "/")
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	m := tokenField.FindAllStringSubmatch(b.String(), -1)
	if len(m) == 0 {
		return ""
	}
	for _, x := range m[1:] {
		if x[1] != m[0][1] {
			c.t.Fatalf("the page's key forms carry different tokens: %q, %q", m[0][1], x[1])
		}
	}
	return m[0][1]
}

// keyOp presses a key button as the page's form does: with the page's
// token.
func (c *client) keyOp(op string, id uint32) string {
	c.t.Helper()
	form := url.Values{"token": {c.pageToken()}}
	if id != 0 {
		form.Set("id", strconv.FormatUint(uint64(id), 10))
	}
	return c.post("/keys/"+op, form)
}

// rawPost sends a form POST as curl would: no Origin, no Sec-Fetch-Site,
// no cookies, and does not follow the redirect.
func rawPost(t *testing.T, base, path string, form url.Values, header http.Header) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := (&http.Transport{}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func ringFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keyring.json")
	r, err := keyring.Generate(keyring.DefaultAlgorithm)
	if err != nil {
		t.Fatal(err)
	}
	if err := keyring.WriteFile(path, r); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestKeyControlsNeedToken: a key operation posted without the page's
// per-run token (curl from another local user: no Origin, no
// Sec-Fetch-Site) or with a wrong one is refused with 403 and changes
// nothing; the page's forms, which carry it, work.
func TestKeyControlsNeedToken(t *testing.T) {
	_, c := newDemo(t)
	keys := c.keyCount()
	token := c.pageToken()
	if len(token) < 26 { // rand.Text: 128 bits
		t.Fatalf("page token %q: want at least 26 characters", token)
	}
	for _, tc := range []struct {
		name   string
		form   url.Values
		header http.Header
	}{
		{"no token", url.Values{}, nil},
		{"empty token", url.Values{"token": {""}}, nil},
		{"wrong token", url.Values{"token": {strings.Repeat("A", len(token))}}, nil},
		{"token prefix", url.Values{"token": {token[:len(token)-1]}}, nil},
		{"wrong header", url.Values{}, http.Header{"X-Demo-Token": {"x" + token}}},
	} {
		if resp := rawPost(t, c.base, "/keys/add", tc.form, tc.header); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: POST /keys/add: %s, want 403", tc.name, resp.Status)
		}
	}
	if n := c.keyCount(); n != keys {
		t.Fatalf("refused posts changed the keyring: %d keys, was %d", n, keys)
	}
	if resp := rawPost(t, c.base, "/keys/add", url.Values{"token": {token}}, nil); resp.StatusCode != http.StatusSeeOther || c.keyCount() != keys+1 {
		t.Fatalf("POST /keys/add with the page's token: %s, %d keys", resp.Status, c.keyCount())
	}
	if resp := rawPost(t, c.base, "/keys/add", url.Values{}, http.Header{"X-Demo-Token": {token}}); resp.StatusCode != http.StatusSeeOther || c.keyCount() != keys+2 {
		t.Fatalf("POST /keys/add with the token in X-Demo-Token: %s, %d keys", resp.Status, c.keyCount())
	}
	// Another run has another token.
	_, other := newDemo(t)
	if other.pageToken() == token {
		t.Fatal("two runs share a token")
	}
}

// TestKeyControlsOffForKeyringFile: a demo following an operator's
// keyring file shows no key controls and refuses their posts (even with a
// token, and with Origin set as a browser would) unless KeyControls turns
// them on; then the token is required too.
func TestKeyControlsOffForKeyringFile(t *testing.T) {
	path := ringFile(t)
	before, _ := os.ReadFile(path)
	s, err := demo.New(demo.Options{KeyringFile: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := newClient(t, s.Handler())
	page := c.post("/login", url.Values{"user": {"ada"}})
	if strings.Contains(page, `id="add-key"`) || strings.Contains(page, `class="promote"`) || c.pageToken() != "" {
		t.Fatalf("the page shows key controls for a keyring file: %s", page)
	}
	for _, op := range []string{"add", "promote", "retire", "remove"} {
		if resp := rawPost(t, c.base, "/keys/"+op, url.Values{"id": {"1"}}, http.Header{"Origin": {c.base}, "Sec-Fetch-Site": {"same-origin"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST /keys/%s with controls off: %s, want 403", op, resp.Status)
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("a refused post changed the keyring file")
	}

	on, err := demo.New(demo.Options{KeyringFile: path, KeyControls: true})
	if err != nil {
		t.Fatal(err)
	}
	defer on.Close()
	c = newClient(t, on.Handler())
	if resp := rawPost(t, c.base, "/keys/add", url.Values{}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST /keys/add without the token, controls on: %s, want 403", resp.Status)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("a post without the token changed the keyring file")
	}
	if page := c.keyOp("add", 0); !strings.Contains(page, "Added key") {
		t.Fatalf("add with controls on: %s", page)
	}
	if r, err := keyring.ReadFile(path); err != nil || r.Len() != 2 {
		t.Fatalf("keyring file after add: %v, %v", r, err)
	}

	if _, err := demo.New(demo.Options{KeyringFile: path, KeyControls: true, NoKeyControls: true}); err == nil {
		t.Fatal("KeyControls and NoKeyControls together were accepted")
	}
}

// TestLogoutLeavesNoSession: after "Log out" the browser holds no session
// cookie, the page says "Logged out." once and shows no session; what
// carries the message is short-lived and holds no session.
func TestLogoutLeavesNoSession(t *testing.T) {
	_, c := newDemo(t)
	c.post("/login", url.Values{"user": {"ada"}})
	u, _ := url.Parse(c.base)
	if len(c.c.Jar.Cookies(u)) == 0 {
		t.Fatal("no cookie after login")
	}
	// The logout response itself, not followed.
	req, _ := http.NewRequest("POST", c.base+"/logout", nil)
	for _, ck := range c.c.Jar.Cookies(u) {
		req.AddCookie(ck)
	}
	resp, err := (&http.Transport{}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.MaxAge > 5 || ck.MaxAge == 0 {
			t.Errorf("logout sets cookie %s with Max-Age %d: want deleted or at most 5 s", ck.Name, ck.MaxAge)
		}
		if ck.MaxAge > 0 && len(ck.Value) > 16 {
			t.Errorf("logout sets cookie %s=%q: more than a message marker", ck.Name, ck.Value)
		}
	}

	page := c.post("/logout", nil)
	if !strings.Contains(page, "Logged out.") {
		t.Fatalf("no logout message: %s", page)
	}
	if strings.Contains(page, `id="key-id"`) || strings.Contains(page, "Sealed under key") || strings.Contains(page, `id="who"`) {
		t.Fatalf("the page after logout shows a session: %s", page)
	}
	for _, ck := range c.c.Jar.Cookies(u) {
		t.Errorf("the browser holds cookie %s (%d characters) after logout", ck.Name, len(ck.Value))
	}
	if page := c.post("/count", nil); strings.Contains(page, "Logged out.") {
		t.Fatal("the logout message shows twice")
	}
}

// TestPromoteMessage: the page after "Promote" shows the cookie re-sealed
// under the new key, and its message says so instead of promising it for
// the next request.
func TestPromoteMessage(t *testing.T) {
	for _, withFile := range []bool{false, true} {
		t.Run("file="+strconv.FormatBool(withFile), func(t *testing.T) {
			o := demo.Options{}
			if withFile {
				o.KeyringFile, o.KeyControls = ringFile(t), true
			}
			s, err := demo.New(o)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			c := newClient(t, s.Handler())
			c.post("/login", url.Values{"user": {"ada"}})
			old := keyID(c.state())
			next := newestKey(t, c.keyOp("add", 0), old)
			page := c.keyOp("promote", next)
			flash := regexp.MustCompile(`<div class="flash" id="flash">([^<]*)</div>`).FindStringSubmatch(page)
			if flash == nil {
				t.Fatalf("no message after promote: %s", page)
			}
			shown := regexp.MustCompile(`id="key-id">([0-9]+)<`).FindStringSubmatch(page)
			if shown == nil || shown[1] != strconv.FormatUint(uint64(next), 10) {
				t.Fatalf("the page after promoting %d shows the cookie under key %v", next, shown)
			}
			if strings.Contains(flash[1], "next request") || !strings.Contains(flash[1], "re-sealed") {
				t.Errorf("promote message %q: the page already shows the cookie re-sealed", flash[1])
			}
		})
	}
}

// TestKeyTableExplained: the key table says what its Seals and Opens
// columns count.
func TestKeyTableExplained(t *testing.T) {
	_, c := newDemo(t)
	resp, err := c.c.Get(c.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	resp.Body.Close()
	for _, col := range []string{"Seals", "Opens"} {
		if !regexp.MustCompile(`<th title="[^"]{20,}">` + col + `</th>`).MatchString(b.String()) {
			t.Errorf("the %s column has no explanation", col)
		}
	}
	if !strings.Contains(b.String(), `id="keys-note"`) {
		t.Error("no note under the key table")
	}
}
