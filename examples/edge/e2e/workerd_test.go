package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/examples/edge/gate"
	"github.com/keyseal/keyseal/keyring"
)

// reply is what a request through the gate got back.
type reply struct {
	Status     int
	Location   string
	Body       string
	SetCookies []string
}

// session returns the value the reply's Set-Cookie gives the cookie name,
// or "".
func (r reply) session(name string) string {
	for _, c := range r.SetCookies {
		if v, ok := strings.CutPrefix(c, name+"="); ok {
			v, _, _ = strings.Cut(v, ";")
			return v
		}
	}
	return ""
}

// get sends a GET with extra headers and reads the whole reply.
func get(t *testing.T, c *http.Client, url string, header ...string) reply {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header.Get("Location"), string(body), resp.Header.Values("Set-Cookie")}
}

// newClient returns a client that does not follow redirects, with a
// cookie jar when jar is true.
func newClient(t *testing.T, jar bool) *http.Client {
	c := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if jar {
		j, err := cookiejar.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		c.Jar = j
	}
	return c
}

// mint returns a session cookie value for user as a cookiesession
// Manager named name writes it at now under ring.
func mint(t testing.TB, ring *keyring.Ring, name, user string, now time.Time) string {
	t.Helper()
	m, err := cookiesession.New[User](ring, cookiesession.Config[User]{
		Name: name, InsecureDevMode: true, Clock: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.Get(r.Context()).Set(User{User: user})
	})).ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1/", nil))
	for _, c := range rec.Result().Cookies() {
		if c.Name == name {
			return c.Value
		}
	}
	t.Fatalf("cookiesession wrote no %s cookie", name)
	return ""
}

