package legacy

import (
	"github.com/keyseal/keyseal"
)

// DecodeSession decodes the value of a gorilla/sessions CookieStore
// cookie: a gob-encoded map[interface{}]interface{}. The decoder must use
// GobEncoding, and every concrete type stored in sessions must be
// registered with gob.Register, as the application that wrote them did.
func (d *Decoder) DecodeSession(name, value string) (map[any]any, keyseal.Meta, error) {
	var values map[any]any
	m, err := d.Decode(name, value, &values)
	if err != nil {
		return nil, m, err
	}
	return values, m, nil
}

// Values returns a function that decodes securecookie values issued under
// a cookie name directly into a T (with the decoder's encoding), returning
// the session with its times: what cookiesession.Legacy's Decode takes.
func Values[T any](d *Decoder) func(name, value string) (T, keyseal.Meta, error) {
	return func(name, value string) (T, keyseal.Meta, error) {
		var v T
		m, err := d.Decode(name, value, &v)
		return v, m, err
	}
}

// Sessions returns a function that decodes gorilla/sessions values and
// maps them into a T with hook, as cookiesession.Legacy's Decode takes
// them. An error from hook is returned as is.
func Sessions[T any](d *Decoder, hook func(map[any]any) (T, error)) func(name, value string) (T, keyseal.Meta, error) {
	return func(name, value string) (T, keyseal.Meta, error) {
		var zero T
		values, m, err := d.DecodeSession(name, value)
		if err != nil {
			return zero, m, err
		}
		v, err := hook(values)
		if err != nil {
			return zero, keyseal.Meta{}, err
		}
		return v, m, nil
	}
}
