// Package gate decides, at the edge, whether a request's keyseal session
// lets it through to the origin: the logic of the edge gate example, shared
// by the Worker (GOOS=js, ../worker) and the WASI filter (GOOS=wasip1,
// ../wasi). See docs/edge.md.
//
// It reads the session cookies a cookiesession.Manager writes (see
// payload.go for their plaintext), so the origin logs users in with
// cookiesession and the edge checks their sessions with the same keyring.
// It imports keyring and codec, not net/http, to keep the module small.
//
//	g, err := gate.FromEnv(os.Getenv) // KEYSEAL_KEYRING, KEYSEAL_GATE_SECRET, ...
//	d := g.Check("/account", "", r.Header.Get("Cookie"))
//	// d.Status: 0 forwards to the origin with d.User; 302 or 401 answers.
package gate

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// Headers the gate owns. An edge must delete both from every incoming
// request before anything else, then set them from a [Decision], so that
// no client can claim an identity.
const (
	// UserHeader carries the session's user to the origin.
	UserHeader = "X-Keyseal-User"
	// SecretHeader carries the gate secret, which proves to the origin that
	// the request came through the gate.
	SecretHeader = "X-Keyseal-Gate"
)

// Defaults of [Config], those of cookiesession's zero Config.
const (
	DefaultCookieName       = "__Host-session"
	DefaultDevCookieName    = "session"
	DefaultLoginPath        = "/login"
	DefaultAbsoluteLifetime = 7 * 24 * time.Hour
	// APIPrefix marks the paths answered 401 instead of a redirect.
	APIPrefix = "/api/"
	// MinSecretSize is the shortest gate secret accepted, in bytes.
	MinSecretSize = 32
	// maxCookieSize is cookiesession's DefaultMaxCookieSize: no token in a
	// cookie it writes is longer.
	maxCookieSize = 4096
	// maxDuplicates is cookiesession's MaxDuplicates: the most cookies of
	// the session's name tried.
	maxDuplicates = 4
)

// ErrNoSession: the request carries no cookie of the session's name.
var ErrNoSession = errors.New("gate: no session cookie")

// ErrNoUser: the session opened but names no user (an anonymous session,
// or data that is not JSON with a printable "user").
var ErrNoUser = errors.New("gate: session has no user")

// Config is the gate's settings. Ring and GateSecret are required; the
// rest must match the origin's cookiesession.Config.
type Config struct {
	// Ring holds the keys; the same keyring file the origin uses.
	Ring *keyring.Ring
	// GateSecret is sent to the origin in SecretHeader; at least
	// MinSecretSize bytes.
	GateSecret string
	// CookieName is cookiesession's Config.Name. Empty means
	// DefaultCookieName (DefaultDevCookieName in InsecureDevMode).
	CookieName string
	// LoginPath is where a browser without a session is sent, and the
	// first of the public paths. Empty means DefaultLoginPath.
	LoginPath string
	// PublicPaths are path prefixes forwarded without a session, besides
	// LoginPath (static assets, a health check).
	PublicPaths []string
	// AbsoluteLifetime is cookiesession's Config.AbsoluteLifetime. Zero
	// means DefaultAbsoluteLifetime.
	AbsoluteLifetime time.Duration
	// InsecureDevMode is cookiesession's: re-sealed cookies are not Secure.
	// Only for plain http on loopback.
	InsecureDevMode bool
	// Clock returns the current time; nil means the system's wall clock.
	// For tests.
	Clock func() time.Time
}

// Gate checks requests. It is safe for concurrent use.
type Gate struct {
	codec  *codec.Codec
	name   string
	secret string
	login  string
	public []string
	attrs  string // "; HttpOnly; Secure; SameSite=Lax"
	clock  func() time.Time
}

// New checks cfg and returns a Gate.
func New(cfg Config) (*Gate, error) {
	if cfg.Ring == nil {
		return nil, errors.New("gate: no keyring")
	}
	if len(cfg.GateSecret) < MinSecretSize || !printable(cfg.GateSecret) {
		return nil, fmt.Errorf("gate: the gate secret must be at least %d printable ASCII characters", MinSecretSize)
	}
	g := &Gate{secret: cfg.GateSecret, name: cfg.CookieName, login: cfg.LoginPath, attrs: "; HttpOnly; Secure; SameSite=Lax"}
	if g.name == "" {
		g.name = DefaultCookieName
		if cfg.InsecureDevMode {
			g.name = DefaultDevCookieName
		}
	}
	if cfg.InsecureDevMode {
		if strings.HasPrefix(strings.ToLower(g.name), "__host-") || strings.HasPrefix(strings.ToLower(g.name), "__secure-") {
			return nil, errors.New("gate: a __Host- or __Secure- cookie must be Secure, which InsecureDevMode is not")
		}
		g.attrs = "; HttpOnly; SameSite=Lax"
	}
	if g.login == "" {
		g.login = DefaultLoginPath
	}
	if !strings.HasPrefix(g.login, "/") {
		return nil, errors.New("gate: the login path must start with /")
	}
	g.public = append([]string{g.login}, cfg.PublicPaths...)
	abs := cfg.AbsoluteLifetime
	if abs == 0 {
		abs = DefaultAbsoluteLifetime
	}
	g.clock = cfg.Clock
	if g.clock == nil {
		g.clock = time.Now
	}
	c, err := codec.New(cfg.Ring, g.name, codec.Config{MaxAge: abs, MaxTokenSize: maxCookieSize, Clock: g.clock})
	if err != nil {
		return nil, err
	}
	g.codec = c
	return g, nil
}

