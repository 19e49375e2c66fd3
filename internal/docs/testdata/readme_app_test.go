package main

// This test runs beside the README's "Sessions in net/http" program (see
// ../snippets_test.go): it drives newApp as a browser would, over TLS with a
// cookie jar.

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/keyseal/keyseal/keyring"
)

func TestReadmeApp(t *testing.T) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	app, err := newApp(ring)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(app)
	defer srv.Close()
	client := srv.Client()
	client.Jar, err = cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	session := func() *http.Cookie {
		for _, c := range client.Jar.Cookies(u) {
			if c.Name == "__Host-session" {
				return c
			}
		}
		return nil
	}
	page := func(resp *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %s\n%s", resp.Request.Method, resp.Request.URL.Path, resp.Status, body)
		}
		return string(body)
	}

	if body := page(client.Get(srv.URL + "/")); !strings.Contains(body, `action="/login"`) {
		t.Fatalf("the first page shows no login form: %q", body)
	}
	// Log in: the redirect lands on a page that knows the user.
	body := page(client.PostForm(srv.URL+"/login", url.Values{"name": {"<ada>"}}))
	if !strings.Contains(body, "Hello, &lt;ada&gt;.") {
		t.Fatalf("after login the page says %q", body)
	}
	if session() == nil {
		t.Fatal("no __Host-session cookie after login")
	}
	if body := page(client.Get(srv.URL + "/")); !strings.Contains(body, "Hello, &lt;ada&gt;.") {
		t.Fatalf("the session did not last to the next request: %q", body)
	}
	// Log out: the cookie is gone and the login form is back.
	body = page(client.PostForm(srv.URL+"/logout", nil))
	if !strings.Contains(body, `action="/login"`) || session() != nil {
		t.Fatalf("after logout: page %q, cookie %v", body, session())
	}

	// A cross-site form post is refused and logs nobody in.
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/login", strings.NewReader("name=mallory"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || session() != nil {
		t.Fatalf("cross-site login: %s, cookie %v", resp.Status, session())
	}
}
