package nodesession_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/nodesession"
)

const (
	pwA = "0123456789abcdef0123456789abcdef-password-A"
	pwB = "0123456789abcdef0123456789abcdef-password-B"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newIron(t testing.TB, cfg nodesession.IronConfig) *nodesession.Iron {
	t.Helper()
	if cfg.Passwords == nil {
		cfg.Passwords = map[uint32]string{1: pwA, 2: pwB}
	}
	if cfg.Clock == nil {
		clock := testkit.NewClock(t0)
		cfg.Clock = clock.Now
	}
	c, err := nodesession.NewIron(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIronRoundTrip(t *testing.T) {
	clock := testkit.NewClock(t0)
	c := newIron(t, nodesession.IronConfig{Clock: clock.Now})
	seal, err := c.Seal([]byte(`{"user":"ann","n":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(seal, "Fe26.2*2*") || !strings.HasSuffix(seal, "~2") {
		t.Errorf("seal %q: not iron-session's shape under ID 2", seal)
	}
	clock.Advance(time.Hour)
	got, m, err := c.Open(seal)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `{"user":"ann","n":1}` {
		t.Errorf("session %s", got)
	}
	want := keyseal.Meta{KeyID: 2, IssuedAt: t0, ExpiresAt: t0.Add(nodesession.IronDefaultTTL)}
	if m != want {
		t.Errorf("meta %+v, want %+v", m, want)
	}
	// The suffix is outside the MAC, and iron-session 6 wrote none.
	if _, _, err := c.Open(strings.TrimSuffix(seal, "~2")); err != nil {
		t.Errorf("without the marker: %v", err)
	}
	// An older password opens, and asks for a re-seal.
	only1 := newIron(t, nodesession.IronConfig{Passwords: map[uint32]string{1: pwA}, Clock: clock.Now})
	old, err := only1.Seal([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, m, err := c.Open(old); err != nil || m.KeyID != 1 || !m.NeedsReseal {
		t.Errorf("ID 1 seal: %+v, %v", m, err)
	}
}

// No single-character edit of a seal opens.
func TestIronTamper(t *testing.T) {
	c := newIron(t, nodesession.IronConfig{})
	seal, err := c.Seal([]byte(`{"a":"b"}`))
	if err != nil {
		t.Fatal(err)
	}
	testkit.ChangeEachByte(t, seal, "Aa0_-*~2f.", func(s string) error {
		_, _, err := c.Open(s)
		return err
	})
}

func TestIronRefusals(t *testing.T) {
	c := newIron(t, nodesession.IronConfig{TTL: time.Hour})
	seal, err := c.Seal([]byte(`{"a":"b"}`))
	if err != nil {
		t.Fatal(err)
	}
	p := strings.Split(strings.TrimSuffix(seal, "~2"), "*")
	join := func(edit func(p []string)) string {
		q := append([]string(nil), p...)
		edit(q)
		return strings.Join(q, "*")
	}
	at := func(d time.Duration) func() time.Time { return func() time.Time { return t0.Add(d) } }
	for _, tc := range []struct {
		name string
		cfg  nodesession.IronConfig
		seal string
		want error
	}{
		{"empty", nodesession.IronConfig{}, "", keyseal.ErrMalformed},
		{"seven parts", nodesession.IronConfig{}, strings.Join(p[:7], "*"), keyseal.ErrMalformed},
		{"nine parts", nodesession.IronConfig{}, seal + "*x", keyseal.ErrUnsupportedVersion},
		{"nine parts, no marker", nodesession.IronConfig{}, strings.Join(p, "*") + "*x", keyseal.ErrMalformed},
		{"other prefix", nodesession.IronConfig{}, join(func(p []string) { p[0] = "Fe27.2" }), keyseal.ErrMalformed},
		{"iron 1", nodesession.IronConfig{}, join(func(p []string) { p[0] = "Fe26.1" }), keyseal.ErrUnsupportedVersion},
		{"marker ~3", nodesession.IronConfig{}, strings.Join(p, "*") + "~3", keyseal.ErrUnsupportedVersion},
		{"no ID", nodesession.IronConfig{}, join(func(p []string) { p[1] = "" }), keyseal.ErrUnknownKey},
		{"ID 02", nodesession.IronConfig{}, join(func(p []string) { p[1] = "02" }), keyseal.ErrUnknownKey},
		{"ID 3", nodesession.IronConfig{}, join(func(p []string) { p[1] = "3" }), keyseal.ErrUnknownKey},
		{"ID over 32 bits", nodesession.IronConfig{}, join(func(p []string) { p[1] = "4294967298" }), keyseal.ErrUnknownKey},
		{"short salt", nodesession.IronConfig{}, join(func(p []string) { p[2] = p[2][1:] }), keyseal.ErrMalformed},
		{"upper-case salt", nodesession.IronConfig{}, join(func(p []string) { p[6] = strings.ToUpper(p[6]) }), keyseal.ErrMalformed},
		{"long IV", nodesession.IronConfig{}, join(func(p []string) { p[3] += "AAAA" }), keyseal.ErrMalformed},
		{"padded IV", nodesession.IronConfig{}, join(func(p []string) { p[3] += "==" }), keyseal.ErrMalformed},
		{"no ciphertext", nodesession.IronConfig{}, join(func(p []string) { p[4] = "" }), keyseal.ErrMalformed},
		{"partial block", nodesession.IronConfig{}, join(func(p []string) { p[4] = p[4][:20] }), keyseal.ErrMalformed},
		{"no expiry", nodesession.IronConfig{}, join(func(p []string) { p[5] = "" }), keyseal.ErrMalformed},
		{"expiry 0...", nodesession.IronConfig{}, join(func(p []string) { p[5] = "0" + p[5] }), keyseal.ErrMalformed},
		{"expiry sign", nodesession.IronConfig{}, join(func(p []string) { p[5] = "+" + p[5] }), keyseal.ErrMalformed},
		{"huge expiry", nodesession.IronConfig{}, join(func(p []string) { p[5] = "9999999999999999" }), keyseal.ErrMalformed},
		{"short MAC", nodesession.IronConfig{}, join(func(p []string) { p[7] = p[7][:40] }), keyseal.ErrMalformed},
		{"newline", nodesession.IronConfig{}, join(func(p []string) { p[4] = p[4][:4] + "\n" + p[4][4:] }), keyseal.ErrMalformed},
		{"other MAC", nodesession.IronConfig{}, join(func(p []string) { p[7] = strings.Repeat("A", 43) }), keyseal.ErrAuth},
		{"other password", nodesession.IronConfig{Passwords: map[uint32]string{2: pwA}}, seal, keyseal.ErrAuth},
		{"too large", nodesession.IronConfig{MaxTokenSize: len(seal) - 1}, seal, keyseal.ErrTooLarge},
		{"expired", nodesession.IronConfig{TTL: time.Hour, Clock: at(time.Hour + 60*time.Second)}, seal, keyseal.ErrExpired},
		{"expired, no leeway", nodesession.IronConfig{TTL: time.Hour, Leeway: -1, Clock: at(time.Hour)}, seal, keyseal.ErrExpired},
		{"past MaxAge", nodesession.IronConfig{TTL: time.Hour, MaxAge: time.Minute, Clock: at(2 * time.Minute)}, seal, keyseal.ErrExpired},
		{"from the future", nodesession.IronConfig{TTL: time.Hour, Clock: at(-2 * time.Minute)}, seal, keyseal.ErrNotYetValid},
		{"longer ttl", nodesession.IronConfig{TTL: 30 * time.Minute}, seal, keyseal.ErrNotYetValid},
	} {
		if tc.cfg.TTL == 0 {
			tc.cfg.TTL = time.Hour
		}
		_, _, err := newIron(t, tc.cfg).Open(tc.seal)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// Within the leeway, as iron's 60 s skew.
	if _, _, err := newIron(t, nodesession.IronConfig{TTL: time.Hour, Clock: at(time.Hour + 59*time.Second)}).Open(seal); err != nil {
		t.Errorf("within the leeway: %v", err)
	}
}

func TestIronSealRefuses(t *testing.T) {
	c := newIron(t, nodesession.IronConfig{})
	for _, s := range []string{``, `[]`, `"s"`, `{`, "{\"a\":\"\xff\"}", `null`} {
		if _, err := c.Seal([]byte(s)); err == nil {
			t.Errorf("Seal(%q) succeeded", s)
		}
	}
	small := newIron(t, nodesession.IronConfig{MaxTokenSize: 300})
	if _, err := small.Seal([]byte(`{"a":"` + strings.Repeat("x", 200) + `"}`)); !errors.Is(err, keyseal.ErrTooLarge) {
		t.Errorf("oversized seal: %v", err)
	}
	var zero nodesession.Iron
	if _, err := zero.Seal([]byte(`{}`)); err == nil {
		t.Error("the zero Iron sealed")
	}
	if _, _, err := zero.Open("Fe26.2*1*x"); err == nil {
		t.Error("the zero Iron opened")
	}
}

func TestIronConfig(t *testing.T) {
	for _, tc := range []struct {
		field string
		cfg   nodesession.IronConfig
	}{
		{"Passwords", nodesession.IronConfig{}},
		{"Passwords", nodesession.IronConfig{Passwords: map[uint32]string{1: "short"}}},
		// 31 UTF-16 code units, though 62 bytes: iron-session refuses it.
		{"Passwords", nodesession.IronConfig{Passwords: map[uint32]string{1: strings.Repeat("é", 31)}}},
		{"TTL", nodesession.IronConfig{Passwords: map[uint32]string{1: pwA}, TTL: -time.Hour}},
		{"TTL", nodesession.IronConfig{Passwords: map[uint32]string{1: pwA}, TTL: time.Millisecond}},
		{"MaxAge", nodesession.IronConfig{Passwords: map[uint32]string{1: pwA}, TTL: 30 * 24 * time.Hour}},
		{"MaxAge", nodesession.IronConfig{Passwords: map[uint32]string{1: pwA}, MaxAge: -1}},
		{"MaxTokenSize", nodesession.IronConfig{Passwords: map[uint32]string{1: pwA}, MaxTokenSize: -1}},
	} {
		_, err := nodesession.NewIron(tc.cfg)
		var ce *keyseal.ConfigError
		if !errors.As(err, &ce) || ce.Field != tc.field || ce.Package != "nodesession" {
			t.Errorf("%+v: %v, want a ConfigError on %s", tc.cfg.TTL, err, tc.field)
		}
	}
	if _, err := nodesession.NewIron(nodesession.IronConfig{Passwords: map[uint32]string{1: strings.Repeat("🎉", 16)}}); err != nil {
		t.Errorf("16 emoji are 32 UTF-16 code units: %v", err)
	}
}

func TestIronRedacted(t *testing.T) {
	c := newIron(t, nodesession.IronConfig{})
	testkit.CheckRedacted(t, testkit.Holders(c), []byte(pwA), []byte(pwB))
	if s := c.String(); s != "nodesession.Iron{passwords=1,2 REDACTED}" {
		t.Errorf("String() = %q", s)
	}
}
