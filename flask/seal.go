package flask

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/keyseal/keyseal"
)

// Seal signs a session as Flask does: session (the bytes of a JSON
// object, as json.Marshal makes of a map or a struct) as compact JSON,
// zlib-compressed when that is shorter, signed now under the first
// secret. Objects whose only member is named like one of Flask's tags
// are escaped as Flask escapes them. Go values Flask would tag (bytes,
// times) arrive in Flask as the strings encoding/json makes of them.
// Anything but a JSON object is refused; a value over MaxTokenSize is
// keyseal.ErrTooLarge.
func (c *Codec) Seal(session []byte) (string, error) {
	v, err := parse(session)
	if _, ok := v.(map[string]any); err != nil || !ok {
		return "", errors.New("flask: the session must be a JSON object")
	}
	plain, err := json.Marshal(escape(v))
	if err != nil {
		return "", fmt.Errorf("flask: %w", err)
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(plain)
	zw.Close()
	payload := b64.EncodeToString(plain)
	if z.Len() < len(plain)-1 { // itsdangerous' rule
		payload = "." + b64.EncodeToString(z.Bytes())
	}
	v2 := c.signPayload(payload)
	if len(v2) > c.maxToken {
		return "", keyseal.ErrTooLarge
	}
	return v2, nil
}

// signPayload appends the time, now, and the signature under the first
// secret to an encoded payload.
func (c *Codec) signPayload(payload string) string {
	var ts []byte // big-endian, without leading zeros
	for u := c.clock().Unix(); u > 0; u >>= 8 {
		ts = append([]byte{byte(u)}, ts...)
	}
	signed := payload + "." + b64.EncodeToString(ts)
	return signed + "." + b64.EncodeToString(sign((*c.keys.Get())[0], signed))
}
