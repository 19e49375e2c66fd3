package cookiesession_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// TestNewRefuses: New refuses what a browser would drop and what
// contradicts itself, naming the field.
func TestNewRefuses(t *testing.T) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	type cfg = cookiesession.Config[user]
	cases := []struct {
		field string
		cfg   cfg
	}{
		{"Name", cfg{Domain: "example.com"}}, // default __Host- name
		{"Name", cfg{Name: "__Host-s", Path: "/app"}},
		{"Name", cfg{Name: "__HOST-s", Domain: "example.com"}},
		{"Name", cfg{Name: "__Host-s", InsecureDevMode: true}},
		{"Name", cfg{Name: "__secure-s", InsecureDevMode: true}},
		{"Name", cfg{Name: "a b"}},
		{"Name", cfg{Name: "a;b"}},
		{"Name", cfg{Name: "a=b"}},
		{"Name", cfg{Name: "caf\u00e9"}},
		{"Path", cfg{Name: "s", Path: "app"}},
		{"Path", cfg{Name: "s", Path: "/a;Domain=evil.example"}},
		{"Domain", cfg{Name: "s", Domain: "exa mple.com"}},
		{"Domain", cfg{Name: "s", Domain: "a.com; Secure"}},
		{"SameSite", cfg{SameSite: http.SameSiteNoneMode, InsecureDevMode: true}},
		{"SameSite", cfg{SameSite: http.SameSiteDefaultMode}},
		{"IdleTimeout", cfg{IdleTimeout: 2 * time.Hour, AbsoluteLifetime: time.Hour}},
		{"IdleTimeout", cfg{IdleTimeout: -time.Hour}},
		{"AbsoluteLifetime", cfg{AbsoluteLifetime: time.Millisecond}},
		{"RefreshAfter", cfg{IdleTimeout: time.Hour, RefreshAfter: 2 * time.Hour}},
		{"MaxCookieSize", cfg{MaxCookieSize: 100}},
		{"MaxDecompressedSize", cfg{MaxDecompressedSize: -1}},
	}
	for _, c := range cases {
		_, err := cookiesession.New(ring, c.cfg)
		var ce *keyseal.ConfigError
		if !errors.As(err, &ce) || ce.Field != c.field {
			t.Errorf("New(%+v) = %v, want a ConfigError on %s", c.cfg, err, c.field)
		}
	}
	if _, err := cookiesession.New(nil, cfg{}); err == nil {
		t.Error("New without a keyring succeeded")
	}
	for _, c := range []cfg{
		{},
		{SameSite: http.SameSiteNoneMode},
		{SameSite: http.SameSiteStrictMode},
		{Name: "__Secure-s", Path: "/app", Domain: "example.com"},
		{Name: "s", Domain: ".example.com"},
		{InsecureDevMode: true},
		{AbsoluteLifetime: time.Hour}, // IdleTimeout defaults within it
	} {
		if _, err := cookiesession.New(ring, c); err != nil {
			t.Errorf("New(%+v): %v", c, err)
		}
	}
}

// TestDefaults: the zero Config writes a __Host- cookie with every
// protective attribute, and a Max-Age equal to the idle timeout.
func TestDefaults(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.want("/login?name=ada", "ok")
	sc := setCookies(resp)
	if len(sc) != 1 {
		t.Fatalf("Set-Cookie %q", sc)
	}
	c, err := http.ParseSetCookie(sc[0])
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "__Host-session" || c.Path != "/" || c.Domain != "" || !c.Secure || !c.HttpOnly ||
		c.SameSite != http.SameSiteLaxMode || c.MaxAge != int(cookiesession.DefaultIdleTimeout/time.Second) {
		t.Fatalf("default cookie %q", sc[0])
	}
}

// TestDevMode: InsecureDevMode works over plain http on loopback, with a
// cookie that is not Secure, and refuses to set cookies for other hosts.
func TestDevMode(t *testing.T) {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	var errs []error
	m, err := cookiesession.New(ring, cookiesession.Config[user]{
		InsecureDevMode: true,
		OnError:         func(r *http.Request, err error) { errs = append(errs, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	h := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := m.Get(r.Context())
		if r.URL.Path == "/login" {
			s.Set(user{Name: "ada"})
		}
		io.WriteString(w, s.Data().Name)
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := srv.Client()
	client.Jar, _ = cookiejar.New(nil)
	resp, err := client.Get(srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if sc := resp.Header.Get("Set-Cookie"); !strings.HasPrefix(sc, "session=") || strings.Contains(sc, "Secure") {
		t.Fatalf("dev mode cookie %q", sc)
	}
	resp, err = client.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ada" {
		t.Fatalf("dev mode session lost: %q", body)
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "http://example.com/login", nil))
	if sc := rec.Header().Values("Set-Cookie"); len(sc) != 0 || len(errs) != 1 || !errors.Is(errs[0], cookiesession.ErrDevMode) {
		t.Fatalf("dev mode on example.com: Set-Cookie %q, OnError %v", sc, errs)
	}
}

// TestAttributes: the configured attributes are what the cookie carries.
func TestAttributes(t *testing.T) {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	m, err := cookiesession.New(ring, cookiesession.Config[user]{
		Name: "sid", Path: "/app", Domain: "example.com", SameSite: http.SameSiteStrictMode,
		IdleTimeout: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.Get(r.Context()).Set(user{Name: "ada"})
	})).ServeHTTP(rec, httptest.NewRequest("GET", "https://www.example.com/app/", nil))
	sc := rec.Header().Get("Set-Cookie")
	_, attrs, _ := strings.Cut(sc, ";")
	if want := " Path=/app; Domain=example.com; Max-Age=3600; HttpOnly; Secure; SameSite=Strict"; attrs != want {
		t.Fatalf("attributes %q, want %q", attrs, want)
	}
}

// TestCodecOptions: the codec options a Manager takes in its own fields
// (Compress, MaxDecompressedSize) reach the cookie.
func TestCodecOptions(t *testing.T) {
	name := strings.Repeat("ada ", 300) // compresses well
	cookieLen := func(edit func(*cookiesession.Config[user])) int {
		e := newEnv(t, edit)
		_, resp := e.get("/login?name=" + strings.ReplaceAll(name, " ", "+"))
		n := 0
		for _, c := range resp.Cookies() {
			n += len(c.Value)
		}
		if n == 0 {
			t.Fatalf("no session cookie: %v", e.takeErrors())
		}
		e.want("/me", name+" 0")
		return n
	}
	plain := cookieLen(nil)
	small := cookieLen(func(c *cookiesession.Config[user]) { c.Compress = true })
	if small*3 > plain {
		t.Fatalf("Compress: cookie of %d characters, %d without: not compressed", small, plain)
	}

	// A compressed session larger than MaxDecompressedSize is not written:
	// the Manager would refuse it on the next request.
	e := newEnv(t, func(c *cookiesession.Config[user]) {
		c.Compress = true
		c.MaxDecompressedSize = 256
	})
	_, resp := e.get("/login?name=" + strings.ReplaceAll(name, " ", "+"))
	if len(resp.Cookies()) != 0 {
		t.Fatalf("a session over MaxDecompressedSize was written: %v", resp.Cookies())
	}
	if errs := e.takeErrors(); len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrTooLarge) {
		t.Fatalf("OnError got %v, want one keyseal.ErrTooLarge", errs)
	}
}
