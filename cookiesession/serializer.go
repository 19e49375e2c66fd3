package cookiesession

import (
	"encoding"
	"encoding/json"
	"fmt"
)

// Serializer encodes session data to bytes and back. v is always a
// pointer to the session's data type. Unmarshal must not keep data after
// it returns (its buffer is reused). Implementations must be safe for
// concurrent use.
type Serializer interface {
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
}

// JSON is the default [Serializer], encoding/json. Set it as
// Config.Serializer to keep JSON for a type that has a binary form.
type JSON struct{}

// Marshal returns the JSON encoding of v.
func (JSON) Marshal(v any) ([]byte, error) { return json.Marshal(v) }

// Unmarshal decodes JSON data into v.
func (JSON) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// binaryForm is what a session type implements to skip the Serializer and
// append its own binary form straight into the sealed plaintext.
type binaryForm interface {
	encoding.BinaryAppender
	encoding.BinaryUnmarshaler
}

// form is the serialized form of a session's data, recorded in the first
// byte of the sealed plaintext (payload.go).
type form byte

const (
	// formUnrecorded: written before the form was recorded, in the
	// Manager's form of the time.
	formUnrecorded form = 1 + iota
	formJSON            // encoding/json
	formBinary          // T's AppendBinary and UnmarshalBinary
	formSerializer      // a Config.Serializer other than JSON
	lastForm       = formSerializer
)

func (f form) String() string {
	switch f {
	case formJSON:
		return "JSON"
	case formBinary:
		return "the type's binary form"
	case formSerializer:
		return "a Config.Serializer"
	}
	return "an unrecorded form"
}

// dataForm is the serialized form of a Manager, resolved once for T.
type dataForm[T any] struct {
	form   form
	append func(dst []byte, v *T) ([]byte, error)
	decode func(data []byte, v *T) error
	binary func(data []byte, v *T) error // T's binary form; nil if *T has none
}

// newDataForm picks cfg's Serializer, else T's binary form, else JSON.
func newDataForm[T any](s Serializer) dataForm[T] {
	var d dataForm[T]
	if _, ok := any(new(T)).(binaryForm); ok {
		d.binary = func(data []byte, v *T) error { return any(v).(binaryForm).UnmarshalBinary(data) }
	}
	if s == nil && d.binary != nil {
		d.form = formBinary
		d.append = func(dst []byte, v *T) ([]byte, error) { return any(v).(binaryForm).AppendBinary(dst) }
		d.decode = d.binary
		return d
	}
	d.form = formSerializer
	switch s.(type) {
	case nil:
		s = JSON{}
		d.form = formJSON
	case JSON, *JSON:
		d.form = formJSON
	}
	d.append = func(dst []byte, v *T) ([]byte, error) {
		b, err := s.Marshal(v)
		return append(dst, b...), err
	}
	d.decode = func(data []byte, v *T) error { return s.Unmarshal(data, v) }
	return d
}

// reads reports whether data written in form f can be decoded: in the
// Manager's own form, or in JSON or T's binary form, which need no
// configuration. A Config.Serializer that is gone cannot be guessed.
func (d *dataForm[T]) reads(f form) bool {
	return f == d.form || f == formUnrecorded || f == formJSON || f == formBinary && d.binary != nil
}

// decodeAs decodes data written in form f, which d reads, into v, and
// reports whether it was in another form than d's, so that the session
// is re-sealed in d's form.
func (d *dataForm[T]) decodeAs(f form, data []byte, v *T) (other bool, err error) {
	switch f {
	case d.form:
		return false, d.decode(data, v)
	case formJSON:
		return true, json.Unmarshal(data, v)
	case formBinary:
		return true, d.binary(data, v)
	}
	// Unrecorded: written in the Manager's form of the time, JSON or T's
	// binary form unless a Serializer was set: try both, so that T
	// gaining binary methods (or a JSON Serializer set for a T that has
	// them) logs no one out. JSON goes first: it refuses binary data, where a lenient
	// UnmarshalBinary could take JSON for data.
	if d.form == formSerializer || d.binary == nil {
		return false, d.decode(data, v)
	}
	jerr := json.Unmarshal(data, v)
	if jerr == nil {
		return d.form != formJSON, nil
	}
	var zero T
	*v = zero // what the failed attempt left
	berr := d.binary(data, v)
	switch {
	case berr == nil:
		return d.form != formBinary, nil
	case d.form == formJSON:
		return false, jerr
	}
	return false, berr
}

// formError is the reason a session written in a form the Manager no
// longer reads is refused.
func formError(written, reads form) error {
	return fmt.Errorf("%w: written in %s, the Manager reads %s", ErrForm, written, reads)
}
