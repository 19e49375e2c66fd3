package nodesession

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"

	"github.com/keyseal/keyseal"
)

// Seal seals a session as iron-session's save does, for the app to read:
// session (the bytes of a JSON object, as json.Marshal makes of a map or
// a struct) under the password of the highest ID, with fresh random salts
// and IV, expiring TTL from now, with the "~2" marker. Anything but a JSON
// object in UTF-8 is refused, and a seal longer than MaxTokenSize is
// keyseal.ErrTooLarge. A seal over 4096 bytes needs iron-session's chunk
// option, and splitting it into cookies is left to the caller.
func (c *Iron) Seal(session []byte) (string, error) {
	if !jsonObject(session) {
		return "", errors.New("nodesession: the session must be a JSON object in UTF-8")
	}
	m := c.pw.Get()
	if m == nil {
		return "", errors.New("nodesession: Iron not made by NewIron")
	}
	id := c.ids[len(c.ids)-1]
	pw := (*m)[id]
	var salts [2][32]byte
	var iv [aes.BlockSize]byte
	rand.Read(salts[0][:])
	rand.Read(salts[1][:])
	rand.Read(iv[:])
	encSalt, macSalt := hex.EncodeToString(salts[0][:]), hex.EncodeToString(salts[1][:])
	key, err := ironKey(pw, encSalt)
	if err != nil {
		return "", err
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	n := aes.BlockSize - len(session)%aes.BlockSize
	ct := make([]byte, len(session)+n)
	copy(ct, session)
	for i := len(session); i < len(ct); i++ {
		ct[i] = byte(n)
	}
	cipher.NewCBCEncrypter(b, iv[:]).CryptBlocks(ct, ct)

	b64 := base64.RawURLEncoding
	exp := c.clock().UnixMilli() + c.ttl
	signed := ironPrefix + "*" + strconv.FormatUint(uint64(id), 10) + "*" + encSalt + "*" +
		b64.EncodeToString(iv[:]) + "*" + b64.EncodeToString(ct) + "*" + strconv.FormatInt(exp, 10)
	macKey, err := ironKey(pw, macSalt)
	if err != nil {
		return "", err
	}
	h := hmac.New(sha256.New, macKey)
	h.Write([]byte(signed))
	seal := signed + "*" + macSalt + "*" + b64.EncodeToString(h.Sum(nil)) + ironSuffix
	if len(seal) > c.maxToken {
		return "", keyseal.ErrTooLarge
	}
	return seal, nil
}
