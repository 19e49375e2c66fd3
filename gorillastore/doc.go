// Package gorillastore is a drop-in [sessions.Store] for applications built
// on github.com/gorilla/sessions: their sessions are sealed as keyseal
// tokens (package codec) under a keyring, and their handlers do not change.
// Switching is one line, the one that builds the store:
//
//	// store := sessions.NewCookieStore(hashKey, blockKey)
//	store, err := gorillastore.New(ring, gorillastore.Config{Legacy: old})
//
//	session, _ := store.Get(r, "session") // as before
//	session.Values["user_id"] = 7
//	session.AddFlash("saved")
//	err = session.Save(r, w)              // as before; check the error
//
// session.Values, per-session Options, named sessions (Get(r, name)),
// flashes (AddFlash, Flashes) and sessions.Save all work as with
// gorilla's CookieStore. Values are serialized with encoding/gob, as
// gorilla does: every concrete type stored in them must be registered with
// gob.Register.
//
// # Keys and rotation
//
// Each Save seals the values under the primary key of the ring the
// [keyring.Source] currently returns, with a new issue time, as gorilla
// re-stamps its cookie on every Save. A session sealed under an older key
// ([keyseal.Meta.NeedsReseal]) still opens, and moves to the primary on its
// next Save. Sessions that are only read are not re-sealed: the store has
// no response to write to outside Save. Keep a key that is no longer the
// primary (not yet retired) for Config.MaxAge after promoting its
// successor, or until every session was saved since.
//
// # Moving existing users
//
// With Config.Legacy set (a [legacy.Decoder] holding the CookieStore's key
// pairs), a cookie in gorilla's securecookie format opens too, with its
// values and pending flashes. It is re-sealed natively, replacing the old
// cookie (same name, so keep the old Path and Domain), the next time the
// application calls Save: the store does not save on its own, since gorilla
// applications decide when to save. A handler that never saves leaves the
// old cookie as it is until the legacy cutoff, after which it is refused.
//
// # Differences from gorilla's CookieStore (v1.4.0)
//
// They are deliberate, and each is safer:
//
//   - Default Options: HttpOnly is true (gorilla: false), so scripts cannot
//     read the cookie; SameSite is Lax (gorilla: None), so other sites'
//     requests do not carry it. Secure (true), Path ("/") and MaxAge (30
//     days) are gorilla's. Set store.Options, or a session's Options, to
//     change them, as with gorilla.
//   - A session's lifetime is enforced by the server, not only by the
//     browser: its token expires after its Options.MaxAge (when positive),
//     and never later than Config.MaxAge. gorilla checks only the store's
//     MaxAge.
//   - Limits are fixed when the store is built, so that it is safe for
//     concurrent use: gorilla's store.MaxAge(n) becomes Config.MaxAge and
//     securecookie's MaxLength(n) becomes Config.MaxTokenSize. There is no
//     Codecs field.
//   - Deleting a session (Options.MaxAge < 0) writes an empty cookie value;
//     gorilla still writes the encoded values into the expired cookie.
//   - Errors match keyseal's sentinels with errors.Is (keyseal.ErrExpired,
//     keyseal.ErrAuth, keyseal.ErrTooLarge, ...); as with gorilla, Get
//     returns a new session together with the error when a cookie does not
//     open.
//
// # Why a separate module
//
// This package imports github.com/gorilla/sessions, which the keyseal
// library itself must not depend on: it is its own Go module
// (github.com/keyseal/keyseal/gorillastore), so only applications that
// import it get gorilla/sessions in their build.
package gorillastore
