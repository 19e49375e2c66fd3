package cookiesession

import (
	"net/http"
	"strings"

	"github.com/keyseal/keyseal"
)

// incoming is what a request carries under a session's cookie names: up to
// MaxDuplicates values of the plain name, and the first and the last value
// of each chunk Name.0 ... Name.(MaxChunks-1): a foreign set of chunks
// (from a longer Path or a parent Domain) comes before or after the
// session's own, so that one of the two joins opens. Values alias the
// Cookie header.
type incoming struct {
	singles   [MaxDuplicates]string
	nSingle   int
	hasBase   bool
	chunks    [MaxChunks]string // first values
	last      [MaxChunks]string // last values
	seen      [MaxChunks]bool
	anyChunk  bool
	dupChunks bool // some chunk name came more than once
}

// sentCookies records which of a session's cookies a request carried,
// to delete those a response no longer needs.
type sentCookies struct {
	base     bool
	anyChunk bool
	chunks   [MaxChunks]bool
}

// any reports whether the request carried any cookie of the session.
func (in *incoming) any() bool { return in.hasBase || in.anyChunk }

// readIncoming scans the Cookie headers for the session's names without
// parsing the cookies of other names. The browser sends cookies with
// longer paths first and, among equal paths, older ones first (RFC 6265
// §5.4). A pair is "name=value" or "name.d=value" once trimmed of the
// ASCII white space net/http trims (see isSpace); the name holds no '='
// (it is an HTTP token), so matching the pair's prefix is matching its
// name.
//
// It searches each line for the name rather than splitting the line:
// a request carries many cookies and the session is one of them. An
// occurrence that does not begin a pair (inside another cookie's name or
// value) is skipped; the work stays linear in the header's length.
func readIncoming(r *http.Request, name string, in *incoming) {
	for _, line := range r.Header["Cookie"] {
		for from := 0; len(line)-from >= len(name); {
			// strings.Index, not IndexByte then HasPrefix: on a hostile
			// line full of the name's first byte it soon switches to a
			// vectorised search instead of stopping at every byte.
			i := strings.Index(line[from:], name)
			if i < 0 {
				break
			}
			i += from
			// The usual "; name=" is settled without the walk back.
			usual := i == 0 || line[i-1] == ';' || line[i-1] == ' ' && (i == 1 || line[i-2] == ';')
			if !usual && !beginsPair(line, i) {
				from = i + 1
				continue
			}
			end := len(line)
			if j := strings.IndexByte(line[i+len(name):], ';'); j >= 0 {
				end = i + len(name) + j
			}
			from = end
			rest := line[i+len(name) : end]
			if n := len(rest); n > 0 && rest[n-1] <= ' ' {
				rest = trimRightSpace(rest)
			}
			switch {
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
				if in.seen[i] {
					in.dupChunks = true
				} else {
					in.seen[i], in.chunks[i] = true, rest[3:]
				}
				in.last[i] = rest[3:]
			}
		}
	}
}

// beginsPair reports whether line[i:] begins a cookie pair: only white
// space lies between i and the previous ';' or the line's start. It walks
// back over white space alone, which cannot hold a name, so the walks of
// all the occurrences in a line cover each byte once at most.
func beginsPair(line string, i int) bool {
	for ; i > 0; i-- {
		switch c := line[i-1]; {
		case c == ';':
			return true
		case !isSpace(c):
			return false
		}
	}
	return true
}

// isSpace reports whether c is white space that net/http trims around a
// cookie pair (textproto.TrimString): ASCII space, tab, CR and LF.
// Unicode white space is not: browsers keep "\u2000__Host-session" as a
// name without the __Host- prefix, which a subdomain or a plain-http page
// may set; trimming it would let that cookie shadow the real one.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// trimRightSpace trims isSpace white space from the end of s.
func trimRightSpace(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if !isSpace(s[i]) {
			return s[:i+1]
		}
	}
	return ""
}

// joinChunks reassembles a chunked token from parts (in.chunks or
// in.last): Name.0 holds "<count>." before its part, and parts 1 to
// count-1 must all be present. Mixed chunks of different tokens join into
// a token that fails authentication. limit bounds the result, checked
// before allocating.
func (in *incoming) joinChunks(parts *[MaxChunks]string, limit int) (string, error) {
	if !in.seen[0] {
		return "", keyseal.ErrMalformed
	}
	head := parts[0]
	if len(head) < 2 || head[1] != '.' || head[0] < '2' || head[0] > '0'+MaxChunks {
		return "", keyseal.ErrMalformed
	}
	n := int(head[0] - '0')
	total := len(head) - 2
	for i := 1; i < n; i++ {
		if !in.seen[i] {
			return "", keyseal.ErrMalformed
		}
		total += len(parts[i])
	}
	if total > limit {
		return "", keyseal.ErrTooLarge
	}
	var b strings.Builder
	b.Grow(total)
	b.WriteString(head[2:])
	for i := 1; i < n; i++ {
		b.WriteString(parts[i])
	}
	return b.String(), nil
}
