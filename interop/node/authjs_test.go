package node_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/authjs"
)

// TestAuthJS opens sessions issued by the real Auth.js (@auth/core's jwt
// encode and its cookie chunking) and has Auth.js's decode open sessions
// keyseal issued.
func TestAuthJS(t *testing.T) {
	requireNode(t)
	const (
		secret = "a-long-random-AUTH_SECRET-value-for-tests"
		old    = "the-previous-AUTH_SECRET"
	)
	claims := map[string]any{"sub": "user-1", "name": "Ada", "email": "ada@example.com"}
	big := map[string]any{"sub": "user-2", "blob": strings.Repeat("x", 6000)}
	enc := func(name string, c map[string]any, secret string, maxAge int) task {
		return task{"op": "authjs-encode", "claims": c, "secret": secret, "salt": name, "maxAge": maxAge}
	}
	open := func(t *testing.T, name string, secrets ...string) *authjs.Codec {
		c, err := authjs.New(authjs.Config{Secrets: secrets, CookieName: name})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	mine := open(t, authjs.SecureCookieName, secret)
	sealed, err := mine.Seal(mustJSON(t, claims))
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := open(t, authjs.CookieName, old, secret).Seal(mustJSON(t, claims))
	if err != nil {
		t.Fatal(err)
	}

	res := runNode(t, []task{
		enc(authjs.SecureCookieName, claims, secret, 3600),                                                    // 0
		enc(authjs.CookieName, claims, secret, 3600),                                                          // 1
		enc(authjs.SecureCookieName, claims, secret, -120),                                                    // 2: expired
		enc(authjs.SecureCookieName, big, secret, 3600),                                                       // 3: chunked
		enc(authjs.CookieName, claims, old, 3600),                                                             // 4: old secret
		{"op": "authjs-decode", "token": sealed, "secret": secret, "salt": authjs.SecureCookieName},           // 5
		{"op": "authjs-decode", "token": rotated, "secret": []string{secret, old}, "salt": authjs.CookieName}, // 6
		{"op": "authjs-decode", "token": sealed, "secret": secret, "salt": authjs.CookieName},                 // 7: wrong salt
	})
	for i, r := range res {
		if r.Error != "" && i != 7 {
			t.Fatalf("task %d: %s", i, r.Error)
		}
	}
	type session struct{ Sub, Name, Email, Blob string }

	t.Run("secure cookie", func(t *testing.T) {
		var s session
		raw, m, err := mine.OpenCookies(cookies(res[0]))
		if err := decode(raw, err, &s); err != nil || s.Sub != "user-1" || s.Email != "ada@example.com" || m.NeedsReseal {
			t.Fatalf("%v %+v %+v", err, s, m)
		}
		if d := time.Until(m.ExpiresAt); d < 59*time.Minute || d > time.Hour+time.Minute {
			t.Fatalf("expiry %v", m.ExpiresAt)
		}
	})
	t.Run("cookie name is the salt", func(t *testing.T) {
		if _, _, err := open(t, authjs.CookieName, secret).Open(res[0].Token); !errors.Is(err, keyseal.ErrUnknownKey) {
			t.Fatalf("other salt: %v", err)
		}
		if _, _, err := open(t, authjs.CookieName, secret).Open(res[1].Token); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("expired", func(t *testing.T) {
		if _, _, err := mine.Open(res[2].Token); !errors.Is(err, keyseal.ErrExpired) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("chunked", func(t *testing.T) {
		cs := cookies(res[3])
		if len(cs) < 2 || cs[0].Name != authjs.SecureCookieName+".0" {
			t.Fatalf("Auth.js did not chunk: %d cookies", len(cs))
		}
		// Browsers send cookies in any order.
		cs[0], cs[len(cs)-1] = cs[len(cs)-1], cs[0]
		var s session
		raw, _, err := mine.OpenCookies(cs)
		if err := decode(raw, err, &s); err != nil || s.Blob != big["blob"] {
			t.Fatalf("%v, blob of %d", err, len(s.Blob))
		}
	})
	t.Run("rotation", func(t *testing.T) {
		_, m, err := open(t, authjs.CookieName, secret, old).Open(res[4].Token)
		if err != nil || !m.NeedsReseal {
			t.Fatalf("%v %+v", err, m)
		}
		if _, _, err := open(t, authjs.CookieName, secret).Open(res[4].Token); !errors.Is(err, keyseal.ErrUnknownKey) {
			t.Fatalf("retired secret: %v", err)
		}
	})
	t.Run("keyseal→Auth.js", func(t *testing.T) {
		for _, r := range res[5:7] {
			if r.Claims["sub"] != "user-1" || r.Claims["email"] != "ada@example.com" || r.Claims["jti"] == nil {
				t.Fatalf("Auth.js read %v", r.Claims)
			}
		}
		if res[7].Error == "" {
			t.Fatal("Auth.js opened a token sealed for another cookie name")
		}
	})
}

func cookies(r result) []*http.Cookie {
	var cs []*http.Cookie
	for _, c := range r.Cookies {
		cs = append(cs, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return cs
}
