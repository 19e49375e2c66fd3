package flask_test

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/flask"
	"github.com/keyseal/keyseal/internal/testkit"
)

// goldenCase is a cookie Flask made (interop/frameworks, TestFlaskGolden).
type goldenCase struct {
	Case    string          `json:"case"`
	Secrets []string        `json:"secrets"`
	Value   string          `json:"value"`
	Now     int64           `json:"now"`
	Session json.RawMessage `json:"session"`
	Issued  int64           `json:"issued"`
	Reseal  bool            `json:"needs_reseal"`
	Err     string          `json:"err"`
}

var errs = map[string]error{"expired": keyseal.ErrExpired, "notyet": keyseal.ErrNotYetValid, "toolarge": keyseal.ErrTooLarge}

func loadGolden(t testing.TB) []goldenCase {
	t.Helper()
	b, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(b, &cases); err != nil || len(cases) == 0 {
		t.Fatalf("golden cookies: %v", err)
	}
	return cases
}

func (g goldenCase) codec(t testing.TB) *flask.Codec {
	t.Helper()
	c, err := flask.New(flask.Config{Secrets: g.Secrets, Clock: func() time.Time { return time.Unix(g.Now, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Cookies made by Flask 2.2's session interface open to the session
// Flask holds (tags undone), or are refused with the right sentinel.
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
		if m.IssuedAt.Unix() != g.Issued || !m.ExpiresAt.Equal(m.IssuedAt.Add(flask.DefaultMaxAge)) || m.NeedsReseal != g.Reseal {
			t.Errorf("%s: meta %+v", g.Case, m)
		}
	}
}

// No single-character edit of a genuine cookie opens.
func TestGoldenEveryByte(t *testing.T) {
	for _, g := range loadGolden(t)[:3] {
		c := g.codec(t)
		testkit.ChangeEachByte(t, g.Value, "Aa0-_.=", func(v string) error {
			_, _, err := c.Open(v)
			return err
		})
	}
}

func newCodec(t testing.TB, cfg flask.Config) *flask.Codec {
	t.Helper()
	if cfg.Secrets == nil {
		cfg.Secrets = []string{"flask-secret"}
	}
	c, err := flask.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSealOpen(t *testing.T) {
	clock := testkit.NewClock(time.Time{})
	c := newCodec(t, flask.Config{MaxAge: time.Hour, Clock: clock.Now})
	for _, s := range []string{
		`{"user_id":7,"name":"x"}`,
		`{"blob":"` + strings.Repeat("ab", 500) + `"}`,
		`{"t":{" t":[1]},"n":12345678901234567890}`,
	} {
		v, err := c.Seal([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		data, m, err := c.Open(v)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		var got, want any
		json.Unmarshal(data, &got)
		json.Unmarshal([]byte(s), &want)
		if !reflect.DeepEqual(got, want) || !m.IssuedAt.Equal(clock.Now()) {
			t.Errorf("%s: %s, %+v", s, data, m)
		}
	}
	v, _ := c.Seal([]byte(`{"a":1}`))
	clock.Advance(time.Hour + time.Minute)
	if _, _, err := c.Open(v); err != nil {
		t.Errorf("within the leeway: %v", err)
	}
	clock.Advance(time.Second)
	if _, _, err := c.Open(v); !errors.Is(err, keyseal.ErrExpired) {
		t.Errorf("expired: %v", err)
	}
}

func TestRotation(t *testing.T) {
	old := newCodec(t, flask.Config{Secrets: []string{"old"}})
	both := newCodec(t, flask.Config{Secrets: []string{"new", "old"}})
	v, _ := old.Seal([]byte(`{"a":1}`))
	if _, m, err := both.Open(v); err != nil || !m.NeedsReseal {
		t.Errorf("fallback: %+v, %v", m, err)
	}
	v, _ = both.Seal([]byte(`{"a":1}`))
	if _, _, err := old.Open(v); !errors.Is(err, keyseal.ErrAuth) {
		t.Errorf("new cookie under the old secret: %v", err)
	}
}

func TestRefusals(t *testing.T) {
	c := newCodec(t, flask.Config{MaxTokenSize: 200})
	v, _ := c.Seal([]byte(`{"a":1}`))
	for _, tc := range []struct {
		value string
		want  error
	}{
		{"", keyseal.ErrMalformed},
		{"abc", keyseal.ErrMalformed},
		{"a.b", keyseal.ErrMalformed},
		{v + "A", keyseal.ErrMalformed},
		{"." + v, keyseal.ErrAuth},
		{strings.Repeat("a", 201), keyseal.ErrTooLarge},
		{"eyJhIjoxfQ.AAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAA", keyseal.ErrAuth},
	} {
		if _, _, err := c.Open(tc.value); !errors.Is(err, tc.want) {
			t.Errorf("Open(%q) = %v, want %v", tc.value, err, tc.want)
		}
	}
	for _, s := range []string{`[1]`, `"x"`, `null`, `{`, ``, `{"a":1} {}`} {
		if _, err := c.Seal([]byte(s)); err == nil {
			t.Errorf("Seal(%q) accepted", s)
		}
	}
	if _, err := c.Seal([]byte(`{"blob":"` + randomText(300) + `"}`)); !errors.Is(err, keyseal.ErrTooLarge) {
		t.Errorf("too large: %v", err)
	}
}

// randomText is n characters that do not compress.
func randomText(n int) string {
	var b strings.Builder
	x := uint32(2463534242)
	for range n {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b.WriteByte("abcdefghijklmnopqrstuvwxyz0123456789"[x%36])
	}
	return b.String()
}

func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg   flask.Config
		field string
	}{
		{flask.Config{}, "Secrets"},
		{flask.Config{Secrets: []string{""}}, "Secrets"},
		{flask.Config{Secrets: []string{"s"}, MaxAge: -1}, "MaxAge"},
		{flask.Config{Secrets: []string{"s"}, MaxTokenSize: -1}, "MaxTokenSize"},
	} {
		_, err := flask.New(tc.cfg)
		var ce *keyseal.ConfigError
		if !errors.As(err, &ce) || ce.Package != "flask" || ce.Field != tc.field {
			t.Errorf("New(%+v) = %v, want a ConfigError on %s", tc.cfg, err, tc.field)
		}
	}
}

func TestRedacted(t *testing.T) {
	secret := "flask-secret-redacted-0123456789"
	c := newCodec(t, flask.Config{Secrets: []string{secret}})
	testkit.CheckRedacted(t, testkit.Holders(c), []byte(secret))
}

func TestValues(t *testing.T) {
	c := newCodec(t, flask.Config{})
	v, _ := c.Seal([]byte(`{"user_id":7}`))
	type session struct {
		UserID int `json:"user_id"`
	}
	if s, _, err := flask.Values[session](c)("session", v); err != nil || s.UserID != 7 {
		t.Errorf("Values = %+v, %v", s, err)
	}
	if _, _, err := flask.Values[[]int](c)("session", v); !errors.Is(err, keyseal.ErrMalformed) {
		t.Errorf("wrong type: %v", err)
	}
}
