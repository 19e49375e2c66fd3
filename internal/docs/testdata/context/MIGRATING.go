// The names MIGRATING.md's fragments leave to the reader.

package snippet

import (
	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/keyring"
	"github.com/keyseal/keyseal/legacy"
)

// The application's own.
type (
	cart    struct{ Items []string }
	Session struct {
		UserID int
		Cart   cart
	}
)

var (
	ring                          *keyring.Ring
	hashKey, blockKey, oldHashKey []byte   // the old securecookie keys
	secrets                       []string // AUTH_SECRET values
	d                             *legacy.Decoder
	fromGorilla                   func(name, value string) (Session, keyseal.Meta, error)
)
