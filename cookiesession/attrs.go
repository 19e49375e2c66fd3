package cookiesession

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/keyseal/keyseal"
)

// cookieAttrs is the fixed part of every Set-Cookie header a Manager
// writes, checked once and rendered once.
type cookieAttrs struct {
	path   string // "; Path=/" and, if any, "; Domain=..."
	tail   string // "; HttpOnly; Secure; SameSite=Lax"
	secure bool

	// The attributes of the usual Max-Age, the idle timeout, rendered once.
	idleAge   int64
	idleAttrs string
}

// newCookieAttrs refuses what a browser would drop or what weakens the
// session: invalid names, paths and domains, prefix rules (RFC 6265bis
// §4.1.3), and SameSite=None without Secure.
func newCookieAttrs(name, path, domain string, sameSite http.SameSite, secure bool) (cookieAttrs, error) {
	var a cookieAttrs
	if !isToken(name) || len(name) > 200 {
		return a, &keyseal.ConfigError{Package: "cookiesession", Field: "Name", Reason: "must be 1 to 200 characters of an HTTP token"}
	}
	if path == "" {
		path = "/"
	}
	if path[0] != '/' || !isAttrValue(path) {
		return a, &keyseal.ConfigError{Package: "cookiesession", Field: "Path", Reason: "must start with / and hold no control characters or ';'"}
	}
	if domain != "" && !isDomain(domain) {
		return a, &keyseal.ConfigError{Package: "cookiesession", Field: "Domain", Reason: "must be a host name"}
	}
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(lower, "__host-") && (domain != "" || path != "/"):
		return a, &keyseal.ConfigError{Package: "cookiesession", Field: "Name", Reason: "a __Host- cookie must have Path / and no Domain"}
	case (strings.HasPrefix(lower, "__host-") || strings.HasPrefix(lower, "__secure-")) && !secure:
		return a, &keyseal.ConfigError{Package: "cookiesession", Field: "Name", Reason: "a __Host- or __Secure- cookie must be Secure, which InsecureDevMode is not"}
	}
	var ss string
	switch sameSite {
	case 0, http.SameSiteLaxMode:
		ss = "Lax"
	case http.SameSiteStrictMode:
		ss = "Strict"
	case http.SameSiteNoneMode:
		if !secure {
			return a, &keyseal.ConfigError{Package: "cookiesession", Field: "SameSite", Reason: "SameSite=None requires Secure, which InsecureDevMode is not"}
		}
		ss = "None"
	default:
		return a, &keyseal.ConfigError{Package: "cookiesession", Field: "SameSite", Reason: "must be Lax, Strict or None"}
	}
	a.path = "; Path=" + path
	if domain != "" {
		a.path += "; Domain=" + strings.TrimPrefix(domain, ".")
	}
	a.tail = "; HttpOnly"
	if secure {
		a.tail += "; Secure"
	}
	a.tail += "; SameSite=" + ss
	a.secure = secure
	return a, nil
}

// noMaxAge, as a maxAge, writes a browser-session cookie: no Max-Age.
const noMaxAge = -1

// appendSetCookie appends a Set-Cookie header value. A maxAge of zero
// deletes the cookie; noMaxAge leaves it to the browser session.
func (a *cookieAttrs) appendSetCookie(b []byte, name, value string, maxAge int64) []byte {
	b = append(b, name...)
	b = append(b, '=')
	b = append(b, value...)
	return a.appendAttrs(b, maxAge)
}

// withIdleAge renders once the attributes of a cookie that lives for
// idleAge seconds.
func (a *cookieAttrs) withIdleAge(idleAge int64) {
	a.idleAge = idleAge
	a.idleAttrs = string(a.appendAttrs(nil, idleAge))
}

// appendAttrs appends the attributes that follow a cookie's value.
func (a *cookieAttrs) appendAttrs(b []byte, maxAge int64) []byte {
	if maxAge == a.idleAge && a.idleAttrs != "" {
		return append(b, a.idleAttrs...)
	}
	b = append(b, a.path...)
	if maxAge != noMaxAge {
		b = append(b, "; Max-Age="...)
		b = strconv.AppendInt(b, maxAge, 10)
	}
	return append(b, a.tail...)
}

// size returns at least the length appendAttrs appends for maxAge.
func (a *cookieAttrs) size(maxAge int64) int {
	if maxAge == a.idleAge && a.idleAttrs != "" {
		return len(a.idleAttrs)
	}
	return len(a.path) + len("; Max-Age=") + 20 + len(a.tail)
}

// isToken reports whether s is an HTTP token (RFC 9110 §5.6.2), what a
// cookie name must be.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}

func isAttrValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c >= 0x7f || c == ';' {
			return false
		}
	}
	return true
}

func isDomain(s string) bool {
	s = strings.TrimPrefix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
