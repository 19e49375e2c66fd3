package cookiesession_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/securecookie"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/format"
	"github.com/keyseal/keyseal/keyring"
	"github.com/keyseal/keyseal/legacy"
)

var (
	oldHash  = bytes.Repeat([]byte{7}, 32)
	oldBlock = bytes.Repeat([]byte{9}, 32)
)

// gorillaValue encodes values the way gorilla/sessions' CookieStore does:
// a gob of map[interface{}]interface{} under securecookie, stamped with
// the real time (securecookie has no clock to set).
func gorillaValue(t *testing.T, name string, values map[any]any) string {
	t.Helper()
	v, err := securecookie.New(oldHash, oldBlock).Encode(name, values)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// toUser is the application's hook from gorilla's untyped values to T.
func toUser(v map[any]any) (user, error) {
	name, ok := v["name"].(string)
	if !ok {
		return user{}, errors.New("no user in the legacy session")
	}
	n, _ := v["count"].(int)
	return user{Name: name, Count: n}, nil
}

// legacyEnv is an env whose Manager migrates the cookie "gorilla" (or
// what edit sets), with a decoder on the env's clock, which starts at
// the real time because securecookie stamps cookies with it.
type legacyEnv struct {
	*env
	decodes atomic.Int32 // calls of the legacy Decode
}

func newLegacyEnv(t *testing.T, dc legacy.Config, edit func(*cookiesession.Config[user])) *legacyEnv {
	t.Helper()
	le := &legacyEnv{}
	le.env = newEnv(t, func(cfg *cookiesession.Config[user]) {
		if len(dc.Keys) == 0 {
			dc.Keys = []legacy.Keys{{Hash: oldHash, Block: oldBlock}}
		}
		if dc.Cutoff.IsZero() {
			dc.Cutoff = time.Now().Add(90 * 24 * time.Hour)
		}
		dc.Clock = cfg.Clock
		d, err := legacy.New(dc)
		if err != nil {
			t.Fatal(err)
		}
		read := legacy.Sessions(d, toUser)
		cfg.Legacy = []cookiesession.Legacy[user]{{
			Name: "gorilla",
			Decode: func(name, value string) (user, keyseal.Meta, error) {
				le.decodes.Add(1)
				return read(name, value)
			},
		}}
		if edit != nil {
			edit(cfg)
		}
	})
	le.clock.Advance(time.Since(le.clock.Now()))
	le.mux.HandleFunc("/meta", func(w http.ResponseWriter, r *http.Request) {
		m := le.m.Get(r.Context()).Meta()
		fmt.Fprintf(w, "new=%v migrated=%v iat=%d", m.New, m.Migrated, m.IssuedAt.Unix())
	})
	return le
}

// plant puts a cookie into the client's jar, as the old application
// would have.
func (e *env) plant(name, value string) {
	e.client.Jar.SetCookies(e.url, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// flip returns another base64 character than c.
func flip(c byte) byte {
	if c == 'A' {
		return 'B'
	}
	return 'A'
}

// deletes reports whether a response deletes the cookie name.
func deletes(resp *http.Response, name string) bool {
	for _, c := range resp.Cookies() {
		if c.Name == name && c.MaxAge < 0 {
			return true
		}
	}
	return false
}

func TestLegacyMigrates(t *testing.T) {
	e := newLegacyEnv(t, legacy.Config{}, nil)
	issued := time.Now().Unix()
	e.plant("gorilla", gorillaValue(t, "gorilla", map[any]any{"name": "erin", "count": 3}))
	e.clock.Advance(2 * time.Hour)

	// The handler writes its body without WriteHeader: the cookies still
	// go out before it.
	resp := e.want("/me", "erin 3")
	if !deletes(resp, "gorilla") {
		t.Errorf("legacy cookie not deleted: %q", setCookies(resp))
	}
	jar := e.jarCookies()
	if _, ok := jar["gorilla"]; ok {
		t.Error("legacy cookie still in the jar")
	}
	tok := jar[e.m.Name()]
	if format.Detect(tok) != format.Native {
		t.Fatalf("no native cookie: %v", jar)
	}
	h, err := codec.ParseHeader(tok)
	if err != nil {
		t.Fatal(err)
	}
	// The absolute lifetime counts from the original login.
	if d := h.IssuedAt.Unix() - issued; d < 0 || d > 2 {
		t.Errorf("native issued at %v, legacy at %d", h.IssuedAt, issued)
	}
	if got := e.takeInvalid(); len(got) != 0 {
		t.Errorf("OnInvalid: %v", got)
	}

	// The next request runs on the native cookie alone.
	calls := e.decodes.Load()
	_, resp = e.get("/meta")
	body, _ := e.get("/meta")
	if want := fmt.Sprintf("new=false migrated=false iat=%d", h.IssuedAt.Unix()); body != want {
		t.Errorf("meta %q, want %q", body, want)
	}
	e.want("/count", "4")
	if e.decodes.Load() != calls {
		t.Error("legacy decoder called with a native session present")
	}
	if len(setCookies(resp)) != 0 {
		t.Errorf("untouched native session re-set: %q", setCookies(resp))
	}
}

func TestLegacyMeta(t *testing.T) {
	e := newLegacyEnv(t, legacy.Config{}, nil)
	e.plant("gorilla", gorillaValue(t, "gorilla", map[any]any{"name": "erin"}))
	body, _ := e.get("/meta")
	if !strings.HasPrefix(body, "new=false migrated=true iat=") {
		t.Errorf("meta %q", body)
	}
}

// Plain securecookie values decoded straight into T, under the native
// cookie's own name: the native cookie replaces the legacy one.
func TestLegacySameName(t *testing.T) {
	var calls atomic.Int32
	e := newEnv(t, func(cfg *cookiesession.Config[user]) {
		cfg.Name = "app"
		d, err := legacy.New(legacy.Config{Keys: []legacy.Keys{{Hash: oldHash}}, Encoding: legacy.JSONEncoding,
			Cutoff: time.Now().Add(time.Hour), Clock: time.Now})
		if err != nil {
			t.Fatal(err)
		}
		read := legacy.Values[user](d)
		cfg.Legacy = []cookiesession.Legacy[user]{{Name: "app", Decode: func(n, v string) (user, keyseal.Meta, error) {
			calls.Add(1)
			return read(n, v)
		}}}
	})
	e.clock.Advance(time.Since(e.clock.Now()))
	sc := securecookie.New(oldHash, nil)
	sc.SetSerializer(securecookie.JSONEncoder{})
	v, err := sc.Encode("app", user{Name: "finn", Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	e.plant("app", v)
	resp := e.want("/count", "2")
	if deletes(resp, "app") {
		t.Errorf("native cookie deleted: %q", setCookies(resp))
	}
	if got := e.jarCookies()["app"]; format.Detect(got) != format.Native {
		t.Fatalf("cookie not replaced: %q", got)
	}
	e.want("/count", "3")
	if calls.Load() != 1 {
		t.Errorf("legacy decoder called %d times, want 1", calls.Load())
	}
	if got := e.takeInvalid(); len(got) != 0 {
		t.Errorf("OnInvalid: %v", got)
	}

	// A legacy value that fails reports the legacy reason, not the native
	// path's refusal of a non-native value, and is deleted.
	e.plant("app", v[:len(v)-8]+"AAAAAAA=")
	resp = e.want("/me", " 0")
	if got := e.takeInvalid(); len(got) != 1 || !errors.Is(got[0], keyseal.ErrAuth) {
		t.Errorf("OnInvalid %v, want keyseal.ErrAuth", got)
	}
	if !deletes(resp, "app") {
		t.Errorf("refused legacy cookie kept: %q", setCookies(resp))
	}
}

func TestLegacyRefused(t *testing.T) {
	tests := []struct {
		name   string
		dc     legacy.Config
		edit   func(*cookiesession.Config[user])
		later  time.Duration // clock advance after issuing
		values map[any]any   // nil: a user
		tamper bool
		want   error // nil: any
	}{
		{name: "tampered", tamper: true, want: keyseal.ErrAuth},
		{name: "other key", want: keyseal.ErrAuth, dc: legacy.Config{Keys: []legacy.Keys{{Hash: oldBlock, Block: oldBlock}}}},
		{name: "expired", want: keyseal.ErrExpired, dc: legacy.Config{MaxAge: time.Hour}, later: 2 * time.Hour},
		{name: "after cutoff", want: legacy.ErrCutoff, dc: legacy.Config{Cutoff: time.Now().Add(time.Hour)}, later: 2 * time.Hour},
		{name: "older than AbsoluteLifetime", want: keyseal.ErrExpired, later: cookiesession.DefaultAbsoluteLifetime + time.Hour},
		{name: "hook refuses", values: map[any]any{"nobody": true}},
		{name: "Validate refuses", want: cookiesession.ErrRevoked, edit: func(cfg *cookiesession.Config[user]) {
			cfg.Validate = func(r *http.Request, m cookiesession.Meta, u *user) error {
				if m.Migrated && u.Name == "erin" {
					return errors.New("erin must sign in again")
				}
				return nil
			}
		}},
		{name: "NotBefore", want: cookiesession.ErrRevoked, edit: func(cfg *cookiesession.Config[user]) {
			cfg.NotBefore = time.Now().Add(time.Minute)
		}, later: 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLegacyEnv(t, tt.dc, tt.edit)
			values := tt.values
			if values == nil {
				values = map[any]any{"name": "erin"}
			}
			v := gorillaValue(t, "gorilla", values)
			if tt.tamper {
				// A character of the MAC, at the end: still base64.
				b := []byte(strings.TrimRight(v, "="))
				i := len(b) - 3
				b[i] = flip(b[i])
				v = string(b) + v[len(b):]
			}
			e.plant("gorilla", v)
			e.clock.Advance(tt.later)
			resp := e.want("/me", " 0")
			if !deletes(resp, "gorilla") {
				t.Errorf("legacy cookie not deleted: %q", setCookies(resp))
			}
			got := e.takeInvalid()
			if len(got) != 1 || (tt.want != nil && !errors.Is(got[0], tt.want)) {
				t.Fatalf("OnInvalid got %v, want %v", got, tt.want)
			}
			if _, ok := e.jarCookies()["gorilla"]; ok {
				t.Error("legacy cookie still in the jar")
			}
			e.want("/me", " 0")
			if got := e.takeInvalid(); len(got) != 0 {
				t.Errorf("second request: OnInvalid %v", got)
			}
		})
	}
}

// A valid native session wins: the legacy cookie is not even decoded.
func TestLegacyNativeFirst(t *testing.T) {
	e := newLegacyEnv(t, legacy.Config{}, nil)
	e.want("/login?name=amy", "ok")
	e.plant("gorilla", gorillaValue(t, "gorilla", map[any]any{"name": "erin"}))
	e.want("/me", "amy 0")
	if e.decodes.Load() != 0 {
		t.Error("legacy cookie decoded beside a valid native session")
	}
}

// A native cookie that fails does not stop the migration, and a legacy
// cookie whose value looks native never reaches the legacy decoder.
func TestLegacyRouting(t *testing.T) {
	e := newLegacyEnv(t, legacy.Config{}, nil)
	e.want("/login?name=amy", "ok")
	native := e.jarCookies()[e.m.Name()]

	e.plant("gorilla", native) // a native-looking value under the legacy name
	e.client.Jar.SetCookies(e.url, []*http.Cookie{{Name: e.m.Name(), MaxAge: -1, Path: "/"}})
	resp := e.want("/me", " 0")
	if e.decodes.Load() != 0 {
		t.Error("native-looking value passed to the legacy decoder")
	}
	if got := e.takeInvalid(); len(got) != 1 || !errors.Is(got[0], keyseal.ErrMalformed) {
		t.Errorf("OnInvalid %v", got)
	}
	if !deletes(resp, "gorilla") {
		t.Errorf("legacy cookie not deleted: %q", setCookies(resp))
	}

	e.plant("gorilla", gorillaValue(t, "gorilla", map[any]any{"name": "erin"}))
	bad := []byte(native)
	bad[len(bad)/2] = flip(bad[len(bad)/2])
	_, resp = e.do("/me", []string{e.m.Name() + "=" + string(bad)})
	if got := e.takeInvalid(); len(got) != 1 || !errors.Is(got[0], keyseal.ErrAuth) {
		t.Errorf("tampered native cookie: OnInvalid %v", got)
	}
	if !deletes(resp, "gorilla") {
		t.Errorf("legacy cookie not deleted: %q", setCookies(resp))
	}
	e.want("/me", "erin 0")
}

// However many legacy cookies a request carries, few are decoded.
func TestLegacyBounded(t *testing.T) {
	e := newLegacyEnv(t, legacy.Config{}, nil)
	var cookies []string
	for range 20 {
		cookies = append(cookies, "gorilla="+gorillaValue(t, "other", map[any]any{"name": "x"}))
	}
	e.do("/me", cookies)
	if n := e.decodes.Load(); n != cookiesession.MaxLegacyTries {
		t.Errorf("%d decodes, want %d", n, cookiesession.MaxLegacyTries)
	}
}

// A handler that never touches its session leaves the legacy cookie for
// a request that does.
func TestLegacyLazy(t *testing.T) {
	e := newLegacyEnv(t, legacy.Config{}, nil)
	e.plant("gorilla", gorillaValue(t, "gorilla", map[any]any{"name": "erin"}))
	resp := e.want("/none", "untouched")
	if len(setCookies(resp)) != 0 || e.decodes.Load() != 0 {
		t.Errorf("untouched session: %q, %d decodes", setCookies(resp), e.decodes.Load())
	}
	e.want("/me", "erin 0")
}

func TestLegacyConfig(t *testing.T) {
	dec := func(string, string) (user, keyseal.Meta, error) { return user{}, keyseal.Meta{}, nil }
	tests := []struct {
		field string
		list  []cookiesession.Legacy[user]
	}{
		{"Legacy[0]", []cookiesession.Legacy[user]{{Name: "old"}}},
		{"Legacy[0]", []cookiesession.Legacy[user]{{Name: "old", Decode: dec, Kind: format.Native}}},
		{"Legacy[0].Name", []cookiesession.Legacy[user]{{Name: "a b", Decode: dec}}},
		{"Legacy[1].Path", []cookiesession.Legacy[user]{{Name: "a", Decode: dec}, {Name: "b", Path: "x", Decode: dec}}},
		{"Legacy", make([]cookiesession.Legacy[user], cookiesession.MaxLegacy+1)},
		{"Legacy[0].Signature", []cookiesession.Legacy[user]{{Name: "s", Signature: "s", Decode: dec}}},
		{"Legacy[0].Signature", []cookiesession.Legacy[user]{{Name: "s", Signature: "s.sig", Chunked: true, Decode: dec}}},
		{"Legacy[0].Signature", []cookiesession.Legacy[user]{{Name: "s", Signature: "a b", Decode: dec}}},
	}
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		_, err := cookiesession.New(ring, cookiesession.Config[user]{Legacy: tt.list})
		var ce *keyseal.ConfigError
		if !errors.As(err, &ce) || ce.Field != tt.field {
			t.Errorf("%+v: got %v, want a ConfigError on %s", tt.list, err, tt.field)
		}
	}
}

// Logout deletes a legacy cookie that a valid native session kept from
// being read: left in the browser, it would sign it in again.
func TestLegacyLogout(t *testing.T) {
	e := newLegacyEnv(t, legacy.Config{}, nil)
	e.want("/login?name=amy", "ok")
	e.plant("gorilla", gorillaValue(t, "gorilla", map[any]any{"name": "erin"}))
	e.want("/me", "amy 0")
	resp := e.want("/logout", "bye")
	if !deletes(resp, "gorilla") || !deletes(resp, e.m.Name()) {
		t.Errorf("logout Set-Cookie %q", setCookies(resp))
	}
	e.want("/me", " 0")
	if e.decodes.Load() != 0 {
		t.Error("legacy cookie decoded")
	}
}

// A legacy session too large to re-seal is not written: the browser keeps
// its legacy cookie, as it keeps a native one, rather than losing both.
func TestLegacyTooLarge(t *testing.T) {
	e := newLegacyEnv(t, legacy.Config{}, nil)
	// JSON escapes '<' in six bytes, gob in one: the legacy cookie fits in
	// 4096 bytes, the native one does not.
	name := strings.Repeat("<", 1000)
	e.plant("gorilla", gorillaValue(t, "gorilla", map[any]any{"name": name}))
	resp := e.want("/me", name+" 0")
	if errs := e.takeErrors(); len(errs) != 1 || !errors.Is(errs[0], cookiesession.ErrTooLarge) {
		t.Fatalf("OnError %v, want ErrTooLarge", errs)
	}
	if len(setCookies(resp)) != 0 {
		t.Errorf("Set-Cookie %.200q", setCookies(resp))
	}
	if _, ok := e.jarCookies()["gorilla"]; !ok {
		t.Error("legacy cookie deleted without a native one to replace it")
	}
}

// A legacy cookie name behind Unicode white space is another cookie: see
// TestPrefixShadow.
func TestLegacyPrefixShadow(t *testing.T) {
	e := newLegacyEnv(t, legacy.Config{}, func(cfg *cookiesession.Config[user]) {
		cfg.Legacy[0].Name = "__Secure-old"
	})
	mallory := gorillaValue(t, "__Secure-old", map[any]any{"name": "mallory"})
	for _, ws := range []string{"\u00a0", "\u2000"} {
		if body, _ := e.do("/me", []string{ws + "__Secure-old=" + mallory}); body != " 0" {
			t.Errorf("%q before the name: the request runs as %q", ws, body)
		}
	}
	if body, _ := e.do("/me", []string{"__Secure-old=" + mallory}); body != "mallory 0" {
		t.Errorf("the legacy cookie itself: %q", body)
	}
}

// NotBefore refuses a legacy session whose issue time is unknown: nothing
// noIssueTime is a legacy cookie "old" whose values open as erin's
// session with no issue time, as a JWT without "iat" would.
func noIssueTime() []cookiesession.Legacy[user] {
	return []cookiesession.Legacy[user]{{
		Name: "old",
		Decode: func(_, value string) (user, keyseal.Meta, error) {
			return user{Name: "erin"}, keyseal.Meta{}, nil
		},
	}}
}

// shows it began after NotBefore. Without NotBefore it is taken.
func TestLegacyNoIssueTime(t *testing.T) {
	for _, notBefore := range []bool{false, true} {
		e := newEnv(t, func(cfg *cookiesession.Config[user]) {
			if notBefore {
				cfg.NotBefore = cfg.Clock()
			}
			cfg.Legacy = noIssueTime()
		})
		e.clock.Advance(time.Hour)
		e.plant("old", gorillaValue(t, "old", map[any]any{"name": "erin"}))
		want := "erin 0"
		if notBefore {
			want = " 0"
		}
		e.want("/me", want)
		got := e.takeInvalid()
		if notBefore && (len(got) != 1 || !errors.Is(got[0], cookiesession.ErrRevoked)) || !notBefore && len(got) != 0 {
			t.Errorf("NotBefore set %v: OnInvalid %v", notBefore, got)
		}
	}
}

// Validate sees a zero IssuedAt for a legacy session without an issue
// time, so a per-user "sessions valid after" check refuses it rather than
// taking the request's time for its start.
func TestLegacyNoIssueTimeValidate(t *testing.T) {
	var seen []cookiesession.Meta
	e := newEnv(t, func(cfg *cookiesession.Config[user]) {
		validAfter := cfg.Clock() // erin's sessions before now are revoked
		cfg.Validate = func(_ *http.Request, meta cookiesession.Meta, _ *user) error {
			seen = append(seen, meta)
			if meta.IssuedAt.Before(validAfter) {
				return errors.New("issued before the user's cut-off")
			}
			return nil
		}
		cfg.Legacy = noIssueTime()
	})
	e.clock.Advance(time.Hour)
	e.plant("old", gorillaValue(t, "old", map[any]any{"name": "erin"}))
	e.want("/me", " 0")
	if got := e.takeInvalid(); len(got) != 1 || !errors.Is(got[0], cookiesession.ErrRevoked) {
		t.Errorf("OnInvalid %v, want one ErrRevoked", got)
	}
	if len(seen) != 1 || !seen[0].IssuedAt.IsZero() || !seen[0].Migrated || seen[0].AbsoluteExpiry.IsZero() {
		t.Errorf("Validate saw %+v, want one migrated session with a zero IssuedAt and its lifetimes", seen)
	}
}
