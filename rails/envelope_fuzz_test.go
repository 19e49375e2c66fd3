package rails

import (
	"errors"
	"testing"

	"github.com/keyseal/keyseal"
)

// FuzzUnwrap feeds the envelope reader the plaintexts a genuine but
// hostile cookie (a leaked secret) may carry: no panic, ErrMalformed or a
// message no longer than the plaintext.
func FuzzUnwrap(f *testing.F) {
	f.Add([]byte(`{"_rails":{"message":"eyJhIjoxfQ==","exp":"2030-01-01T00:00:00.000Z","pur":"cookie._app_session"}}`))
	f.Add([]byte(`{"_rails":{"data":{"a":1},"exp":null,"pur":null}}`))
	f.Add([]byte(`{"_rails":[]}`))
	f.Add([]byte("\x04\x08{\x06I\"\x06a\x06:\x06ETi\x06"))
	f.Add([]byte(`{"session_id":"x"}`))
	f.Fuzz(func(t *testing.T, plain []byte) {
		env, err := unwrap(plain)
		if err != nil {
			if !errors.Is(err, keyseal.ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		if len(env.message) > len(plain) {
			t.Fatalf("message of %d bytes from %d", len(env.message), len(plain))
		}
	})
}
