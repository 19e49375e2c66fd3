package rails

import (
	"encoding/json"
	"fmt"

	"github.com/keyseal/keyseal"
)

// Values returns a function that opens a Rails session cookie named name
// (its purpose must be "cookie." + name) and decodes its JSON into a T:
// what cookiesession.Legacy's Decode takes, with Kind format.Any. Rails
// sessions hold string keys such as "session_id", "_csrf_token" and the
// app's own ("user_id", or Devise's "warden.user.user.key").
func Values[T any](c *Codec) func(name, value string) (T, keyseal.Meta, error) {
	return func(name, value string) (T, keyseal.Meta, error) {
		var v T
		data, m, err := c.open(name, value)
		if err != nil {
			return v, m, err
		}
		if err := json.Unmarshal(data, &v); err != nil {
			return v, keyseal.Meta{}, fmt.Errorf("%w: decoding the session: %v", keyseal.ErrMalformed, err)
		}
		return v, m, nil
	}
}
