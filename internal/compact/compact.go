// Package compact checks the shape of JWE compact serializations before
// they reach a JOSE parser.
package compact

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/keyseal/keyseal"
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

// Sizes returns the lengths in bytes of the Initialization Vector and the
// Authentication Tag of enc (RFC 7518 §5.2.5, §5.3), for the content
// encryption algorithms keyseal opens; ok is false for any other.
func Sizes(enc string) (iv, tag int, ok bool) {
	switch enc {
	case "A256GCM":
		return 12, 16, true
	case "A256CBC-HS512":
		return 16, 32, true
	}
	return 0, 0, false
}

// Exact reports whether token is Direct with an Initialization Vector and
// an Authentication Tag of exactly the lengths enc needs. go-jose joins
// ciphertext and tag before it splits them again, and accepts any tag of
// at least 16 bytes, so bytes moved from the end of the ciphertext to the
// front of the tag (both parts re-encoded) made another spelling that
// opened; with both lengths fixed, a canonical token has one spelling.
func Exact(token, enc string) bool {
	ivSize, tagSize, ok := Sizes(enc)
	if !ok || !Direct(token) {
		return false
	}
	p := strings.Split(token, ".")
	return len(p[2]) == base64.RawURLEncoding.EncodedLen(ivSize) &&
		len(p[4]) == base64.RawURLEncoding.EncodedLen(tagSize)
}

// Algorithms refuses, with an error that wraps keyseal.ErrMalformed and says
// why, a protected header whose "alg" is not "dir" or whose "enc" is not
// one of allowed. The values quoted are cut to 16 bytes; they come from
// the token, never from a key.
func Algorithms(alg, enc string, allowed ...string) error {
	if alg != "dir" {
		return fmt.Errorf("%w: unsupported alg %q (only \"dir\")", keyseal.ErrMalformed, truncate(alg))
	}
	for _, a := range allowed {
		if enc == a {
			return nil
		}
	}
	if _, _, known := Sizes(enc); known && len(allowed) == 1 {
		return fmt.Errorf("%w: token enc %s but this codec uses %s", keyseal.ErrMalformed, enc, allowed[0])
	}
	return fmt.Errorf("%w: enc %q not allowed", keyseal.ErrMalformed, truncate(enc))
}

func truncate(s string) string {
	if len(s) > 16 {
		return s[:16] + "..."
	}
	return s
}
