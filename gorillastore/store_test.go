package gorillastore_test

import (
	"bytes"
	"encoding/base64"
	"encoding/gob"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/sessions"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/format"
	"github.com/keyseal/keyseal/gorillastore"
	"github.com/keyseal/keyseal/keyring"
)

// The default cookie is Secure, HttpOnly, SameSite=Lax, Path=/ and lives 30
// days; its value is a native keyseal token.
func TestDefaults(t *testing.T) {
	st := newStore(t, gorillastore.Config{})
	s, err := st.New(httptest.NewRequest("GET", "/", nil), "session")
	if err != nil || !s.IsNew {
		t.Fatalf("New without a cookie: IsNew %v, err %v", s.IsNew, err)
	}
	s.Values["user_id"] = 7
	c := save(t, st, s)
	want := http.Cookie{Name: "session", Path: "/", MaxAge: 30 * 86400, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	got := *c
	got.Value, got.Expires, got.Raw, got.RawExpires = "", time.Time{}, "", ""
	if got.String() != want.String() {
		t.Errorf("cookie %q, want %q", got.String(), want.String())
	}
	if format.Detect(c.Value) != format.Native {
		t.Errorf("cookie value %q is not a native token", c.Value)
	}
	back, err := load(st, c)
	if err != nil || back.IsNew || back.Values["user_id"] != 7 {
		t.Fatalf("reloaded: IsNew %v, values %v, err %v", back.IsNew, back.Values, err)
	}
}

// A session's own Options.MaxAge is enforced when the cookie comes back,
// not only by the browser; Config.MaxAge caps every session.
func TestLifetimeEnforced(t *testing.T) {
	clk := &clock{now: time.Unix(1_800_000_000, 0)}
	st := newStore(t, gorillastore.Config{MaxAge: time.Hour, Leeway: -1, Clock: clk.Now})
	if st.Options.MaxAge != 3600 {
		t.Fatalf("default Options.MaxAge %d, want Config.MaxAge 3600", st.Options.MaxAge)
	}
	for _, tc := range []struct {
		name   string
		maxAge int           // the session's Options.MaxAge
		lives  time.Duration // how long its token opens
	}{
		{"short", 60, time.Minute},
		{"browser-session", 0, time.Hour},
		{"longer than Config.MaxAge", 7200, time.Hour},
	} {
		s := sessions.NewSession(st, "session")
		opts := *st.Options
		opts.MaxAge = tc.maxAge
		s.Options = &opts
		s.Values["n"] = 1
		c := save(t, st, s)
		if c.MaxAge != tc.maxAge {
			t.Errorf("%s: cookie Max-Age %d, want %d", tc.name, c.MaxAge, tc.maxAge)
		}
		clk.advance(tc.lives - time.Second)
		if _, err := load(st, c); err != nil {
			t.Errorf("%s: a second before its expiry: %v", tc.name, err)
		}
		clk.advance(time.Second)
		s, err := load(st, c)
		if !errors.Is(err, keyseal.ErrExpired) || !s.IsNew || len(s.Values) != 0 {
			t.Errorf("%s: at its expiry: IsNew %v, values %v, err %v; want a new session and ErrExpired", tc.name, s.IsNew, s.Values, err)
		}
	}
}

// Options.MaxAge < 0 deletes the cookie, without writing the values.
func TestDelete(t *testing.T) {
	st := newStore(t, gorillastore.Config{})
	s := sessions.NewSession(st, "session")
	s.Values["secret"] = "x"
	s.Options = &sessions.Options{Path: "/", MaxAge: -1}
	c := save(t, st, s)
	if c.Value != "" || c.MaxAge != -1 {
		t.Fatalf("deletion cookie: value %q, MaxAge %d", c.Value, c.MaxAge)
	}
}

// Named sessions are separate cookies, and a token sealed for one name does
// not open under another.
func TestNamedSessions(t *testing.T) {
	st := newStore(t, gorillastore.Config{})
	r := httptest.NewRequest("GET", "/", nil)
	w := httptest.NewRecorder()
	a, _ := st.Get(r, "a")
	b, _ := st.Get(r, "b")
	a.Values["v"], b.Values["v"] = "A", "B"
	if err := sessions.Save(r, w); err != nil {
		t.Fatal(err)
	}
	cookies := map[string]*http.Cookie{}
	for _, c := range w.Result().Cookies() {
		cookies[c.Name] = c
	}
	if len(cookies) != 2 {
		t.Fatalf("sessions.Save set %v, want cookies a and b", w.Result().Cookies())
	}
	for name, want := range map[string]string{"a": "A", "b": "B"} {
		s, err := load(st, cookies[name])
		if err != nil || s.Values["v"] != want {
			t.Errorf("%s: values %v, err %v", name, s.Values, err)
		}
	}
	swapped := &http.Cookie{Name: "b", Value: cookies["a"].Value}
	if s, err := load(st, swapped); !errors.Is(err, keyseal.ErrAuth) || !s.IsNew {
		t.Errorf("a's token as b: IsNew %v, err %v; want ErrAuth", s.IsNew, err)
	}
}

// Every single-bit change of a cookie is refused, with a new session and
// an error, never a panic.
func TestTampered(t *testing.T) {
	st := newStore(t, gorillastore.Config{})
	s := sessions.NewSession(st, "session")
	s.Values["user_id"] = 7
	c := save(t, st, s)
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		t.Fatal(err)
	}
	for i := range len(raw) * 8 {
		b := append([]byte(nil), raw...)
		b[i/8] ^= 1 << (i % 8)
		s, err := load(st, &http.Cookie{Name: "session", Value: base64.RawURLEncoding.EncodeToString(b)})
		if err == nil || !s.IsNew || len(s.Values) != 0 {
			t.Fatalf("bit %d flipped: IsNew %v, values %v, err %v", i, s.IsNew, s.Values, err)
		}
	}
}

