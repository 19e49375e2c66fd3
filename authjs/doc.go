// Package authjs reads (and can write) the session cookies of Auth.js v5
// (next-auth), so a Go API can trust the sessions of a Next.js front end
// that shares its AUTH_SECRET.
//
//	sessions, _ := authjs.New(authjs.Config{
//		Secrets:    []string{os.Getenv("AUTH_SECRET")},
//		CookieName: authjs.SecureCookieName, // "__Secure-authjs.session-token"
//	})
//	claims, meta, err := sessions.OpenCookies(req.Cookies())
//	// claims is the session's JWT claims, a JSON object: decode them with
//	// encoding/json.
//
// Auth.js seals its JWT session as a JWE, "alg" "dir", "enc"
// A256CBC-HS512, under a key derived from the secret with HKDF-SHA256:
// salt = the cookie name, info = "Auth.js Generated Encryption Key (" +
// cookie name + ")", 64 bytes (32 for A256GCM, which it also accepts). Its
// "kid" header is the RFC 7638 thumbprint of that key, which selects the
// secret in O(1); a token without "kid" (older versions) is tried against
// each secret in order, as Auth.js does. Several secrets allow rotation:
// the first seals, all open.
//
// A session longer than a cookie is split into chunks named name.0,
// name.1, ...; OpenCookies joins them. Expiry ("exp", required), "nbf" and
// "iat" are enforced with the leeway and sentinel errors of package keyseal.
package authjs
