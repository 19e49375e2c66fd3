package cookiesession_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/format"
)

// anyDecode is a toy foreign format whose values Detect cannot tell:
// "ok:" + base64url(JSON of a user), under any prefix the test adds.
func anyDecode(prefix string) func(name, value string) (user, keyseal.Meta, error) {
	return func(name, value string) (user, keyseal.Meta, error) {
		var u user
		rest, ok := strings.CutPrefix(value, prefix)
		b, err := base64.RawURLEncoding.DecodeString(rest)
		if !ok || err != nil || json.Unmarshal(b, &u) != nil {
			return user{}, keyseal.Meta{}, keyseal.ErrAuth
		}
		return u, keyseal.Meta{}, nil
	}
}

func anyValue(prefix string, u user) string {
	b, _ := json.Marshal(u)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// A Legacy of Kind format.Any gets values of every shape: one Detect
// calls a JWE (as a Flask cookie looks) and one of no known shape (as a
// Rails cookie looks).
func TestLegacyKindAny(t *testing.T) {
	for _, prefix := range []string{"", "zz"} {
		e := newEnv(t, func(cfg *cookiesession.Config[user]) {
			cfg.Legacy = []cookiesession.Legacy[user]{{Name: "old", Kind: format.Any, Decode: anyDecode(prefix)}}
		})
		v := anyValue(prefix, user{Name: "gus", Count: 2})
		e.plant("old", v)
		resp := e.want("/count", "3")
		if !deletes(resp, "old") {
			t.Errorf("%q: legacy cookie not deleted: %q", v, setCookies(resp))
		}
		if got := e.takeInvalid(); len(got) != 0 {
			t.Errorf("%q: OnInvalid %v", v, got)
		}
	}
}

// Under the session's own name, a Kind format.Any value that looks
// native (a Rails cookie starts with "AQ" once in 4096) still reaches
// Decode; one Decode refuses reports the native path's reason.
func TestLegacyKindAnyNativeName(t *testing.T) {
	e := newEnv(t, func(cfg *cookiesession.Config[user]) {
		cfg.Name = "app"
		cfg.Legacy = []cookiesession.Legacy[user]{{Name: "app", Kind: format.Any, Decode: anyDecode("AQ")}}
	})
	v := anyValue("AQ", user{Name: "hal", Count: 5})
	if format.Detect(v) != format.Native {
		t.Fatalf("%q does not look native", v)
	}
	e.plant("app", v)
	e.want("/count", "6")
	if got := e.takeInvalid(); len(got) != 0 {
		t.Errorf("OnInvalid %v", got)
	}
	e.plant("app", "AQ!!")
	e.want("/me", " 0")
	if got := e.takeInvalid(); len(got) != 1 || errors.Is(got[0], keyseal.ErrAuth) {
		t.Errorf("OnInvalid %v, want the native refusal (not Decode's ErrAuth)", got)
	}
}
