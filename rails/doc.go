// Package rails reads (and can write) the session cookie of a Ruby on
// Rails application's cookie store, so a Go service on the same domain
// can trust the users Rails logged in, or take them over.
//
//	sessions, _ := rails.New(rails.Config{
//		Secrets:    []string{os.Getenv("SECRET_KEY_BASE")},
//		CookieName: "_app_session",
//	})
//	data, meta, err := sessions.Open(cookie.Value)
//	// data is the session as Rails' JSON cookie serializer wrote it:
//	// decode it with encoding/json.
//
// Rails encrypts its cookies under keys it derives from secret_key_base
// with PBKDF2 (1000 iterations; HMAC-SHA256 since Rails 7.0's defaults,
// HMAC-SHA1 before: see Config.SHA1Keys). Two forms are read:
//
//   - Rails 5.2 and later: AES-256-GCM under the "authenticated encrypted
//     cookie" key, the value base64(ciphertext)--base64(iv)--base64(tag);
//   - older apps (and older cookies, which Rails 5.2+ still reads):
//     AES-256-CBC under the "encrypted cookie" key, signed with HMAC-SHA1
//     under the "signed encrypted cookie" key, base64(...)--hex(mac).
//
// Rails 6.0 and later wrap the serialized session in a metadata envelope
// whose purpose, "cookie." + the cookie name, binds the value to its
// cookie, and whose expiry is the session store's expire_after: Open
// checks both. Seal writes the GCM form with both.
//
// Only the JSON cookie serializer (Rails' default since 4.1,
// cookies_serializer :json or :hybrid) can be read. A cookie serialized
// with Ruby's Marshal is refused with [ErrMarshal], never decoded:
// Marshal can name any Ruby class, and decoding it in Ruby runs code.
package rails
