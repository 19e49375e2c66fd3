package rails_test

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/rails"
)

// goldenCase is a cookie Rails made (interop/frameworks, TestRailsGolden).
type goldenCase struct {
	Case     string          `json:"case"`
	Secrets  []string        `json:"secrets"`
	SHA1Keys bool            `json:"sha1_keys"`
	Name     string          `json:"name"`
	Value    string          `json:"value"`
	Now      int64           `json:"now"`
	MaxAge   int64           `json:"max_age"`
	Session  json.RawMessage `json:"session"`
	Expires  int64           `json:"expires"`
	Reseal   bool            `json:"needs_reseal"`
	Err      string          `json:"err"`
}

var errs = map[string]error{"auth": keyseal.ErrAuth, "expired": keyseal.ErrExpired, "marshal": rails.ErrMarshal}

func loadGolden(t testing.TB) []goldenCase {
	t.Helper()
	b, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no golden cookies")
	}
	return cases
}

func (g goldenCase) codec(t testing.TB) *rails.Codec {
	t.Helper()
	c, err := rails.New(rails.Config{Secrets: g.Secrets, CookieName: g.Name, SHA1Keys: g.SHA1Keys,
		MaxAge: time.Duration(g.MaxAge) * time.Second, Clock: func() time.Time { return time.Unix(g.Now, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Cookies made by Rails 6.1's own cookie jar open to their session, or
// are refused with the sentinel Rails' refusal stands for.
func TestGolden(t *testing.T) {
	for _, g := range loadGolden(t) {
		data, m, err := g.codec(t).Open(g.Value)
		if g.Err != "" {
			if !errors.Is(err, errs[g.Err]) {
				t.Errorf("%s: %v, want %v", g.Case, err, errs[g.Err])
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", g.Case, err)
			continue
		}
		var got, want any
		json.Unmarshal(data, &got)
		json.Unmarshal(g.Session, &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: session %s, want %s", g.Case, data, g.Session)
		}
		if m.NeedsReseal != g.Reseal || m.ExpiresAt.Unix() != g.Expires && g.Expires != 0 || !m.IssuedAt.IsZero() {
			t.Errorf("%s: meta %+v, want reseal %v, expires %d", g.Case, m, g.Reseal, g.Expires)
		}
	}
}

// No single-character edit of a genuine cookie, GCM or CBC, opens: not
// even another spelling of an escape ("%2f").
func TestGoldenEveryByte(t *testing.T) {
	for _, g := range loadGolden(t)[:4] {
		c := g.codec(t)
		testkit.ChangeEachByte(t, g.Value, "Aa0f%-+/=", func(v string) error {
			_, _, err := c.Open(v)
			return err
		})
	}
}

func newCodec(t testing.TB, cfg rails.Config) *rails.Codec {
	t.Helper()
	if cfg.Secrets == nil {
		cfg.Secrets = []string{"secret-key-base-0123456789"}
	}
	if cfg.CookieName == "" {
		cfg.CookieName = "_app_session"
	}
	c, err := rails.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSealOpen(t *testing.T) {
	clock := testkit.NewClock(time.Time{})
	for _, sha1 := range []bool{false, true} {
		c := newCodec(t, rails.Config{SHA1Keys: sha1, MaxAge: time.Hour, Clock: clock.Now})
		session := []byte(`{"session_id":"abc","user_id":7}`)
		v, err := c.Seal(session)
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(v, "=+/") {
			t.Errorf("value not URL-escaped: %s", v)
		}
		data, m, err := c.Open(v)
		if err != nil || string(data) != string(session) {
			t.Fatalf("Open = %s, %v", data, err)
		}
		if want := clock.Now().Add(time.Hour); !m.ExpiresAt.Equal(want) || m.NeedsReseal {
			t.Errorf("meta %+v, want expiry %v", m, want)
		}
		other := newCodec(t, rails.Config{SHA1Keys: !sha1, Clock: clock.Now})
		if _, _, err := other.Open(v); !errors.Is(err, keyseal.ErrAuth) {
			t.Errorf("other key hash: %v", err)
		}
	}
}

func TestRefusals(t *testing.T) {
	clock := testkit.NewClock(time.Time{})
	c := newCodec(t, rails.Config{MaxAge: time.Hour, Clock: clock.Now})
	v, err := c.Seal([]byte(`{"user_id":7}`))
	if err != nil {
		t.Fatal(err)
	}
	opens := func(c *rails.Codec, v string) error { _, _, err := c.Open(v); return err }
	cases := []struct {
		name  string
		codec *rails.Codec
		value string
		want  error
	}{
		{"other secret", newCodec(t, rails.Config{Secrets: []string{"other"}, Clock: clock.Now}), v, keyseal.ErrAuth},
		{"other cookie name", newCodec(t, rails.Config{CookieName: "_other_session", Clock: clock.Now}), v, keyseal.ErrAuth},
		{"too large", newCodec(t, rails.Config{MaxTokenSize: 100, Clock: clock.Now}), v, keyseal.ErrTooLarge},
		{"lower-case escape", c, strings.Replace(v, "%3D", "%3d", 1), keyseal.ErrMalformed},
		{"unescaped", c, strings.ReplaceAll(v, "%3D", "="), keyseal.ErrMalformed},
		{"one part", c, "abc", keyseal.ErrMalformed},
		{"four parts", c, v + "--AAAA", keyseal.ErrMalformed},
		{"empty", c, "", keyseal.ErrMalformed},
		{"short MAC", c, "YWJj--abc", keyseal.ErrMalformed},
		{"wrong MAC", c, "YWJj--" + strings.Repeat("a", 40), keyseal.ErrAuth},
	}
	for _, tc := range cases {
		if err := opens(tc.codec, tc.value); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// A long-lived cookie is refused once the expiry it carries is more
	// than MaxAge away; expiry is enforced with the leeway.
	long := newCodec(t, rails.Config{MaxAge: 48 * time.Hour, Clock: clock.Now})
	lv, err := long.Seal([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := opens(c, lv); !errors.Is(err, keyseal.ErrExpired) {
		t.Errorf("expiry beyond MaxAge: %v", err)
	}
	clock.Advance(time.Hour + 59*time.Second)
	if err := opens(c, v); err != nil {
		t.Errorf("within the leeway: %v", err)
	}
	clock.Advance(time.Second)
	if err := opens(c, v); !errors.Is(err, keyseal.ErrExpired) {
		t.Errorf("expired: %v", err)
	}
}

// Old secrets open (NeedsReseal); the first seals.
func TestRotation(t *testing.T) {
	old := newCodec(t, rails.Config{Secrets: []string{"old"}})
	both := newCodec(t, rails.Config{Secrets: []string{"new", "old"}})
	v, _ := old.Seal([]byte(`{"a":1}`))
	if _, m, err := both.Open(v); err != nil || !m.NeedsReseal {
		t.Errorf("old secret: %+v, %v", m, err)
	}
	v, _ = both.Seal([]byte(`{"a":1}`))
	if _, m, err := both.Open(v); err != nil || m.NeedsReseal {
		t.Errorf("new secret: %+v, %v", m, err)
	}
	if _, _, err := old.Open(v); !errors.Is(err, keyseal.ErrAuth) {
		t.Errorf("new cookie under the old secret alone: %v", err)
	}
}

func TestSealRefuses(t *testing.T) {
	c := newCodec(t, rails.Config{MaxTokenSize: 200})
	for _, s := range []string{`[1]`, `"x"`, `null`, `{`, ``} {
		if _, err := c.Seal([]byte(s)); err == nil {
			t.Errorf("Seal(%q) accepted", s)
		}
	}
	if _, err := c.Seal([]byte(`{"blob":"` + strings.Repeat("x", 200) + `"}`)); !errors.Is(err, keyseal.ErrTooLarge) {
		t.Errorf("too large: %v", err)
	}
}

func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg   rails.Config
		field string
	}{
		{rails.Config{CookieName: "a"}, "Secrets"},
		{rails.Config{Secrets: []string{""}, CookieName: "a"}, "Secrets"},
		{rails.Config{Secrets: []string{"s"}}, "CookieName"},
		{rails.Config{Secrets: []string{"s"}, CookieName: "a", MaxAge: -1}, "MaxAge"},
		{rails.Config{Secrets: []string{"s"}, CookieName: "a", MaxTokenSize: -1}, "MaxTokenSize"},
	} {
		_, err := rails.New(tc.cfg)
		var ce *keyseal.ConfigError
		if !errors.As(err, &ce) || ce.Package != "rails" || ce.Field != tc.field {
			t.Errorf("New(%+v) = %v, want a ConfigError on %s", tc.cfg, err, tc.field)
		}
	}
}

func TestRedacted(t *testing.T) {
	secret := "secret-key-base-redacted-0123456789"
	c := newCodec(t, rails.Config{Secrets: []string{secret}})
	testkit.CheckRedacted(t, testkit.Holders(c), []byte(secret))
}

// Values decodes into a T, and binds the cookie name it is given.
func TestValues(t *testing.T) {
	c := newCodec(t, rails.Config{})
	v, _ := c.Seal([]byte(`{"user_id":7,"session_id":"s"}`))
	type session struct {
		UserID int `json:"user_id"`
	}
	decode := rails.Values[session](c)
	if s, _, err := decode("_app_session", v); err != nil || s.UserID != 7 {
		t.Errorf("Values = %+v, %v", s, err)
	}
	if _, _, err := decode("_other", v); !errors.Is(err, keyseal.ErrAuth) {
		t.Errorf("other name: %v", err)
	}
	if _, _, err := rails.Values[[]int](c)("_app_session", v); !errors.Is(err, keyseal.ErrMalformed) {
		t.Errorf("wrong type: %v", err)
	}
}
