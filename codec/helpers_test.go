package codec_test

import (
	"testing"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// algorithms lists every algorithm a key may have.
var algorithms = []keyring.Algorithm{keyring.XChaCha20Poly1305, keyring.AES256GCM, keyring.HMACSHA256}

// newCodec returns a codec named "session" over src, failing the test on error.
func newCodec(t testing.TB, src keyring.Source, cfg codec.Config) *codec.Codec {
	t.Helper()
	c, err := codec.New(src, "session", cfg)
	if err != nil {
		t.Fatalf("codec.New: %v", err)
	}
	return c
}
