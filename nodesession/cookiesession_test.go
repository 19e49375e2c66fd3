package nodesession_test

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/nodesession"
)

// keygrip signs name=value as Keygrip does: HMAC-SHA1, base64url
// without padding.
func keygrip(key, name, value string) string {
	h := hmac.New(sha1.New, []byte(key))
	h.Write([]byte(name + "=" + value))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

func TestCookieSessionOpen(t *testing.T) {
	c, err := nodesession.NewCookieSession(nodesession.CookieSessionConfig{Keys: []string{"k1", "k0"}})
	if err != nil {
		t.Fatal(err)
	}
	value := base64.StdEncoding.EncodeToString([]byte(`{"user":"ann"}`))
	got, m, err := c.Open("session", value, keygrip("k0", "session", value))
	if err != nil || string(got) != `{"user":"ann"}` || !m.NeedsReseal {
		t.Fatalf("%s %+v %v", got, m, err)
	}
	sig := keygrip("k1", "session", value)
	testkit.ChangeEachByte(t, value+"|"+sig, "Aa0+/=-_|", func(s string) error {
		v, g, _ := cutLast(s, '|')
		_, _, err := c.Open("session", v, g)
		return err
	})
	for _, tc := range []struct {
		name, value string
		want        error
	}{
		{"not base64", "e30", keyseal.ErrMalformed},
		{"base64url", base64.URLEncoding.EncodeToString([]byte(`{"a":"??>"}`)), keyseal.ErrMalformed},
		{"array", base64.StdEncoding.EncodeToString([]byte(`[1]`)), keyseal.ErrMalformed},
		{"bad UTF-8", base64.StdEncoding.EncodeToString([]byte("{\"a\":\"\xff\"}")), keyseal.ErrMalformed},
	} {
		if _, _, err := c.Open("session", tc.value, keygrip("k1", "session", tc.value)); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

func cutLast(s string, sep byte) (string, string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func TestCookieSessionConfig(t *testing.T) {
	for _, cfg := range []nodesession.CookieSessionConfig{
		{},
		{Keys: []string{""}},
		{Keys: []string{"k"}, Hash: crypto.MD5},
		{Keys: []string{"k"}, MaxTokenSize: -1},
	} {
		var ce *keyseal.ConfigError
		if _, err := nodesession.NewCookieSession(cfg); !errors.As(err, &ce) {
			t.Errorf("%v: %v", cfg.Hash, err)
		}
	}
	c, err := nodesession.NewCookieSession(nodesession.CookieSessionConfig{Keys: []string{"a cookie-session key 1", "a cookie-session key 2"}})
	if err != nil {
		t.Fatal(err)
	}
	testkit.CheckRedacted(t, testkit.Holders(c), []byte("a cookie-session key 1"), []byte("a cookie-session key 2"))
}

// FuzzCookieSessionOpen: no panic, only sentinels, and a genuine value
// under a leaked key still yields a JSON object or ErrMalformed.
func FuzzCookieSessionOpen(f *testing.F) {
	c, err := nodesession.NewCookieSession(nodesession.CookieSessionConfig{Keys: []string{"k1"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(base64.StdEncoding.EncodeToString([]byte(`{"user":"ann"}`)), "")
	f.Add("eyJ9", "AAAA")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, value, sig string) {
		for _, s := range []string{sig, keygrip("k1", "session", value)} {
			data, _, err := c.Open("session", value, s)
			if err != nil {
				if !testkit.IsAny(err, keyseal.ErrMalformed, keyseal.ErrAuth, keyseal.ErrTooLarge) {
					t.Fatalf("error %v is not a sentinel", err)
				}
				continue
			}
			if d := bytes.TrimLeft(data, " \t\r\n"); len(d) == 0 || d[0] != '{' {
				t.Fatalf("opened to %q", data)
			}
		}
	})
}
