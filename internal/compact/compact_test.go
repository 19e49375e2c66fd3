package compact_test

import (
	"strings"
	"testing"

	"github.com/keyseal/keyseal/internal/compact"
)

func TestValid(t *testing.T) {
	for in, want := range map[string]bool{
		"eyJ9.AA.AAA.AAAA.":  true,
		"....":               true,
		"eyJ9.AB.AAA.AAAA.":  false, // "AB": nonzero unused bits
		"eyJ9.AA.AAB.AAAA.":  false,
		"eyJ9.A.AA.AAAA.":    false, // one character is never a whole byte
		"eyJ9.AA.AA.AA":      false, // four parts
		"eyJ9.AA.AA.AA.AA.A": false, // six
		"eyJ9.A=.AA.AA.AA":   false,
		"eyJ9.A+.AA.AA.AA":   false, // standard, not URL, alphabet
		// Go's base64 decoders skip CR and LF: each would be another
		// spelling of the same token.
		"eyJ9.AA.AAA.AA\nAA.":       false,
		"eyJ9.AA.AAA.AA\r\nAA.":     false,
		"ey\r\nJ9.AA.AAA.AAAA.":     false,
		"eyJ9.AA.AAA.AAAA.\n\n\n\n": false,
		"eyJ9.AA.AAA. AAAA.":        false,
		"eyJ9.AA.AAA.AAAA.\x00":     false,
		"eyJ9.AA.AAA.AAAA.\xff":     false,
	} {
		if got := compact.Valid(in); got != want {
			t.Errorf("Valid(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestDirect(t *testing.T) {
	for in, want := range map[string]bool{
		"eyJ9..AAA.AAAA.AA": true,
		"....":              true,
		"eyJ9.AA.AAA.AAAA.": false, // an encrypted key
		"eyJ9..AB.AAAA.":    false, // not Valid
		"eyJ9":              false,
		"":                  false,
	} {
		if got := compact.Direct(in); got != want {
			t.Errorf("Direct(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestExact(t *testing.T) {
	iv12, iv16 := strings.Repeat("A", 16), strings.Repeat("A", 22)
	tag16, tag32 := strings.Repeat("A", 22), strings.Repeat("A", 43)
	for _, tc := range []struct {
		token, enc string
		want       bool
	}{
		{"eyJ9.." + iv12 + ".AAAA." + tag16, "A256GCM", true},
		{"eyJ9.." + iv16 + ".AAAA." + tag32, "A256CBC-HS512", true},
		{"eyJ9.." + iv12 + ".." + tag16, "A256GCM", true}, // empty plaintext
		{"eyJ9.." + iv16 + ".AAAA." + tag32, "A256GCM", false},
		{"eyJ9.." + iv12 + ".AAAA." + tag16, "A256CBC-HS512", false},
		{"eyJ9.." + iv12 + ".AA." + tag16 + "A", "A256GCM", false}, // a byte moved to the tag
		{"eyJ9.." + iv12 + ".AAAA." + tag16[:20], "A256GCM", false},
		{"eyJ9.." + iv12 + "AA.AAAA." + tag16, "A256GCM", false},
		{"eyJ9.AA." + iv12 + ".AAAA." + tag16, "A256GCM", false}, // not Direct
		{"eyJ9.." + iv12 + ".AAAA." + tag16, "A128GCM", false},
		{"eyJ9.." + iv12[:15] + "B.AAAA." + tag16, "A256GCM", true},
		{"eyJ9.." + iv12 + ".AAAA." + tag16[:21] + "B", "A256GCM", false}, // non-canonical
	} {
		if got := compact.Exact(tc.token, tc.enc); got != tc.want {
			t.Errorf("Exact(%q, %s) = %v, want %v", tc.token, tc.enc, got, tc.want)
		}
	}
}