type unregistered struct{ X int }

// Values gob cannot encode make Save fail with ErrEncode, writing nothing.
func TestSaveErrors(t *testing.T) {
	st := newStore(t, gorillastore.Config{})
	r := httptest.NewRequest("GET", "/", nil)
	w := httptest.NewRecorder()
	s := sessions.NewSession(st, "session")
	s.Values["u"] = unregistered{1}
	if err := st.Save(r, w, s); !errors.Is(err, gorillastore.ErrEncode) || !strings.Contains(err.Error(), "unregistered") {
		t.Errorf("Save of an unregistered type: %v, want ErrEncode naming the type", err)
	}
	bad := sessions.NewSession(st, "bad name")
	if err := st.Save(r, w, bad); err == nil {
		t.Error("Save under an invalid cookie name succeeded")
	}
	if err := st.Save(r, w, nil); err == nil {
		t.Error("Save of a nil session succeeded")
	}
	if got := w.Header()["Set-Cookie"]; len(got) != 0 {
		t.Errorf("failed Saves wrote %q", got)
	}
	if s, err := st.New(r, "bad name"); err == nil || s == nil || !s.IsNew {
		t.Errorf("New with an invalid name: session %v, err %v; want a new session and an error", s, err)
	}
}

// A session with nil Options (made by hand) is saved with the store's.
func TestNilOptions(t *testing.T) {
	st := newStore(t, gorillastore.Config{})
	s := sessions.NewSession(st, "session")
	s.Options = nil
	st.Options = nil
	c := save(t, st, s)
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Errorf("cookie %v: want the default options", c)
	}
}

// A session sealed under a key that is no longer the primary opens, and
// its next Save seals it under the new primary; once the old key is
// retired, only the re-sealed cookie opens.
func TestRotation(t *testing.T) {
	ring := newRing(t)
	src := &source{ring: ring}
	st := newStoreOn(t, src, gorillastore.Config{})
	s := sessions.NewSession(st, "session")
	s.Values["user_id"] = 7
	old := save(t, st, s)
	oldID := ring.Primary(time.Time{}).ID()

	ring2, k2, err := ring.Add(keyring.XChaCha20Poly1305, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if ring2, err = ring2.Promote(k2.ID()); err != nil {
		t.Fatal(err)
	}
	src.set(ring2)
	check, err := codec.New(src, "session", codec.Config{MaxAge: gorillastore.DefaultMaxAge})
	if err != nil {
		t.Fatal(err)
	}
	if _, m, err := check.Open(old.Value); err != nil || !m.NeedsReseal || m.KeyID != oldID {
		t.Fatalf("old cookie after promotion: meta %+v, err %v", m, err)
	}

	s, err = load(st, old)
	if err != nil || s.Values["user_id"] != 7 {
		t.Fatalf("old cookie after promotion: values %v, err %v", s.Values, err)
	}
	resealed := save(t, st, s)
	if _, m, err := check.Open(resealed.Value); err != nil || m.NeedsReseal || m.KeyID != k2.ID() {
		t.Fatalf("re-sealed cookie: meta %+v, err %v; want key %d", m, err, k2.ID())
	}

	ring3, err := ring2.Retire(oldID)
	if err != nil {
		t.Fatal(err)
	}
	src.set(ring3)
	if _, err := load(st, old); !errors.Is(err, keyseal.ErrKeyRetired) {
		t.Errorf("old cookie after retirement: %v, want ErrKeyRetired", err)
	}
	if s, err := load(st, resealed); err != nil || s.Values["user_id"] != 7 {
		t.Errorf("re-sealed cookie after retirement: values %v, err %v", s.Values, err)
	}
}

// New refuses a bad Config naming this package, and a missing keyring.
func TestConfigErrors(t *testing.T) {
	ring := newRing(t)
	for field, cfg := range map[string]gorillastore.Config{
		"MaxAge":       {MaxAge: -time.Second},
		"MaxTokenSize": {MaxTokenSize: -1},
	} {
		_, err := gorillastore.New(ring, cfg)
		var ce *keyseal.ConfigError
		if !errors.As(err, &ce) || ce.Package != "gorillastore" || ce.Field != field {
			t.Errorf("%s: %v, want a gorillastore ConfigError", field, err)
		}
	}
	if _, err := gorillastore.New(nil, gorillastore.Config{}); !errors.Is(err, keyseal.ErrNoKeyring) {
		t.Errorf("nil source: %v, want ErrNoKeyring", err)
	}
}

// gob never reads more than MaxTokenSize bytes, even from a genuine token
// that another codec under the same key compressed.
func TestDecodeBound(t *testing.T) {
	ring := newRing(t)
	st := newStoreOn(t, ring, gorillastore.Config{})
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(map[any]any{"big": strings.Repeat("a", 5000)}); err != nil {
		t.Fatal(err)
	}
	zip, err := codec.New(ring, "session", codec.Config{Compress: true, MaxAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	token, err := zip.Seal(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if s, err := load(st, &http.Cookie{Name: "session", Value: token}); !errors.Is(err, keyseal.ErrTooLarge) || !s.IsNew {
		t.Fatalf("a %d-character token expanding to %d bytes: IsNew %v, err %v; want ErrTooLarge", len(token), buf.Len(), s.IsNew, err)
	}
}
