package cookiesession

import (
	"net/http"
	"testing"
)

// TestSetCookieMatchesNetHTTP: the Set-Cookie values a Manager renders by
// hand are what net/http's Cookie.String renders for the same cookie, for
// the attribute combinations the tests use, and size bounds their
// attributes' length (it sizes the buffer a value is sealed into).
func TestSetCookieMatchesNetHTTP(t *testing.T) {
	for _, c := range []struct {
		name, path, domain string
		sameSite           http.SameSite
		secure             bool
	}{
		{DefaultName, "", "", 0, true},
		{DefaultDevName, "", "", 0, false},
		{"sid", "/app", "example.com", http.SameSiteStrictMode, true},
		{"sid", "/", ".example.com", http.SameSiteLaxMode, false},
		{"__Secure-s", "/a/b", "", http.SameSiteNoneMode, true},
	} {
		a, err := newCookieAttrs(c.name, c.path, c.domain, c.sameSite, c.secure)
		if err != nil {
			t.Fatal(err)
		}
		a.withIdleAge(86400)
		path, ss := c.path, c.sameSite
		if path == "" {
			path = "/"
		}
		if ss == 0 {
			ss = http.SameSiteLaxMode
		}
		for _, maxAge := range []int64{0, 1, 1799, 86400, 1 << 40} {
			for _, value := range []string{"", "AQAAAAcAaVfH5QBpWRlF-_x", "2.abc"} {
				want := &http.Cookie{Name: c.name, Value: value, Path: path, Domain: c.domain, MaxAge: int(maxAge),
					HttpOnly: true, Secure: c.secure, SameSite: ss}
				if maxAge == 0 {
					want.MaxAge = -1 // net/http's "Max-Age=0"
				}
				if got := string(a.appendSetCookie(nil, c.name, value, maxAge)); got != want.String() {
					t.Errorf("got  %s\nwant %s", got, want.String())
				}
			}
			if n := len(a.appendAttrs(nil, maxAge)); n > a.size(maxAge) {
				t.Errorf("%s, Max-Age %d: attributes of %d bytes, size says %d", c.name, maxAge, n, a.size(maxAge))
			}
		}
	}
}
