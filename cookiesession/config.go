package cookiesession

import (
	"net/http"
	"time"
)

// Defaults and limits of [Config].
const (
	// DefaultName is the cookie name of a session when Config.Name is
	// empty. The __Host- prefix makes browsers refuse the cookie unless it
	// is Secure, has Path=/ and no Domain, so no subdomain or plain-http
	// page can set or shadow it.
	DefaultName = "__Host-session"
	// DefaultDevName is the cookie name in InsecureDevMode, where the
	// __Host- prefix is unusable because the cookie is not Secure.
	DefaultDevName = "session"
	// DefaultAbsoluteLifetime is how long a session lives at most, counted
	// from its issue time (login or Renew), however active it is.
	DefaultAbsoluteLifetime = 7 * 24 * time.Hour
	// DefaultIdleTimeout is how long a session lives without a request
	// that refreshes it.
	DefaultIdleTimeout = 24 * time.Hour
	// DefaultMaxCookieSize is the longest Set-Cookie header value written,
	// name, value and attributes together: browsers drop larger cookies.
	DefaultMaxCookieSize = 4096
	// MaxChunks is the most cookies a chunked session is split into, and
	// so the most read back.
	MaxChunks = 8
	// MaxDuplicates is the most cookies with the session's name a request
	// is searched for one that opens; further ones are ignored.
	MaxDuplicates = 4
)