func newSecret(t *testing.T) string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func marshal(t testing.TB, r *keyring.Ring) string {
	t.Helper()
	b, err := keyring.MarshalFile(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// gateRun starts workerd with the example's Worker in front of o, its
// keyring and settings in text bindings.
func gateRun(t *testing.T, dir string, o *origin, ring *keyring.Ring, secret string) *workerdProc {
	t.Helper()
	config := gateConfig(t, dir, o.Addr, map[string]string{
		gate.EnvKeyring:         marshal(t, ring),
		gate.EnvGateSecret:      secret,
		gate.EnvInsecureDevMode: "1",
	})
	rt := startWorkerd(t, dir, config, nil, nil)
	t.Logf("workerd cold start (process start to first answer): %v", rt.ColdStart)
	return rt
}

// TestGateInWorkerd drives the example's gate, run by workerd, in front
// of a cookiesession origin, with a browser-like client: anonymous,
// logged in, forged identity headers, tampered, expired, misnamed and
// foreign cookies, and a three-phase key rotation through the keyring
// binding, restarting workerd for each phase as a secret change does.
func TestGateInWorkerd(t *testing.T) {
	requireWorkerd(t)
	dir := buildWorker(t)
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	oldKey := ring.Primary(time.Now()).ID()
	secret := newSecret(t)
	o := startOrigin(t, ring, secret)
	rt := gateRun(t, dir, o, ring, secret)
	browser := newClient(t, true)
	plain := newClient(t, false)
	const name = gate.DefaultDevCookieName

	t.Run("anonymous", func(t *testing.T) {
		r := get(t, browser, rt.URL+"/account?tab=keys")
		if r.Status != 302 || r.Location != "/login?next=%2Faccount%3Ftab%3Dkeys" {
			t.Errorf("page: %d to %q, want 302 to the login page", r.Status, r.Location)
		}
		if r := get(t, browser, rt.URL+"/api/me"); r.Status != 401 {
			t.Errorf("api: %d, want 401", r.Status)
		}
		if r := get(t, browser, rt.URL+"/login"); r.Status != 200 || r.Body != "login page; user=\n" {
			t.Errorf("login page: %d %q, want it forwarded without a user", r.Status, r.Body)
		}
	})

	t.Run("forged identity is stripped", func(t *testing.T) {
		if r := get(t, plain, rt.URL+"/account", gate.UserHeader, "root"); r.Status != 302 {
			t.Errorf("anonymous with %s: %d, want 302", gate.UserHeader, r.Status)
		}
		r := get(t, plain, rt.URL+"/login", gate.UserHeader, "root", gate.SecretHeader, "guess")
		if r.Status != 200 || r.Body != "login page; user=\n" {
			t.Errorf("public path with forged headers: %d %q, want no user", r.Status, r.Body)
		}
		// Straight to the origin, without the gate secret: refused.
		if r := get(t, plain, o.URL+"/account", gate.UserHeader, "root"); r.Status != 403 {
			t.Errorf("origin without the gate: %d, want 403", r.Status)
		}
	})

	var firstToken string
	t.Run("logged in", func(t *testing.T) {
		r := get(t, browser, rt.URL+"/login?user=ada")
		firstToken = r.session(name)
		if r.Status != 200 || firstToken == "" {
			t.Fatalf("login: %d %v, want 200 and a session cookie", r.Status, r.SetCookies)
		}
		r = get(t, browser, rt.URL+"/account")
		if r.Status != 200 || r.Body != "user=ada\n" || len(r.SetCookies) != 0 {
			t.Errorf("page: %d %q %v, want 200, the origin seeing ada, no cookie", r.Status, r.Body, r.SetCookies)
		}
		if r := get(t, browser, rt.URL+"/api/me", gate.UserHeader, "mallory"); r.Body != "user=ada\n" {
			t.Errorf("api with a forged %s: origin saw %q, want only ada", gate.UserHeader, r.Body)
		}
	})

	t.Run("tampered", func(t *testing.T) {
		for _, i := range []int{0, 5, len(firstToken) / 2, len(firstToken) - 1} {
			b := []byte(firstToken)
			b[i] = map[bool]byte{true: 'A', false: 'B'}[b[i] != 'A']
			if r := get(t, plain, rt.URL+"/api/me", "Cookie", name+"="+string(b)); r.Status != 401 {
				t.Errorf("byte %d changed: %d, want 401", i, r.Status)
			}
		}
	})

	t.Run("expired", func(t *testing.T) {
		// Issued 25 hours ago: past the 24-hour idle timeout.
		token := mint(t, ring, name, "bob", time.Now().Add(-25*time.Hour))
		if r := get(t, plain, rt.URL+"/account", "Cookie", name+"="+token); r.Status != 302 {
			t.Errorf("expired: %d, want 302", r.Status)
		}
		// The same minted a minute ago opens: the refusal was the expiry.
		fresh := mint(t, ring, name, "bob", time.Now().Add(-time.Minute))
		if r := get(t, plain, rt.URL+"/api/me", "Cookie", name+"="+fresh); r.Body != "user=bob\n" {
			t.Fatalf("control: a fresh minted session got %d %q", r.Status, r.Body)
		}
	})

	t.Run("wrong cookie name", func(t *testing.T) {
		if r := get(t, plain, rt.URL+"/api/me", "Cookie", "other="+firstToken); r.Status != 401 {
			t.Errorf("session token under another name: %d, want 401", r.Status)
		}
		// A token sealed for another cookie name, moved into ours.
		foreign := mint(t, ring, "other", "ada", time.Now())
		if r := get(t, plain, rt.URL+"/api/me", "Cookie", name+"="+foreign); r.Status != 401 {
			t.Errorf("token bound to another name: %d, want 401", r.Status)
		}
	})

	// Rotation, one workerd per phase: add a key, promote it, retire the
	// old one. The origin's keyring follows, as a Watcher would.
	phase := func(t *testing.T, next *keyring.Ring) {
		t.Helper()
		rt.Stop()
		o.Ring.p.Store(next)
		rt = gateRun(t, dir, o, next, secret)
	}
	var newKey uint32
	t.Run("rotation: add", func(t *testing.T) {
		next, k, err := ring.Add(keyring.XChaCha20Poly1305, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		ring, newKey = next, k.ID()
		phase(t, ring)
		r := get(t, browser, rt.URL+"/account")
		if r.Status != 200 || r.Body != "user=ada\n" || len(r.SetCookies) != 0 {
			t.Errorf("after add: %d %q %v, want 200 for ada and no re-seal", r.Status, r.Body, r.SetCookies)
		}
	})

	t.Run("rotation: promote re-seals", func(t *testing.T) {
		next, err := ring.Promote(newKey)
		if err != nil {
			t.Fatal(err)
		}
		ring = next
		phase(t, ring)
		r := get(t, browser, rt.URL+"/account")
		resealed := r.session(name)
		if r.Status != 200 || r.Body != "user=ada\n" || resealed == "" {
			t.Fatalf("after promote: %d %q %v, want 200 for ada and a re-sealed cookie", r.Status, r.Body, r.SetCookies)
		}
		sc := r.SetCookies[0]
		for _, attr := range []string{"; Path=/", "; Max-Age=", "; HttpOnly", "; SameSite=Lax"} {
			if !strings.Contains(sc, attr) {
				t.Errorf("re-sealed cookie %q lacks %q (cookiesession's attributes)", sc, attr)
			}
		}
		h, err := codec.ParseHeader(resealed)
		if err != nil {
			t.Fatal(err)
		}
		first, _ := codec.ParseHeader(firstToken)
		if h.KeyID != newKey || !h.IssuedAt.Equal(first.IssuedAt) || !h.ExpiresAt.Equal(first.ExpiresAt) {
			t.Errorf("re-sealed header %+v, want key %d and the first token's times %+v", h, newKey, first)
		}
		if r := get(t, browser, rt.URL+"/account"); r.Body != "user=ada\n" || len(r.SetCookies) != 0 {
			t.Errorf("next request: %q %v, want ada and no second re-seal", r.Body, r.SetCookies)
		}
		// cookiesession opens the gate's re-sealed cookie.
		if r := get(t, browser, rt.URL+"/session"); r.Body != "session=ada\n" {
			t.Errorf("origin's own view of the re-sealed session: %q", r.Body)
		}
	})

	t.Run("rotation: retire", func(t *testing.T) {
		next, err := ring.Retire(oldKey)
		if err != nil {
			t.Fatal(err)
		}
		ring = next
		phase(t, ring)
		if r := get(t, browser, rt.URL+"/account"); r.Status != 200 || r.Body != "user=ada\n" {
			t.Errorf("re-sealed session after retire: %d %q, want 200 for ada", r.Status, r.Body)
		}
		// The first cookie, under the retired key, is refused.
		if r := get(t, plain, rt.URL+"/account", "Cookie", name+"="+firstToken); r.Status != 302 {
			t.Errorf("retired key, page: %d, want 302", r.Status)
		}
		if r := get(t, plain, rt.URL+"/api/me", "Cookie", name+"="+firstToken); r.Status != 401 {
			t.Errorf("retired key, api: %d, want 401", r.Status)
		}
	})
}

// TestCommittedConfig runs examples/edge/worker/workerd.capnp as a user
// would, secrets in the environment, addresses given on the command line.
func TestCommittedConfig(t *testing.T) {
	requireWorkerd(t)
	dir := buildWorker(t)
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	secret := newSecret(t)
	o := startOrigin(t, ring, secret)
	rt := startWorkerd(t, dir, "workerd.capnp", []string{"--external-addr", "origin=" + o.Addr},
		[]string{gate.EnvKeyring + "=" + marshal(t, ring), gate.EnvGateSecret + "=" + secret})
	browser := newClient(t, true)
	if r := get(t, browser, rt.URL+"/account"); r.Status != 302 {
		t.Errorf("anonymous: %d, want 302", r.Status)
	}
	if r := get(t, browser, rt.URL+"/static/app.css"); r.Status != 200 || r.Body != "user=\n" {
		t.Errorf("public path: %d %q, want it forwarded without a user", r.Status, r.Body)
	}
	if r := get(t, browser, rt.URL+"/login?user=ada"); r.Status != 200 {
		t.Fatalf("login: %d %q", r.Status, r.Body)
	}
	if r := get(t, browser, rt.URL+"/account"); r.Status != 200 || r.Body != "user=ada\n" {
		t.Errorf("logged in: %d %q, want 200 for ada", r.Status, r.Body)
	}

	// A gate secret too short to trust: every request gets a 500.
	bad := startWorkerd(t, dir, "workerd.capnp", []string{"--external-addr", "origin=" + o.Addr},
		[]string{gate.EnvKeyring + "=" + marshal(t, ring), gate.EnvGateSecret + "=short"})
	if r := get(t, browser, bad.URL+"/account"); r.Status != 500 {
		t.Errorf("misconfigured gate: %d %q, want 500", r.Status, r.Body)
	}
}
