// Package keyseal holds what keyseal's token formats share: the metadata of
// an opened token ([Meta]), the errors a refused token matches ([ErrAuth],
// [ErrExpired], ...), the configuration error ([ConfigError]) and the
// defaults. The formats themselves live in their own packages:
//
//   - codec: keyseal's native sealed tokens, under a keyring (FORMAT.md);
//   - cookiesession: typed net/http sessions in a codec-sealed cookie;
//   - jwe: compact JWE (dir, A256GCM or A256CBC-HS512) under a keyring;
//   - authjs: Auth.js session cookies, under AUTH_SECRET;
//   - legacy: gorilla/securecookie cookies, for migrating away from them;
//   - nodesession: iron-session and Express cookie-session cookies, under
//     the Node app's passwords or keys.
//   - rails, flask: the session cookies of Rails and Flask apps.
//
// # One contract
//
// Every format's Config has the same limits with the same meaning:
//
//	field         zero means                          negative   other rules
//	MaxAge        the package's DefaultMaxAge         an error   at least a second
//	Leeway        DefaultLeeway (60 s)                no leeway  whole seconds count
//	MaxTokenSize  the package's DefaultMaxTokenSize   an error   checked before parsing
//	Clock         the system's wall clock             -          for tests
//
// MaxAge bounds a token's age from its issue time, whatever expiry it
// carries, so shortening it takes effect on tokens already issued; formats
// that seal give new tokens this lifetime. Leeway is the clock skew
// tolerated on issue and expiry times. The defaults:
//
//	package       DefaultMaxAge   DefaultMaxTokenSize
//	codec, jwe    24 h            4096
//	authjs        30 days         16384 (chunks joined)
//	legacy        30 days         4096
//	nodesession   14 days (Iron)  16384 (Iron, chunks joined)
//	rails         14 days         4096
//	flask         31 days         4096
//
// A Rails cookie carries no issue time, only an expiry: rails' MaxAge
// refuses an expiry further ahead than it instead.
//
// Open returns the payload and its [Meta], or an error that matches one of
// the sentinels below with [errors.Is]: the payload is the sealed bytes for
// codec, the JWT claims (a JSON object) for jwe and authjs, the session's
// JSON for rails and flask. legacy decodes
// a serialized Go value into a destination instead, since that is what a
// securecookie payload is. New refuses a bad Config with a [*ConfigError]
// naming the field.
package keyseal

import "time"

// Defaults of the formats' Config (see the package doc).
const (
	// DefaultMaxAge is the longest a native or JWE token lives when
	// Config.MaxAge is zero.
	DefaultMaxAge = 24 * time.Hour
	// DefaultLeeway is the clock skew tolerated between the instances that
	// seal and open tokens when Config.Leeway is zero.
	DefaultLeeway = 60 * time.Second
	// DefaultMaxTokenSize is the longest native or JWE token accepted, in
	// characters, when Config.MaxTokenSize is zero: the size of one cookie
	// that every browser keeps.
	DefaultMaxTokenSize = 4096
)

// ConfigError reports a Config that a New function refuses, naming the
// package and the field.
type ConfigError struct {
	Package string // "codec", "jwe", "authjs", "legacy", "nodesession", "rails", "flask", "cookiesession"
	Field   string // the Config field, such as "MaxAge"
	Reason  string // what is wrong with it
}

// Error names the package, the field and what is wrong with it.
func (e *ConfigError) Error() string {
	return e.Package + ": " + e.Field + ": " + e.Reason
}
