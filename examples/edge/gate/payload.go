package gate

import (
	"encoding/binary"
	"encoding/json"
	"errors"
)

// The plaintext of a cookiesession token (cookiesession/payload.go) is
//
//	form ‖ uvarint schema version ‖ uvarint flash count
//	‖ flash count × (uvarint length ‖ bytes) ‖ data
//
// where data is the session value in the form the first byte names: 0x02
// JSON (the default), 0x01 written before the form was recorded (JSON
// unless the type has a binary form); 0x03 (the type's binary form) and
// 0x04 (a Serializer of the app's) are not JSON, so the gate refuses them. cookiesession does not export this layout; the
// end-to-end test (e2e/) opens real cookiesession cookies, so a change
// there fails it.
const (
	formUnrecorded = 1
	formJSON       = 2
)

var errPayload = errors.New("gate: session payload is not a JSON cookiesession payload")

// sessionData is the part of the session value the gate reads: the
// origin's session type has a "user" member in its JSON.
type sessionData struct {
	User string `json:"user"`
}

// userOf returns the user of a cookiesession plaintext.
func userOf(plain []byte) (string, error) {
	data, err := payloadData(plain)
	if err != nil {
		return "", err
	}
	var d sessionData
	if err := json.Unmarshal(data, &d); err != nil {
		return "", ErrNoUser
	}
	if d.User == "" || !printable(d.User) {
		return "", ErrNoUser
	}
	return d.User, nil
}

// payloadData skips the header of a cookiesession plaintext, checking
// every length against what is left.
func payloadData(b []byte) ([]byte, error) {
	if len(b) < 1 || (b[0] != formJSON && b[0] != formUnrecorded) {
		return nil, errPayload
	}
	b = b[1:]
	if _, n := binary.Uvarint(b); n <= 0 {
		return nil, errPayload
	} else {
		b = b[n:]
	}
	count, n := binary.Uvarint(b)
	if n <= 0 || count > uint64(len(b)-n) {
		return nil, errPayload
	}
	b = b[n:]
	for range count {
		l, n := binary.Uvarint(b)
		if n <= 0 || l > uint64(len(b)-n) {
			return nil, errPayload
		}
		b = b[n+int(l):]
	}
	return b, nil
}
