package rails_test

import (
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/rails"
)

// FuzzOpen feeds arbitrary cookie values to codecs of both key hashes:
// no panic, only sentinel errors, and nothing opens but genuine cookies.
func FuzzOpen(f *testing.F) {
	golden := loadGolden(f)
	for _, g := range golden {
		f.Add(g.Value)
	}
	f.Add("YWJj--" + "0123456789012345678901234567890123456789")
	f.Add("a--b--c")
	f.Add("%ZZ")
	f.Add("")
	codecs := []*rails.Codec{golden[0].codec(f), newCodec(f, rails.Config{Clock: func() time.Time { return testkit.Epoch }})}
	sentinels := []error{keyseal.ErrMalformed, keyseal.ErrAuth, keyseal.ErrExpired, keyseal.ErrTooLarge}
	f.Fuzz(func(t *testing.T, value string) {
		for _, c := range codecs {
			if _, _, err := c.Open(value); err != nil && !testkit.IsAny(err, sentinels...) {
				t.Fatalf("error %v is not a sentinel", err)
			}
		}
	})
}
