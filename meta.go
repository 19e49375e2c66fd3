package keyseal

import "time"

// Meta describes a token that opened, in every format.
type Meta struct {
	// KeyID is the ID of the keyring key the token was sealed under; zero
	// for formats whose keys have no keyring ID (Auth.js, securecookie).
	KeyID uint32
	// IssuedAt and ExpiresAt are the token's times, to the second.
	// ExpiresAt is zero for a format that carries no expiry.
	IssuedAt, ExpiresAt time.Time
	// NeedsReseal is true when the key is not the ring's primary: re-seal
	// the payload (keeping IssuedAt) so that the old key falls out of use
	// before it is retired.
	NeedsReseal bool
	// Compressed reports whether the payload was compressed (native
	// tokens only).
	Compressed bool
}