// CookieName returns the session cookie's name.
func (g *Gate) CookieName() string { return g.name }

// Secret returns the gate secret, to send in SecretHeader.
func (g *Gate) Secret() string { return g.secret }

// Decision is the gate's answer for one request.
type Decision struct {
	// Status is 0 to forward the request to the origin, else the status to
	// answer with: 302 (to Location) or 401 (a path under APIPrefix).
	Status   int
	Location string
	// User is the session's user, set in UserHeader when forwarding; empty
	// on a public path without a valid session.
	User string
	// SetCookie, when not empty, is a Set-Cookie header value to append to
	// the origin's response (unless the origin set the session cookie
	// itself): the session re-sealed under the primary key.
	SetCookie string
	// Err says why no session was found; for logs. It never holds secrets.
	Err error
}

// Check decides for a request to path (and rawQuery, without '?') carrying
// the Cookie header value cookie.
func (g *Gate) Check(path, rawQuery, cookie string) Decision {
	s, err := g.Open(cookie)
	if err == nil {
		return Decision{User: s.User, SetCookie: s.SetCookie}
	}
	d := Decision{Err: err}
	switch {
	case g.isPublic(path):
	case strings.HasPrefix(path, APIPrefix):
		d.Status = 401
	default:
		next := path
		if rawQuery != "" {
			next += "?" + rawQuery
		}
		d.Status, d.Location = 302, g.login+"?next="+url.QueryEscape(next)
	}
	return d
}

func (g *Gate) isPublic(path string) bool {
	for _, p := range g.public {
		if path == p || strings.HasPrefix(path, p) && (strings.HasSuffix(p, "/") || path[len(p)] == '/') {
			return true
		}
	}
	return false
}

// Session is an opened session.
type Session struct {
	User string
	// SetCookie is the session re-sealed under the primary key, when it
	// was sealed under another; empty otherwise.
	SetCookie string
}

// Open finds the session cookie in a Cookie header value and opens it.
// Of several cookies of the session's name it uses the first that opens,
// as cookiesession does. The error matches ErrNoSession, ErrNoUser or one
// of the codec's sentinels (keyseal.ErrAuth, keyseal.ErrExpired,
// keyseal.ErrKeyRetired, ...) with errors.Is.
func (g *Gate) Open(cookie string) (Session, error) {
	err := ErrNoSession
	tried := 0
	for rest := cookie; rest != "" && tried < maxDuplicates; {
		var pair string
		pair, rest, _ = strings.Cut(rest, ";")
		name, value, ok := strings.Cut(strings.Trim(pair, " \t"), "=")
		if !ok || name != g.name {
			continue
		}
		tried++
		s, e := g.open(value)
		if e == nil {
			return s, nil
		}
		if err == ErrNoSession {
			err = e
		}
	}
	return Session{}, err
}

func (g *Gate) open(token string) (Session, error) {
	plain, meta, err := g.codec.Open(token)
	if err != nil {
		return Session{}, err
	}
	user, browserSession, err := userOf(plain)
	if err != nil {
		return Session{}, err
	}
	s := Session{User: user}
	if meta.NeedsReseal {
		// Keep the issue time and expiry: the gate moves the session to
		// the new key without extending it (the origin's rolling refresh
		// does that).
		tok, err := g.codec.SealAt(plain, meta.IssuedAt, meta.ExpiresAt)
		if err != nil {
			return s, nil // the old cookie still opens: serve, re-seal later
		}
		s.SetCookie = g.setCookie(tok, meta.ExpiresAt, g.clock(), browserSession)
	}
	return s, nil
}

// setCookie renders the Set-Cookie value cookiesession would write for
// token: Max-Age is the whole seconds left until the token expires, so
// the browser never keeps the cookie past its expiry.
func (g *Gate) setCookie(token string, exp, now time.Time, browserSession bool) string {
	maxAge := exp.Unix() - now.Unix()
	if now.Nanosecond() != 0 {
		maxAge--
	}
	if maxAge < 1 {
		return ""
	}
	if browserSession { // gone when the browser closes, as the origin set it
		return fmt.Sprintf("%s=%s; Path=/%s", g.name, token, g.attrs)
	}
	return fmt.Sprintf("%s=%s; Path=/; Max-Age=%d%s", g.name, token, maxAge, g.attrs)
}

// printable reports whether s is printable ASCII, what a header value may
// safely hold.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
