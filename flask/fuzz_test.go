package flask_test

import (
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/flask"
	"github.com/keyseal/keyseal/internal/testkit"
)

// FuzzOpen feeds arbitrary cookie values to a codec: no panic, only
// sentinel errors.
func FuzzOpen(f *testing.F) {
	golden := loadGolden(f)
	for _, g := range golden {
		f.Add(g.Value)
	}
	f.Add("eyJhIjoxfQ.AAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("..")
	f.Add("")
	c := golden[0].codec(f)
	sentinels := []error{keyseal.ErrMalformed, keyseal.ErrAuth, keyseal.ErrExpired, keyseal.ErrNotYetValid, keyseal.ErrTooLarge}
	f.Fuzz(func(t *testing.T, value string) {
		if _, _, err := c.Open(value); err != nil && !testkit.IsAny(err, sentinels...) {
			t.Fatalf("error %v is not a sentinel", err)
		}
	})
}

// FuzzPayload signs arbitrary payloads with a known secret, so they pass
// the signature, compressed or not: a genuine but hostile session (a
// leaked secret) yields the JSON of an object or an error, never a panic
// nor more than MaxSessionSize of output.
func FuzzPayload(f *testing.F) {
	f.Add([]byte(`{"a":{" t":[1,{" b":"AAEC"}]},"d":{" d":"Wed, 21 Oct 2015 07:28:00 GMT"}}`), false)
	f.Add([]byte(`{" di":{" t__":1}}`), true)
	f.Add([]byte(`{"u":{" u":"0123456789abcdef0123456789abcdef"},"m":{" m":"<b>"}}`), true)
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`), true)
	c := newCodec(f, flask.Config{})
	f.Fuzz(func(t *testing.T, payload []byte, compress bool) {
		value, ok := flask.InternalSign(c, payload, compress)
		if !ok {
			t.Skip()
		}
		data, _, err := c.Open(value)
		if err != nil {
			if !testkit.IsAny(err, keyseal.ErrMalformed, keyseal.ErrTooLarge) {
				t.Fatalf("error %v is neither ErrMalformed nor ErrTooLarge", err)
			}
			return
		}
		if len(data) == 0 || data[0] != '{' {
			t.Fatalf("session %q is not an object", data)
		}
	})
}
