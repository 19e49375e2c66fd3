package authjs

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Seal issues a session token as Auth.js's own encode does: claims (the
// bytes of a JSON object, as json.Marshal makes of a map or a struct) with
// "iat", "exp" (now + MaxAge, or 30 days) and a random "jti" set,
// A256CBC-HS512 under the first secret, with the key's thumbprint as
// "kid". Anything but a JSON object is refused. Chunking the result into
// cookies is left to the caller; Auth.js reads a single cookie of up to
// about 3900 characters.
func (c *Codec) Seal(claims []byte) (string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(claims, &m); err != nil || m == nil {
		return "", errors.New("authjs: claims must be a JSON object")
	}
	age := time.Duration(c.maxAge) * time.Second
	now := c.clock()
	m["iat"] = strconv.AppendInt(nil, now.Unix(), 10)
	m["exp"] = strconv.AppendInt(nil, now.Add(age).Unix(), 10)
	m["jti"] = json.RawMessage(`"` + rand.Text() + `"`)
	payload, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("authjs: claims: %w", err)
	}
	k := &c.keys.Get().pairs[0][0]
	enc, err := jose.NewEncrypter(k.enc, jose.Recipient{Algorithm: jose.DIRECT, Key: k.cek, KeyID: k.kid}, nil)
	if err != nil {
		return "", fmt.Errorf("authjs: %w", err)
	}
	obj, err := enc.Encrypt(payload)
	if err != nil {
		return "", fmt.Errorf("authjs: %w", err)
	}
	return obj.CompactSerialize()
}
