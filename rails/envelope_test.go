package rails

import (
	"errors"
	"testing"

	"github.com/keyseal/keyseal"
)

// The envelope's forms: Rails 6.0's base64 "message", Rails 7.1's
// embedded "data", and JSON that only looks like one.
func TestUnwrap(t *testing.T) {
	for _, tc := range []struct {
		plain, message, purpose string
		exp                     bool
	}{
		{`{"_rails":{"message":"eyJhIjoxfQ==","exp":"2030-01-01T00:00:00.000Z","pur":"cookie.s"}}`, `{"a":1}`, "cookie.s", true},
		{`{"_rails":{"data":{"a":1},"exp":null,"pur":"cookie.s"}}`, `{"a":1}`, "cookie.s", false},
		{`{"_rails":{"message":"eyJhIjoxfQ=="}}`, `{"a":1}`, "", false},
		{`{"_RAILS":{"message":"eyJhIjoxfQ=="}}`, `{"_RAILS":{"message":"eyJhIjoxfQ=="}}`, "", false},
		{`{"session_id":"x"}`, `{"session_id":"x"}`, "", false},
		{"\x04\x08{\x00", "\x04\x08{\x00", "", false},
	} {
		env, err := unwrap([]byte(tc.plain))
		if err != nil || string(env.message) != tc.message || env.purpose != tc.purpose || env.hasExp != tc.exp {
			t.Errorf("unwrap(%q) = %+v, %v", tc.plain, env, err)
		}
	}
	for _, bad := range []string{
		`{"_rails":[]}`, `{"_rails":{}}`, `{"_rails":{"message":1}}`, `{"_rails":{"message":"!"}}`,
		`{"_rails":{"message":"","exp":"tomorrow"}}`, `{"_rails":{"message":"","pur":5}}`,
	} {
		if _, err := unwrap([]byte(bad)); !errors.Is(err, keyseal.ErrMalformed) {
			t.Errorf("unwrap(%q): %v, want ErrMalformed", bad, err)
		}
	}
}
