// Package jwe seals and opens JSON Web Encryption tokens (RFC 7516, compact
// serialization) under the keys of a keyring, so that another stack
// speaking JOSE can share sessions with keyseal.
//
//	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
//	c, _ := jwe.New(ring, jwe.Config{})
//	token, _ := c.Seal([]byte(`{"sub":"alice"}`))
//	claims, meta, err := c.Open(token) // claims: {"exp":...,"iat":...,"sub":"alice"}
//
// Tokens use "alg": "dir" with "enc" A256GCM (the default) or
// A256CBC-HS512. The "kid" header is the keyring key ID in decimal and
// selects the key in O(1); the content encryption key is the key's
// [keyring.Key.JWEKey], which [keyring.ExportJWK] hands to the other stack.
//
// The payload is always a JSON object of JWT claims (RFC 7519), which Seal
// takes and Open returns as JSON: other JOSE stacks expect one, so this
// package offers no opaque-bytes mode; seal opaque bytes with package codec. Seal writes "iat" and "exp"; Open
// requires both (without "iat" MaxAge could not bound a token's age) and
// enforces "exp", "nbf", "iat" and the codec's MaxAge, reporting the
// earlier of "exp" and "iat" + MaxAge as Meta.ExpiresAt, with the leeway
// and the sentinel errors of package keyseal, so
// errors.Is(err, keyseal.ErrExpired) holds whichever format a session came
// in.
//
// Open accepts only what Seal produces: five parts, of which the second
// (the encrypted key, unused by "dir") is empty, a protected header with no
// members but "alg", "enc", "kid", "typ" and "cty" ("zip", "crit",
// "jwk", "x5c" and the rest are refused), "alg" "dir" and the configured
// "enc", checked by github.com/go-jose/go-jose/v4 against an explicit
// allow-list. JWE tokens are not bound to a name the way native tokens are.
package jwe
