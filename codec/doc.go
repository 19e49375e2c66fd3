// Package codec seals bytes into short, URL-safe tokens and opens them
// again, under the keys of a keyring: the building block of sessions kept in
// a cookie.
//
// A token is encrypted and authenticated (or, under an HMAC-SHA256 key,
// only signed and readable by the client), carries the ID of its key, its
// issue and expiry times, and is bound to a name, typically the cookie's:
//
//	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
//	c, _ := codec.New(ring, "session", codec.Config{MaxAge: 24 * time.Hour})
//	token, _ := c.Seal([]byte(`{"user":"ada"}`))
//	plaintext, meta, err := c.Open(token)
//	if errors.Is(err, keyseal.ErrExpired) { /* start a new session */ }
//
// Open finds the token's key by ID in O(1), whichever key of the ring
// sealed it, and reports in [keyseal.Meta.NeedsReseal] that a token was sealed
// under a key that is no longer the primary, so that the application can
// re-seal it (with [Codec.SealAt], keeping its issue time) before the old
// key is retired. Failures are sentinel errors ([keyseal.ErrMalformed], [keyseal.ErrAuth],
// [keyseal.ErrExpired], ...) to test with [errors.Is]; times and key states are
// checked only once a token is authenticated.
//
// The format is specified, byte by byte, in FORMAT.md at the root of the
// repository, with test vectors in testdata/vectors.
package codec
