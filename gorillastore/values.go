package gorillastore

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"strings"

	"github.com/keyseal/keyseal"
)

// ErrEncode is returned by Save when a session's values cannot be
// gob-encoded, usually because a concrete type stored in them was not
// registered with gob.Register. Nothing is written.
var ErrEncode = errors.New("gorillastore: session values cannot be gob-encoded")

// encodeValues serializes values as gorilla's CookieStore does (securecookie's
// GobEncoder): one gob value of type map[interface{}]interface{}.
func encodeValues(values map[any]any) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(values); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeValues deserializes what encodeValues wrote. It is only given the
// plaintext of an authenticated token, which the codec bounds by
// Config.MaxTokenSize (compressed or not), so gob never reads more than a
// cookie's worth.
func decodeValues(plain []byte) (map[any]any, error) {
	var values map[any]any
	if err := gob.NewDecoder(bytes.NewReader(plain)).Decode(&values); err != nil {
		// gob names unregistered types here: a hint for the operator,
		// from a token this store sealed, not a secret.
		return nil, fmt.Errorf("%w: decoding session values: %v", keyseal.ErrMalformed, err)
	}
	if values == nil {
		values = map[any]any{}
	}
	return values, nil
}

// validName reports whether name can be a cookie's name: a non-empty
// RFC 7230 token (visible ASCII without separators).
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		if b <= ' ' || b >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, b) >= 0 {
			return false
		}
	}
	return true
}
