package gate_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/examples/edge/gate"
	"github.com/keyseal/keyseal/keyring"
)

const secret = "0123456789abcdef0123456789abcdef"

type user struct {
	User string `json:"user"`
}

func newRing(t *testing.T) *keyring.Ring {
	t.Helper()
	r, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func newGate(t *testing.T, cfg gate.Config) *gate.Gate {
	t.Helper()
	if cfg.GateSecret == "" {
		cfg.GateSecret = secret
	}
	g, err := gate.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// write returns the Set-Cookie values a cookiesession Manager writes at
// now for a session set by f.
func write(t *testing.T, ring *keyring.Ring, cfg cookiesession.Config[user], now time.Time, cookie string, f func(*cookiesession.Session[user])) []*http.Cookie {
	t.Helper()
	cfg.Clock = func() time.Time { return now }
	m, err := cookiesession.New(ring, cfg)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "http://localhost/", nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	rec := httptest.NewRecorder()
	m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f(m.Get(r.Context()))
	})).ServeHTTP(rec, req)
	return rec.Result().Cookies()
}

// login returns the cookie header of a cookiesession session for name.
func login(t *testing.T, ring *keyring.Ring, name string, now time.Time) string {
	t.Helper()
	cs := write(t, ring, cookiesession.Config[user]{InsecureDevMode: true}, now, "", func(s *cookiesession.Session[user]) {
		s.Set(user{User: name})
	})
	if len(cs) != 1 {
		t.Fatalf("cookiesession wrote %d cookies", len(cs))
	}
	return cs[0].Name + "=" + cs[0].Value
}

func TestCheck(t *testing.T) {
	ring := newRing(t)
	now := time.Now()
	g := newGate(t, gate.Config{Clock: func() time.Time { return now }, Ring: ring, InsecureDevMode: true, PublicPaths: []string{"/static/", "/health"}})
	cookie := "theme=dark; " + login(t, ring, "ada", now) + "; lang=en"
	tests := []struct {
		path, query, cookie string
		want                gate.Decision
	}{
		{"/account", "", cookie, gate.Decision{User: "ada"}},
		{"/api/me", "", cookie, gate.Decision{User: "ada"}},
		{"/account", "tab=keys", "", gate.Decision{Status: 302, Location: "/login?next=%2Faccount%3Ftab%3Dkeys"}},
		{"/api/me", "", "", gate.Decision{Status: 401}},
		{"/api", "", "", gate.Decision{Status: 302, Location: "/login?next=%2Fapi"}},
		{"/login", "", "", gate.Decision{}},
		{"/login/reset", "", "", gate.Decision{}},
		{"/login", "", cookie, gate.Decision{User: "ada"}},
		{"/loginx", "", "", gate.Decision{Status: 302, Location: "/login?next=%2Floginx"}},
		{"/static/app.css", "", "", gate.Decision{}},
		{"/health", "", "", gate.Decision{}},
		{"/healthz", "", "", gate.Decision{Status: 302, Location: "/login?next=%2Fhealthz"}},
	}
	for _, tt := range tests {
		d := g.Check(tt.path, tt.query, tt.cookie)
		d.Err = nil
		if d != tt.want {
			t.Errorf("Check(%q, %q, cookie %t) = %+v, want %+v", tt.path, tt.query, tt.cookie != "", d, tt.want)
		}
	}
}

func TestFlashesAndSchema(t *testing.T) {
	ring := newRing(t)
	now := time.Now()
	cs := write(t, ring, cookiesession.Config[user]{InsecureDevMode: true, SchemaVersion: 300}, now, "", func(s *cookiesession.Session[user]) {
		s.Set(user{User: "ada"})
		s.AddFlash("saved")
		s.AddFlash(strings.Repeat("x", 200))
	})
	s, err := newGate(t, gate.Config{Clock: func() time.Time { return now }, Ring: ring, InsecureDevMode: true}).Open(cs[0].Name + "=" + cs[0].Value)
	if err != nil || s.User != "ada" {
		t.Fatalf("Open = %+v, %v; want ada", s, err)
	}
}

