// Package legacy reads cookies issued by github.com/gorilla/securecookie
// and github.com/gorilla/sessions, so an application can move to keyseal
// without logging anyone out: a legacy cookie that opens is re-sealed in
// the native format, and after a cutoff date legacy cookies are refused.
//
//	d, _ := legacy.New(legacy.Config{
//		Keys:   []legacy.Keys{{Hash: hashKey, Block: blockKey}},
//		Cutoff: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
//	})
//	values, meta, err := d.DecodeSession("session", cookie.Value) // gorilla/sessions
//
// It decodes only. It is an independent implementation of securecookie's
// format (HMAC over "name|timestamp|value", optional AES-CTR, base64url),
// written so that hostile input gets the sentinel errors of package codec
// and never a panic: sizes are checked before decoding, the MAC before
// decrypting and deserializing.
//
// Gob-serialized values (securecookie's default, and every gorilla/sessions
// CookieStore) can only be decoded when the concrete types stored in them
// are registered with gob.Register, exactly as the application that wrote
// them did.
package legacy
