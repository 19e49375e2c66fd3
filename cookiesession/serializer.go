package cookiesession

import (
	"encoding"
	"encoding/json"
)

// Serializer encodes session data to bytes and back. v is always a
// pointer to the session's data type. Unmarshal must not keep data after
// it returns (its buffer is reused). Implementations must be safe for
// concurrent use.
type Serializer interface {
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
}

// JSON is the default [Serializer], encoding/json.
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

// dataForm is the Serializer of a Manager, resolved once for T.
type dataForm[T any] struct {
	append func(dst []byte, v *T) ([]byte, error)
	decode func(data []byte, v *T) error
}

// newDataForm picks cfg's Serializer, else T's binary form, else JSON.
func newDataForm[T any](s Serializer) dataForm[T] {
	if s == nil {
		if _, ok := any(new(T)).(binaryForm); ok {
			return dataForm[T]{
				append: func(dst []byte, v *T) ([]byte, error) { return any(v).(binaryForm).AppendBinary(dst) },
				decode: func(data []byte, v *T) error { return any(v).(binaryForm).UnmarshalBinary(data) },
			}
		}
		s = JSON{}
	}
	return dataForm[T]{
		append: func(dst []byte, v *T) ([]byte, error) {
			b, err := s.Marshal(v)
			return append(dst, b...), err
		},
		decode: func(data []byte, v *T) error { return s.Unmarshal(data, v) },
	}
}
