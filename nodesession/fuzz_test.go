package nodesession_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/nodesession"
)

// FuzzIronOpen feeds Open arbitrary seals: no panic, only sentinel
// errors, and what opens is a JSON object.
func FuzzIronOpen(f *testing.F) {
	c := newIron(f, nodesession.IronConfig{TTL: time.Hour})
	for _, s := range []string{`{}`, `{"user":"ann"}`, `{"a":[1,2,{"b":null}]}`} {
		seal, err := c.Seal([]byte(s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seal)
		f.Add(strings.TrimSuffix(seal, "~2"))
	}
	f.Add("Fe26.2*1*" + strings.Repeat("0", 64) + "*AAAAAAAAAAAAAAAAAAAAAA*AAAAAAAAAAAAAAAAAAAAAA*1*" + strings.Repeat("0", 64) + "*AAAA~2")
	f.Add("Fe26.2*******")
	f.Add("")
	sentinels := []error{keyseal.ErrMalformed, keyseal.ErrAuth, keyseal.ErrUnknownKey, keyseal.ErrExpired,
		keyseal.ErrNotYetValid, keyseal.ErrTooLarge, keyseal.ErrUnsupportedVersion}
	f.Fuzz(func(t *testing.T, seal string) {
		data, _, err := c.Open(seal)
		if err != nil {
			if !testkit.IsAny(err, sentinels...) {
				t.Fatalf("error %v is not a sentinel", err)
			}
			return
		}
		if d := bytes.TrimLeft(data, " \t\r\n"); len(d) == 0 || d[0] != '{' {
			t.Fatalf("opened to %q", data)
		}
	})
}