func TestRefused(t *testing.T) {
	ring := newRing(t)
	now := time.Now()
	g := newGate(t, gate.Config{Clock: func() time.Time { return now }, Ring: ring, InsecureDevMode: true})
	valid := login(t, ring, "ada", now)
	token := strings.TrimPrefix(valid, "session=")
	other := write(t, ring, cookiesession.Config[user]{InsecureDevMode: true, Name: "other"}, now, "", func(s *cookiesession.Session[user]) {
		s.Set(user{User: "ada"})
	})[0].Value
	anon := write(t, ring, cookiesession.Config[user]{InsecureDevMode: true}, now, "", func(s *cookiesession.Session[user]) {
		s.AddFlash("hello")
	})[0].Value
	ctrl := write(t, ring, cookiesession.Config[user]{InsecureDevMode: true}, now, "", func(s *cookiesession.Session[user]) {
		s.Set(user{User: "a\r\nX-Evil: 1"})
	})[0].Value
	tests := []struct {
		name, cookie string
		want         error
	}{
		{"no cookie", "", gate.ErrNoSession},
		{"other cookies", "theme=dark; lang=en", gate.ErrNoSession},
		{"token under another name", "other=" + token, gate.ErrNoSession},
		{"name as a suffix", "xsession=" + token, gate.ErrNoSession},
		{"token sealed for another name", "session=" + other, keyseal.ErrAuth},
		{"expired", login(t, ring, "ada", now.Add(-25*time.Hour)), keyseal.ErrExpired},
		{"session without a user", "session=" + anon, gate.ErrNoUser},
		{"user with control characters", "session=" + ctrl, gate.ErrNoUser},
		{"garbage", "session=garbage", keyseal.ErrMalformed},
	}
	for _, tt := range tests {
		if _, err := g.Open(tt.cookie); !errors.Is(err, tt.want) {
			t.Errorf("%s: Open error %v, want %v", tt.name, err, tt.want)
		}
		if d := g.Check("/api/x", "", tt.cookie); d.Status != 401 || d.User != "" {
			t.Errorf("%s: Check = %+v, want 401", tt.name, d)
		}
	}
	// Every change of one character is refused.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range token {
		b := []byte(token)
		b[i] = alphabet[(strings.IndexByte(alphabet, b[i])+1)%len(alphabet)]
		if s, err := g.Open("session=" + string(b)); err == nil {
			t.Fatalf("character %d changed: opened %+v", i, s)
		}
	}
}

func TestDuplicates(t *testing.T) {
	ring := newRing(t)
	now := time.Now()
	g := newGate(t, gate.Config{Clock: func() time.Time { return now }, Ring: ring, InsecureDevMode: true})
	valid := login(t, ring, "ada", now)
	if s, err := g.Open("session=bad; session=worse;" + valid); err != nil || s.User != "ada" {
		t.Errorf("third of three: %+v, %v; want ada", s, err)
	}
	// Like cookiesession, at most four cookies of the name are tried.
	if _, err := g.Open(strings.Repeat("session=bad; ", 4) + valid); !errors.Is(err, keyseal.ErrMalformed) {
		t.Errorf("fifth: %v, want the first refusal", err)
	}
}

