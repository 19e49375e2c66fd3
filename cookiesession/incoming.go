package cookiesession

import (
	"net/http"
	"strings"

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
// among equal paths, older ones first (RFC 6265 §5.4).
func readIncoming(r *http.Request, name string) incoming {
	var in incoming
	for _, line := range r.Header["Cookie"] {
		for part := range strings.SplitSeq(line, ";") {
			part = strings.TrimSpace(part)
			k, v, ok := strings.Cut(part, "=")
			if !ok || !strings.HasPrefix(k, name) {
				continue
			}
			switch rest := k[len(name):]; {
			case rest == "":
				in.hasBase = true
				if in.nSingle < MaxDuplicates {
					in.singles[in.nSingle] = v
					in.nSingle++
				}
			case len(rest) == 2 && rest[0] == '.' && rest[1] >= '0' && rest[1] < '0'+MaxChunks:
				i := rest[1] - '0'
				in.anyChunk = true
				if !in.seen[i] {
					in.seen[i], in.chunks[i] = true, v
				}
			}
		}
	}
	return in
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
