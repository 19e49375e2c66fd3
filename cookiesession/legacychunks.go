package cookiesession

import (
	"strconv"
	"strings"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/format"
	"github.com/keyseal/keyseal/internal/chunkname"
)

// legacyChunkName is the name of chunk c of a Chunked legacy cookie.
func legacyChunkName(name string, c int) string { return name + "." + strconv.Itoa(c) }

// legacyChunkIndex reports whether k names a chunk of the legacy cookie
// name, "name.<decimal>" without a leading zero, and which; c is -1 for an
// index from MaxLegacyChunks up, however many digits. It is authjs.Join's
// parser (internal/chunkname), so the two agree on every name.
func legacyChunkIndex(k, name string) (c int, ok bool) {
	return chunkname.Index(k, name, MaxLegacyChunks)
}

// markLegacyChunk records k if it names a chunk of legacy cookie i.
// Called with s.mu held.
func (s *Session[T]) markLegacyChunk(i int, k string) {
	c, ok := legacyChunkIndex(k, s.m.legacy[i].name)
	if !ok {
		return
	}
	if s.legacyChunks == nil {
		s.legacyChunks = new([MaxLegacy]legacyChunks)
	}
	lc := &s.legacyChunks[i]
	switch {
	case c < 0:
		// Refused, and deleted with the rest: up to MaxLegacyChunks such
		// names a request, the next request the next ones.
		if len(lc.above) < MaxLegacyChunks {
			lc.above = append(lc.above, k)
		}
	case lc.sent&(1<<c) != 0:
		lc.dup = true
	default:
		lc.sent |= 1 << c
	}
}

// openLegacyChunks joins the chunks of legacy cookie i that the request
// carried, in index order, and opens the value they make. Called with s.mu
// held, after loadLegacy's scan marked them.
func (s *Session[T]) openLegacyChunks(i int) error {
	l, lc := &s.m.legacy[i], s.legacyChunks[i]
	switch {
	case lc.above != nil:
		return keyseal.ErrTooLarge
	case lc.dup, lc.sent&(lc.sent+1) != 0: // repeated, or not 0..n-1
		return keyseal.ErrMalformed
	}
	var parts [MaxLegacyChunks]string
	total := 0
	for k, v := range cookiePairs(s.r) {
		if c, ok := legacyChunkIndex(k, l.name); ok && c >= 0 {
			parts[c] = v
			if total += len(v); total > maxLegacyJoined {
				return keyseal.ErrTooLarge
			}
		}
	}
	value := strings.Join(parts[:], "") // the parts past the last are empty
	if !l.accepts(format.Detect(value)) {
		return keyseal.ErrMalformed
	}
	return s.openLegacy(l, value)
}
