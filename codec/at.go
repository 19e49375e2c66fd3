package codec

import (
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/codecat"
)

// A request that opens its session cookie and seals a new one reads the
// clock once and works at that time throughout (cookiesession does): its
// tokens are checked against it, and sealed under the primary at it.
func init() {
	codecat.AppendOpen = func(c any, dst []byte, token string, now time.Time) ([]byte, keyseal.Meta, error) {
		return c.(*Codec).appendOpen(dst, token, &now)
	}
	codecat.AppendSealAt = func(c any, dst, plaintext []byte, now, issuedAt, expiresAt time.Time) ([]byte, error) {
		return c.(*Codec).appendSeal(dst, plaintext, now, issuedAt.Unix(), expiresAt.Unix())
	}
}
