package legacy

import "github.com/keyseal/keyseal/codec"

// DecodeSession decodes the value of a gorilla/sessions CookieStore
// cookie: a gob-encoded map[interface{}]interface{}. The decoder must use
// the Gob serializer, and every concrete type stored in sessions must be
// registered with gob.Register, as the application that wrote them did.
func (d *Decoder) DecodeSession(name, value string) (map[any]any, codec.Meta, error) {
	var values map[any]any
	m, err := d.Decode(name, value, &values)
	if err != nil {
		return nil, m, err
	}
	return values, m, nil
}

// Func is the shape of a legacy reader for sessions of type T: it opens a
// cookie value issued under name and returns the session with its times.
// A session manager can hold a list of them and re-seal what they open in
// the native format.
type Func[T any] func(name, value string) (T, codec.Meta, error)

// Values returns a [Func] that decodes securecookie values directly into a
// T (with the decoder's serializer).
func Values[T any](d *Decoder) Func[T] {
	return func(name, value string) (T, codec.Meta, error) {
		var v T
		m, err := d.Decode(name, value, &v)
		return v, m, err
	}
}

// Sessions returns a [Func] that decodes gorilla/sessions values and maps
// them into a T with hook. An error from hook is returned as is.
func Sessions[T any](d *Decoder, hook func(map[any]any) (T, error)) Func[T] {
	return func(name, value string) (T, codec.Meta, error) {
		var zero T
		values, m, err := d.DecodeSession(name, value)
		if err != nil {
			return zero, m, err
		}
		v, err := hook(values)
		if err != nil {
			return zero, codec.Meta{}, err
		}
		return v, m, nil
	}
}