func TestReseal(t *testing.T) {
	ring := newRing(t)
	issued := time.Now().Add(-time.Hour).Truncate(time.Second)
	old := ring.Primary(issued).ID()
	cookie := login(t, ring, "ada", issued)
	ring, k, err := ring.Add(keyring.XChaCha20Poly1305, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	now := issued.Add(time.Hour + 300*time.Millisecond)
	if s, _ := newGate(t, gate.Config{Clock: func() time.Time { return now }, Ring: ring, InsecureDevMode: true}).Open(cookie); s.SetCookie != "" {
		t.Errorf("sealed under the primary, still re-sealed: %q", s.SetCookie)
	}
	ring, err = ring.Promote(k.ID())
	if err != nil {
		t.Fatal(err)
	}
	g := newGate(t, gate.Config{Clock: func() time.Time { return now }, Ring: ring, InsecureDevMode: true})
	d := g.Check("/account", "", cookie)
	if d.Status != 0 || d.User != "ada" || d.SetCookie == "" {
		t.Fatalf("after promote: %+v, want ada re-sealed", d)
	}
	// cookiesession's idle timeout, 24 h, from the issue time: 23 h left,
	// less the part-second already begun.
	wantAttrs := "; Path=/; Max-Age=" + strconv.Itoa(23*3600-1) + "; HttpOnly; SameSite=Lax"
	name, rest, _ := strings.Cut(d.SetCookie, "=")
	token, attrs, _ := strings.Cut(rest, ";")
	if name != "session" || ";"+attrs != wantAttrs {
		t.Errorf("Set-Cookie %q, want session=...%s", d.SetCookie, wantAttrs)
	}
	h, err := codec.ParseHeader(token)
	if err != nil || h.KeyID != k.ID() || !h.IssuedAt.Equal(issued) {
		t.Errorf("re-sealed header %+v, %v; want key %d (was %d) issued %v", h, err, k.ID(), old, issued)
	}
	// The origin's cookiesession opens it, the gate no longer re-seals it.
	var got user
	write(t, ring, cookiesession.Config[user]{InsecureDevMode: true}, now, "session="+token, func(s *cookiesession.Session[user]) {
		got = s.Data()
	})
	if got.User != "ada" {
		t.Errorf("cookiesession opened %+v from the re-sealed cookie", got)
	}
	if s, err := g.Open("session=" + token); err != nil || s.SetCookie != "" {
		t.Errorf("re-sealed cookie: %+v, %v; want it to open as is", s, err)
	}
	// Secure outside InsecureDevMode, as cookiesession writes it.
	sg := newGate(t, gate.Config{Clock: func() time.Time { return now }, Ring: ring, CookieName: "session"})
	if d := sg.Check("/", "", cookie); !strings.HasSuffix(d.SetCookie, "; HttpOnly; Secure; SameSite=Lax") {
		t.Errorf("Set-Cookie %q, want Secure", d.SetCookie)
	}
	// Once the old key is retired, the old cookie is refused.
	ring, err = ring.Retire(old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newGate(t, gate.Config{Clock: func() time.Time { return now }, Ring: ring, InsecureDevMode: true}).Open(cookie); !errors.Is(err, keyseal.ErrKeyRetired) {
		t.Errorf("retired key: %v, want keyseal.ErrKeyRetired", err)
	}
}

// A browser-session cookie (the origin's login without "remember me")
// stays one when the gate re-seals it: no Max-Age.
func TestResealBrowserSession(t *testing.T) {
	ring := newRing(t)
	issued := time.Now().Add(-time.Hour).Truncate(time.Second)
	cs := write(t, ring, cookiesession.Config[user]{InsecureDevMode: true}, issued, "", func(s *cookiesession.Session[user]) {
		s.Set(user{User: "ada"})
		if err := s.SetLifetime(cookiesession.Lifetime{BrowserSession: true}); err != nil {
			t.Fatal(err)
		}
	})
	ring, k, err := ring.Add(keyring.XChaCha20Poly1305, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if ring, err = ring.Promote(k.ID()); err != nil {
		t.Fatal(err)
	}
	now := issued.Add(time.Hour)
	g := newGate(t, gate.Config{Clock: func() time.Time { return now }, Ring: ring, InsecureDevMode: true})
	d := g.Check("/account", "", cs[0].Name+"="+cs[0].Value)
	if d.User != "ada" || d.SetCookie == "" || strings.Contains(d.SetCookie, "Max-Age") {
		t.Errorf("re-sealed browser-session cookie: %+v, want ada and a Set-Cookie without Max-Age", d)
	}
}

func TestNew(t *testing.T) {
	ring := newRing(t)
	tests := []struct {
		name string
		cfg  gate.Config
		want string
	}{
		{"no ring", gate.Config{GateSecret: secret}, "no keyring"},
		{"short secret", gate.Config{Ring: ring, GateSecret: "short"}, "at least 32"},
		{"secret with a newline", gate.Config{Ring: ring, GateSecret: secret + "\n"}, "printable"},
		{"__Host- in dev mode", gate.Config{Ring: ring, GateSecret: secret, InsecureDevMode: true, CookieName: "__Host-s"}, "must be Secure"},
		{"relative login path", gate.Config{Ring: ring, GateSecret: secret, LoginPath: "login"}, "start with /"},
	}
	for _, tt := range tests {
		if _, err := gate.New(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "gate: ") {
			t.Errorf("%s: %v, want an error about %q", tt.name, err, tt.want)
		}
	}
	g := newGate(t, gate.Config{Ring: ring})
	if g.CookieName() != gate.DefaultCookieName || g.Secret() != secret {
		t.Errorf("defaults: name %q", g.CookieName())
	}
}

func TestFromEnv(t *testing.T) {
	data, err := keyring.MarshalFile(newRing(t))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		gate.EnvKeyring:          string(data),
		gate.EnvGateSecret:       secret,
		gate.EnvCookieName:       "sid",
		gate.EnvPublicPaths:      " /static/ ,, /health",
		gate.EnvAbsoluteLifetime: "1h",
	}
	g, err := gate.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if g.CookieName() != "sid" {
		t.Errorf("cookie name %q", g.CookieName())
	}
	if d := g.Check("/health", "", ""); d.Status != 0 {
		t.Errorf("public path from the environment: %+v", d)
	}
	for k, v := range map[string]string{gate.EnvAbsoluteLifetime: "soon", gate.EnvKeyring: `{"version": 1}`, gate.EnvGateSecret: ""} {
		saved := env[k]
		env[k] = v
		_, err := gate.FromEnv(func(k string) string { return env[k] })
		if err == nil {
			t.Errorf("%s=%q: no error", k, v)
		} else if strings.Contains(err.Error(), secret) {
			t.Errorf("%s=%q: the error shows the secret: %v", k, v, err)
		}
		env[k] = saved
	}
}
