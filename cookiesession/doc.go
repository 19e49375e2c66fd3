// Package cookiesession keeps typed web sessions in sealed cookies: no
// server-side store, keys rotated without logging anyone out.
//
// A [Manager] seals a value of your type T into a cookie with the
// [codec] package under the keys of a [keyring.Source]:
//
//	type User struct{ Name string }
//
//	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
//	sessions, _ := cookiesession.New(ring, cookiesession.Config[User]{})
//	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
//		s := sessions.Get(r.Context())
//		s.Set(User{Name: r.FormValue("name")})
//		s.Renew() // a new token at every login
//	})
//	http.ListenAndServeTLS(addr, cert, key, sessions.LoadAndSave(mux))
//
// The zero [Config] is secure: a __Host-session cookie, Secure, HttpOnly,
// SameSite=Lax, Path=/, 24 hours of idle timeout within 7 days of
// absolute lifetime.
//
// # What the middleware does
//
// [Manager.LoadAndSave] opens the cookie on the first access to the
// session and writes Set-Cookie before the first byte of the body, only
// when the session changed, was renewed or destroyed, was sealed under a
// key that is no longer the primary (re-sealed on the spot, keeping its
// issue time), or is due a rolling refresh ([Config.RefreshAfter]).
// A request that never touches its session costs next to nothing and
// leaves the cookie alone, even one due a re-seal or refresh; access the
// session before writing the body, since changes made after the first
// byte cannot be saved ([ErrWritten]).
//
// [Session.Save] seals the session at once and writes its cookie into the
// response's headers: a handler learns before it answers whether the
// session will be saved (a [*SizeError] for a session that outgrew its
// cookie), and code whose router does not pass LoadAndSave's
// ResponseWriter on gets its cookie written. A session changed and never
// saved is never silent: [Config.OnError] hears why, including when the
// response went out through a router's writer that says it was written
// (Written() bool, as gin's); a plain net/http writer cannot say so,
// which is why such routers need Save or an adapter that passes the
// writer on.
//
// Responses that touch a session get "Vary: Cookie" and
// "Cache-Control: private, no-store" (unless the handler set no-store or
// private itself).
//
// A cookie that does not open (tampered, expired, unknown or retired key,
// malformed, too large, revoked) gives the request a fresh empty session,
// calls [Config.OnInvalid] with the reason, and is deleted; it never
// causes an error response. Test the reason with errors.Is against
// [keyseal.ErrAuth], [keyseal.ErrExpired], [keyseal.ErrKeyRetired], [ErrRevoked]
// and the other sentinels.
//
// [Session.Meta] tells when the session was issued and expires and which
// key sealed it. Flash messages ([Session.AddFlash], [Session.Flashes])
// live beside T in the cookie and are removed once read.
//
// # Serialized form
//
// T is stored as JSON, in its own binary form when *T implements
// encoding.BinaryAppender and encoding.BinaryUnmarshaler, or with
// [Config.Serializer]. Each cookie records which, so a change of form
// is seen, never taken for data: when T gains binary methods, cookies
// written as JSON are still read, and re-sealed in the binary form, so
// no one is logged out; a cookie in a form the Manager no longer reads
// (a Serializer since removed) is refused with [ErrForm]. Cookies of
// keyseal versions that recorded no form are read in the Manager's form
// or, for a T with a binary form and no Serializer of yours, as JSON if
// they are JSON that decodes into T, else in the binary form. Bump
// [Config.SchemaVersion] when T changes incompatibly.
//
// # Expiry and revocation
//
// A session expires IdleTimeout after the last refresh and
// AbsoluteLifetime after its issue time at the latest. Tokens hold whole
// seconds: the sealed expiry is rounded up to the second (never past the
// absolute lifetime), and the cookie's Max-Age is the whole seconds left
// until it, so the browser drops the cookie less than a second before
// the sealed expiry, never after it. (A session written in the last
// second of its absolute lifetime, which no whole-second Max-Age fits,
// ends then: its cookie is deleted.)
// A session can have its own lifetime, chosen at login with
// [Session.SetLifetime]: a browser-session cookie (no Max-Age, dropped
// when the browser closes) for a login without "remember me", and idle
// and absolute limits shorter than the Manager's. It is sealed in the
// session, so the server enforces it whatever the browser keeps, and
// refreshes, key rotations and Renew keep it. Without it a session is a
// persistent cookie under the Manager's limits, as before. Sessions
// without a lifetime of their own are sealed exactly as by earlier
// versions, and cookies of earlier versions open under the Manager's
// lifetime.
//
// [Config.Validate] checks every loaded session, [Config.NotBefore] logs
// everyone out at once, and retiring a key kills every session sealed
// under it. To log one user out everywhere, keep a security stamp (a
// random string) in the user's record, seal it at login with
// [Session.SetStamp], and compare in Validate; replacing the record's
// stamp refuses every session that carries the old one, exactly (token
// times hold whole seconds, so comparing meta.IssuedAt with a "valid
// after" time is off by up to a second):
//
//	Validate: func(r *http.Request, meta cookiesession.Meta, u *User) error {
//		if u.ID != 0 && meta.Stamp != users.Stamp(u.ID) {
//			return errLoggedOut // the session is refused: ErrRevoked
//		}
//		return nil
//	},
//
// # Size
//
// The whole Set-Cookie header value is kept within
// [Config.MaxCookieSize] (4096 by default). A larger session is not
// written: the browser keeps its previous cookie and [Config.OnError] gets
// a [*SizeError] (matching [ErrTooLarge]). With [Config.Chunking] it is
// split over up to [MaxChunks] cookies Name.0 ... Name.N, parts of a single
// authenticated token, so chunks of different sessions never combine;
// chunks left over from a larger session are deleted.
//
// # Several cookies with the session's name
//
// A parent domain or another path may set a cookie of the same name.
// The browser sends the most specific path first; the Manager tries the
// first [MaxDuplicates] in that order and uses the first that opens,
// ignoring the rest. Of chunks (name.0, name.1, ...) that come more than
// once it tries the first of each name, then the last: a foreign set sent
// wholly before or after the session's own does not shadow it, one
// interleaved with it does. It reports OnInvalid, and deletes its own
// cookies, only when none opens. Use the default __Host- name to rule out
// such shadowing: browsers keep a __Host- cookie, chunks included, to its
// own host and Path=/.
//
// # Migrating from another session system
//
// [Config.Legacy] lists the cookies of the system an application leaves,
// such as gorilla/sessions (with package legacy) or Auth.js (with package
// authjs). When a request has no native cookie that opens, a legacy
// cookie of the expected shape (told by package format, never by trying
// decryptions) is decoded; its session is re-sealed as a native cookie
// on the same response, keeping its issue time, and the legacy cookie is
// deleted. [Meta.Migrated] tells such a session. See MIGRATING.md.
//
// Migrating converts a cookie; it is no activity that extends it. The
// migrated session expires at the earliest of the legacy expiry (where
// the old format has one), IdleTimeout from the migration, and
// AbsoluteLifetime from the legacy issue time (the migration's time when
// the old format has none); [Meta.ExpiresAt], the sealed expiry and the
// cookie's Max-Age all say so. Without another request the native cookie
// is refused after it: a cookie converted with seconds left, or a stolen
// one replayed, gains nothing from the conversion. A legacy expiry
// already past is refused ([keyseal.ErrExpired]). From the next request on
// the session is a native one that activity refreshes for IdleTimeout,
// up to the absolute lifetime counted from the legacy issue time: the old
// system's saves extended it too, and ending every migrated session at
// its legacy expiry would log out the users the migration exists to keep.
//
// # Concurrency
//
// Every response of a browser carries the whole session, so when requests
// of one browser overlap, the last response to arrive wins and changes
// made by the others are lost. Keep session data small and derived, and
// do not count things that must not be lost in a session; see the
// example with a counter.
package cookiesession
