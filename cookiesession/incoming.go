package cookiesession

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/keyseal/keyseal/codec"
)

// incoming is what a request carries under a session's cookie names: up to
// MaxDuplicates values of the plain name, and the first value of each
// chunk Name.0 ... Name.(MaxChunks-1). Values alias the Cookie header.
type incoming struct {
	singles  [MaxDuplicates]string
	nSingle  int
	hasBase  bool
	chunks   [MaxChunks]string
	seen     [MaxChunks]bool
	anyChunk bool
}

// sentCookies records which of a session's cookies a request carried,
// to delete those a response no longer needs.
type sentCookies struct {
	base   bool
	chunks [MaxChunks]bool
}

// any reports whether the request carried any cookie of the session.
func (in *incoming) any() bool { return in.hasBase || in.anyChunk }

// readIncoming scans the Cookie headers without parsing the cookies of
// other names. The browser sends cookies with longer paths first and,
// among equal paths, older ones first (RFC 6265 §5.4). A pair is
// "name=value" or "name.d=value" once trimmed of white space; the name
// holds no '=' (it is an HTTP token), so matching the pair's prefix is
// matching its name.
func readIncoming(r *http.Request, name string, in *incoming) {
	for _, line := range r.Header["Cookie"] {
		for line != "" {
			part := line
			if i := strings.IndexByte(line, ';'); i >= 0 {
				part, line = line[:i], line[i+1:]
			} else {
				line = ""
			}
			if part != "" && part[0] == ' ' { // the usual "; "
				part = part[1:]
			}
			if part != "" && (part[0] <= ' ' || part[0] >= utf8.RuneSelf) {
				part = trimLeftSpace(part)
			}
			if len(part) <= len(name) || part[:len(name)] != name {
				continue
			}
			part = strings.TrimSpace(part)
			switch rest := part[len(name):]; {
			case rest == "": // the name and white space
			case rest[0] == '=':
				in.hasBase = true
				if in.nSingle < MaxDuplicates {
					in.singles[in.nSingle] = rest[1:]
					in.nSingle++
				}
			case len(rest) >= 3 && rest[0] == '.' && rest[1] >= '0' && rest[1] < '0'+MaxChunks && rest[2] == '=':
				i := rest[1] - '0'
				in.anyChunk = true
				if !in.seen[i] {
					in.seen[i], in.chunks[i] = true, rest[3:]
				}
			}
		}
	}
}

// trimLeftSpace is strings.TrimLeftFunc(s, unicode.IsSpace), what
// strings.TrimSpace does on the left, with a fast path for ASCII.
func trimLeftSpace(s string) string {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
		case c < utf8.RuneSelf:
			return s[i:]
		default:
			return strings.TrimLeftFunc(s[i:], unicode.IsSpace)
		}
	}
	return ""
}

// joinChunks reassembles a chunked token: Name.0 holds "<count>." before
// its part, and parts 1 to count-1 must all be present. Mixed chunks of
// different tokens join into a token that fails authentication. limit
// bounds the result, checked before allocating.
func (in *incoming) joinChunks(limit int) (string, error) {
	if !in.seen[0] {
		return "", codec.ErrMalformed
	}
	head := in.chunks[0]
	if len(head) < 2 || head[1] != '.' || head[0] < '2' || head[0] > '0'+MaxChunks {
		return "", codec.ErrMalformed
	}
	n := int(head[0] - '0')
	total := len(head) - 2
	for i := 1; i < n; i++ {
		if !in.seen[i] {
			return "", codec.ErrMalformed
		}
		total += len(in.chunks[i])
	}
	if total > limit {
		return "", codec.ErrTooLarge
	}
	var b strings.Builder
	b.Grow(total)
	b.WriteString(head[2:])
	for i := 1; i < n; i++ {
		b.WriteString(in.chunks[i])
	}
	return b.String(), nil
}
