package nodesession

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/keyseal/keyseal"
)

// IronValues returns a function that opens iron-session cookies and
// decodes the session into a T with encoding/json, returning it with its
// times: what cookiesession.Legacy's Decode takes. The cookie's name is
// not checked, since iron seals do not carry it.
func IronValues[T any](c *Iron) func(name, value string) (T, keyseal.Meta, error) {
	return func(_, value string) (T, keyseal.Meta, error) {
		return decodeJSON[T](c.Open(value))
	}
}

// decodeJSON decodes an opened session into a T.
func decodeJSON[T any](data []byte, m keyseal.Meta, err error) (T, keyseal.Meta, error) {
	var v T
	if err != nil {
		return v, keyseal.Meta{}, err
	}
	if err := json.Unmarshal(data, &v); err != nil {
		var zero T
		return zero, keyseal.Meta{}, fmt.Errorf("%w: decoding the session: %v", keyseal.ErrMalformed, err)
	}
	return v, m, nil
}

// CookieSessionValues returns a function that opens cookie-session
// cookies and decodes the session into a T with encoding/json: what
// cookiesession.Legacy's Decode takes, with Legacy.Signature set to the
// name of the signature cookie (Name + ".sig"), so that value is the
// session cookie's value and the signature's, joined by a '.'.
func CookieSessionValues[T any](c *CookieSession) func(name, value string) (T, keyseal.Meta, error) {
	return func(name, value string) (T, keyseal.Meta, error) {
		i := strings.LastIndexByte(value, '.')
		if i < 0 {
			var zero T
			return zero, keyseal.Meta{}, fmt.Errorf("%w: no signature", keyseal.ErrAuth)
		}
		return decodeJSON[T](c.Open(name, value[:i], value[i+1:]))
	}
}
