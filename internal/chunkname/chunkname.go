// Package chunkname parses the names of cookie chunks, "name.0",
// "name.1", ..., as Auth.js writes a session too long for one cookie. It is
// the one parser of authjs.Join and cookiesession's legacy chunk reader, so
// the two never disagree on what a chunk is.
package chunkname

import "strings"

// Index reports whether cookie names a chunk of the cookie base, and which.
// A chunk's name is base, a dot, and its index in canonical decimal: digits
// only, no sign, no leading zero ("name.01" is another cookie). An index of
// limit or more, however many digits it has, is a chunk with i = -1: a
// chunk past the limit, to refuse as too large rather than ignore.
func Index(cookie, base string, limit int) (i int, ok bool) {
	digits, ok := strings.CutPrefix(cookie, base)
	if !ok {
		return 0, false
	}
	if digits, ok = strings.CutPrefix(digits, "."); !ok || digits == "" {
		return 0, false
	}
	if len(digits) > 1 && digits[0] == '0' {
		return 0, false
	}
	n := 0
	for j := range len(digits) {
		c := digits[j]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n < limit { // stop growing once past the limit: no overflow
			n = n*10 + int(c-'0')
		}
	}
	if n >= limit {
		return -1, true
	}
	return n, true
}
