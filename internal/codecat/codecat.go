// Package codecat lets cookiesession use a codec at a time it read once,
// for one request from opening the cookie to sealing the new one, without
// a public codec API for it. Package codec sets the functions when it is
// initialized; c must be a *codec.Codec.
package codecat

import (
	"time"

	"github.com/keyseal/keyseal"
)

var (
	// AppendOpen is c.AppendOpen checked against now instead of c's clock.
	AppendOpen func(c any, dst []byte, token string, now time.Time) ([]byte, keyseal.Meta, error)
	// AppendSealAt is c.AppendSealAt sealed under the primary at now.
	AppendSealAt func(c any, dst, plaintext []byte, now, issuedAt, expiresAt time.Time) ([]byte, error)
)
