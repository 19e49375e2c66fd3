// Package flask reads (and can write) the session cookie of a Flask
// application, so a Go service on the same domain can trust the users
// Flask logged in, or take them over.
//
//	sessions, _ := flask.New(flask.Config{
//		Secrets: []string{os.Getenv("SECRET_KEY")}, // then SECRET_KEY_FALLBACKS
//		MaxAge:  31 * 24 * time.Hour,               // PERMANENT_SESSION_LIFETIME
//	})
//	data, meta, err := sessions.Open(cookie.Value)
//	// data is the session, a JSON object: decode it with encoding/json.
//
// Flask's default session interface signs the session with itsdangerous'
// URLSafeTimedSerializer: the JSON, base64url (zlib-compressed first when
// that is shorter, marked by a leading "."), a "." and the signing time
// (Unix seconds, base64url of the big-endian bytes), a "." and an
// HMAC-SHA1 of all that under HMAC-SHA1(secret, "cookie-session"),
// base64url. The session is signed, not encrypted: anyone can read it.
//
// Flask refuses a session older than PERMANENT_SESSION_LIFETIME whether
// or not it is permanent; Open does the same with MaxAge. Flask's tagged
// JSON is turned into plain JSON: tuples into arrays, bytes into base64
// strings (what encoding/json reads into a []byte), datetimes into RFC
// 3339 strings (what it reads into a time.Time), UUIDs into their
// canonical string, Markup into a string.
package flask
