package flask

import (
	"encoding/json"
	"fmt"

	"github.com/keyseal/keyseal"
)

// Values returns a function that opens a Flask session cookie and
// decodes its JSON into a T: what cookiesession.Legacy's Decode takes,
// with Kind format.Any. Flask binds no cookie name into its cookies, so
// the name is not checked.
func Values[T any](c *Codec) func(name, value string) (T, keyseal.Meta, error) {
	return func(_, value string) (T, keyseal.Meta, error) {
		var v T
		data, m, err := c.Open(value)
		if err != nil {
			return v, m, err
		}
		if err := json.Unmarshal(data, &v); err != nil {
			return v, keyseal.Meta{}, fmt.Errorf("%w: decoding the session: %v", keyseal.ErrMalformed, err)
		}
		return v, m, nil
	}
}
