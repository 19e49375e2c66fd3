package compact_test

import (
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
