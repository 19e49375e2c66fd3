// Package compact checks the shape of JWE compact serializations before
// they reach a JOSE parser.
package compact

import (
	"encoding/base64"
	"strings"
)

// Valid reports whether token has exactly five dot-separated parts, each
// canonical unpadded base64url. go-jose's decoder ignores the unused low
// bits of a part's last character, and Go's base64 decoders skip CR and LF
// anywhere, which would let one token have several spellings; a canonical
// check makes every changed or inserted character fail.
func Valid(token string) bool {
	dots := 0
	for i := range len(token) {
		switch c := token[i]; {
		case c == '.':
			dots++
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	if dots != 4 {
		return false
	}
	var buf [3]byte
	for part := range strings.SplitSeq(token, ".") {
		tail := len(part) % 4
		if tail == 1 {
			return false
		}
		if tail == 0 {
			continue
		}
		if _, err := base64.RawURLEncoding.Strict().Decode(buf[:], []byte(part[len(part)-tail:])); err != nil {
			return false
		}
	}
	return true
}

// Direct reports whether token is Valid with an empty second part, the
// JWE Encrypted Key, which "alg" "dir" requires (RFC 7516 §5.1 step 5).
// go-jose ignores that part under "dir", and it is outside the
// authenticated data, so without this check any bytes there would make
// another spelling of a genuine token.
func Direct(token string) bool {
	_, rest, _ := strings.Cut(token, ".")
	return strings.HasPrefix(rest, ".") && Valid(token)
}
