package rails

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/keyseal/keyseal"
)

// Seal encrypts a session as Rails 6.0+ writes it with the JSON cookie
// serializer: session (the bytes of a JSON object, as json.Marshal makes
// of a map or a struct) in the metadata envelope with purpose "cookie." +
// CookieName and an expiry MaxAge from now, AES-256-GCM under the first
// secret, URL-escaped as Rack escapes cookie values: ready for
// http.Cookie.Value. Anything but a JSON object is refused; a value over
// MaxTokenSize (Rails refuses cookies over 4096 bytes) is
// keyseal.ErrTooLarge.
func (c *Codec) Seal(session []byte) (string, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(session, &obj); err != nil || obj == nil {
		return "", errors.New("rails: the session must be a JSON object")
	}
	exp := c.clock().UTC().Add(time.Duration(c.maxAge) * time.Second)
	type meta struct {
		Message string `json:"message"`
		Exp     string `json:"exp"`
		Pur     string `json:"pur"`
	}
	plain, err := json.Marshal(struct {
		Rails meta `json:"_rails"`
	}{meta{
		Message: base64.StdEncoding.EncodeToString(session),
		Exp:     exp.Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z07:00"),
		Pur:     "cookie." + c.name,
	}})
	if err != nil {
		return "", fmt.Errorf("rails: %w", err)
	}
	k := &(*c.keys.Get())[0]
	iv := make([]byte, k.gcm.NonceSize())
	rand.Read(iv)
	sealed := k.gcm.Seal(nil, iv, plain, nil)
	ct, tag := sealed[:len(plain)], sealed[len(plain):]
	enc := base64.StdEncoding.EncodeToString
	v := url.QueryEscape(enc(ct) + "--" + enc(iv) + "--" + enc(tag))
	if len(v) > c.maxToken {
		return "", keyseal.ErrTooLarge
	}
	return v, nil
}