// Config holds a Manager's options. The zero value is the secure default:
// a cookie named __Host-session with Path=/, Secure, HttpOnly and
// SameSite=Lax, living 24 hours without use and 7 days at most, refreshed
// at most every 6 hours, data serialized as JSON.
//
// Settings a browser would silently reject (a __Host- name with a Domain,
// SameSite=None without Secure, ...) are refused by [New] with a
// [*keyseal.ConfigError].
type Config[T any] struct {
	// Name is the cookie name, also bound to every token so a token moved
	// to a cookie of another name does not open. Chunked sessions use
	// Name.0, Name.1, ... Empty means DefaultName (DefaultDevName in
	// InsecureDevMode).
	Name string
	// Path is the cookie's Path attribute. Empty means "/"; a __Host-
	// name requires "/".
	Path string
	// Domain is the cookie's Domain attribute. Empty (the default) means
	// a host-only cookie; a __Host- name requires empty.
	Domain string
	// SameSite is the cookie's SameSite attribute. Zero means
	// http.SameSiteLaxMode; http.SameSiteNoneMode requires Secure, so it
	// is refused in InsecureDevMode.
	SameSite http.SameSite

	// AbsoluteLifetime is the longest a session lives, counted from its
	// issue time, which refreshes and key rotations keep and Renew resets.
	// Zero means DefaultAbsoluteLifetime.
	AbsoluteLifetime time.Duration
	// IdleTimeout is how long a session lives after the last response
	// that refreshed its cookie. Zero means DefaultIdleTimeout; it must
	// not exceed AbsoluteLifetime.
	IdleTimeout time.Duration
	// RefreshAfter throttles rolling refresh: a request that only reads
	// the session re-issues the cookie when that pushes its expiry back by
	// at least RefreshAfter, so a busy browser gets a new cookie at most
	// once per RefreshAfter and most responses carry no Set-Cookie. Zero
	// means IdleTimeout/4; a negative value refreshes on every request
	// that reads the session.
	RefreshAfter time.Duration

	// MaxCookieSize is the longest Set-Cookie header value written. Zero
	// means DefaultMaxCookieSize. A session that does not fit is not
	// written (the browser keeps its previous cookie) and OnError gets a
	// [*SizeError], unless Chunking is on.
	MaxCookieSize int
	// Chunking splits a session that does not fit in one cookie into up
	// to MaxChunks cookies Name.0 ... Name.N. Chunks are parts of one
	// authenticated token, so chunks of different tokens never combine
	// into a session; stale chunks are deleted when the session shrinks.
	Chunking bool

	// Serializer encodes the session data. Nil means the data's own
	// binary form when *T implements encoding.BinaryAppender and
	// encoding.BinaryUnmarshaler, and JSON otherwise; JSON{} keeps JSON
	// for a T that has a binary form. Each cookie records its form, so
	// cookies in JSON or T's binary form are read whichever the Manager
	// writes (and re-sealed in it), and a cookie in a form the Manager no
	// longer reads is refused with ErrForm. A switch from one Serializer
	// of yours to another is not seen: bump SchemaVersion for it.
	Serializer Serializer
	// SchemaVersion is stored with the data. A cookie of another version
	// goes through Migrate, or without Migrate yields a fresh session and
	// OnInvalid gets ErrSchema. Bump it when T changes incompatibly.
	SchemaVersion uint32
	// Migrate converts data serialized under schema version from into
	// the current T; the session is then saved under SchemaVersion. An
	// error yields a fresh session. data is valid only during the call,
	// in the serialized form the cookie was written in.
	Migrate func(from uint32, data []byte, to *T) error

	// Validate is called each time a session is loaded from a cookie; an
	// error refuses the session (stateless revocation: to log a user out
	// everywhere, compare meta.Stamp, set at login by Session.SetStamp,
	// with the stamp in the user's record, and replace that one). meta.Now
	// is the request's time from Clock. The
	// request then gets a fresh session and OnInvalid gets an error
	// matching both ErrRevoked and Validate's error. Validate runs while
	// the session loads: it must not call the request's Session methods.
	// A session migrated from a legacy cookie that carried no issue time
	// has a zero meta.IssuedAt here: nothing shows when it began.
	Validate func(r *http.Request, meta Meta, data *T) error
	// NotBefore refuses every session issued before it, to the second:
	// set it to now to log everyone out. The zero time refuses nothing.
	// While it is set, a legacy session without an issue time is refused.
	NotBefore time.Time

	// Legacy lists the cookies of a previous session system to migrate
	// from (at most MaxLegacy), consulted only when the request has no
	// native session cookie that opens: see [Legacy]. Validate and
	// NotBefore apply to migrated sessions too. Remove the list after
	// the migration's cutoff.
	Legacy []Legacy[T]

	// OnInvalid is called when the request's session cookie is refused;
	// err matches the reason with errors.Is (keyseal.ErrAuth,
	// keyseal.ErrExpired, keyseal.ErrKeyRetired, ErrRevoked, ...). The request
	// gets a fresh session and the cookie is cleared. Nil ignores.
	OnInvalid func(r *http.Request, err error)
	// OnError is called when a session cannot be saved: too large, sealing
	// failed, or changed after the response was written (or written
	// around LoadAndSave). It hears of a failure of Session.Save only if
	// the session still cannot be saved when the response is written.
	// Nil logs with log/slog's default logger.
	OnError func(r *http.Request, err error)

	// Leeway is the clock skew tolerated on a cookie's issue and expiry
	// times. Zero means keyseal.DefaultLeeway; a negative value means none.
	Leeway time.Duration
	// Compress compresses the sealed session with DEFLATE when that makes
	// it shorter. Compression leaks information through the cookie's
	// length: leave it off when a session mixes secrets with data an
	// attacker can choose (see CRIME and BREACH). Compressed cookies are
	// always accepted.
	Compress bool
	// MaxDecompressedSize bounds the session data of a compressed cookie;
	// a larger one is refused. Zero means codec.DefaultMaxDecompressedSize.
	MaxDecompressedSize int
	// Clock returns the current time; nil means the system's wall clock
	// (time.Now, read more cheaply where the platform allows). For tests. A
	// request reads it once, when its session is first used, and works at
	// that time from opening the cookie to sealing the new one.
	Clock func() time.Time

	// InsecureDevMode is for development over plain http on localhost:
	// cookies are not Secure, the default name loses its __Host- prefix,
	// and requests for any host other than localhost or a loopback
	// address get no session cookie (OnError gets ErrDevMode). Never set
	// it in production.
	InsecureDevMode bool
}
