// Package nodesession reads and writes the session cookies of two Node.js
// libraries, so a Go service can share the users of a Node app on the same
// domain, or take them over without logging anyone out:
//
//   - [Iron]: iron-session (Next.js and others), the "Fe26.2" seal of
//     iron-webcrypto under the app's password map. Read and written.
//
//   - [CookieSession]: Express's cookie-session, a base64 JSON cookie
//     signed with Keygrip in a second cookie, NAME.sig. Read only.
//
//     sessions, _ := nodesession.NewIron(nodesession.IronConfig{
//     Passwords: map[uint32]string{1: os.Getenv("SESSION_PASSWORD")},
//     })
//     c, _ := r.Cookie("my-app-session")
//     data, meta, err := sessions.Open(c.Value)
//     // data is the session, a JSON object: decode it with encoding/json.
//
// Both follow the contract of package keyseal: errors match its sentinels
// with [errors.Is], New refuses a bad Config with a *keyseal.ConfigError,
// and Open returns the payload (the session's JSON object) with its
// [keyseal.Meta]. [IronValues] and [CookieSessionValues] adapt them to
// cookiesession.Legacy's Decode, for a migration (see MIGRATING.md).
//
// Both are independent implementations of the formats, written from the
// libraries' documented behaviour and checked against the libraries
// themselves (interop/nodesessions): sizes are checked before anything is
// decoded, MACs are compared in constant time before anything is
// decrypted or parsed, and every shape the libraries do not write is
// refused.
package nodesession
