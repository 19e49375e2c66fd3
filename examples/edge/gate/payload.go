package gate

import (
	"encoding/binary"
	"encoding/json"
	"errors"
)

// The plaintext of a cookiesession token (cookiesession/payload.go) is
//
//	form [‖ uvarint extension length ‖ extension] ‖ uvarint schema version
//	‖ uvarint flash count ‖ flash count × (uvarint length ‖ bytes) ‖ data
//
// The high bit of the form byte says an extension follows: the session's
// own settings as records tag ‖ uvarint length ‖ value, tags increasing:
// 1 lifetime (flags, bit 0 a browser-session cookie; then its limits), 2
// stamp. The gate keeps a browser-session cookie one (no Max-Age when it
// re-seals) and refuses unknown tags or flags, as cookiesession does.
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

// userOf returns the user of a cookiesession plaintext, and whether its
// cookie is a browser-session one.
func userOf(plain []byte) (user string, browserSession bool, err error) {
	data, browserSession, err := payloadData(plain)
	if err != nil {
		return "", false, err
	}
	var d sessionData
	if err := json.Unmarshal(data, &d); err != nil {
		return "", false, ErrNoUser
	}
	if d.User == "" || !printable(d.User) {
		return "", false, ErrNoUser
	}
	return d.User, browserSession, nil
}

const (
	extFlag      = 0x80
	tagLifetime  = 1
	tagStamp     = 2
	flagBrowser  = 0x01
	knownLifeBit = flagBrowser
)

// payloadData skips the header of a cookiesession plaintext, checking
// every length against what is left, and reports the browser-session flag
// of its extension.
func payloadData(b []byte) (data []byte, browserSession bool, err error) {
	if len(b) < 1 {
		return nil, false, errPayload
	}
	form, ext := b[0]&^extFlag, b[0]&extFlag != 0
	if form != formJSON && form != formUnrecorded {
		return nil, false, errPayload
	}
	b = b[1:]
	if ext {
		l, n := binary.Uvarint(b)
		if n <= 0 || l == 0 || l > uint64(len(b)-n) {
			return nil, false, errPayload
		}
		if browserSession, err = parseExt(b[n : n+int(l)]); err != nil {
			return nil, false, err
		}
		b = b[n+int(l):]
	}
	if _, n := binary.Uvarint(b); n <= 0 {
		return nil, false, errPayload
	} else {
		b = b[n:]
	}
	count, n := binary.Uvarint(b)
	if n <= 0 || count > uint64(len(b)-n) {
		return nil, false, errPayload
	}
	b = b[n:]
	for range count {
		l, n := binary.Uvarint(b)
		if n <= 0 || l > uint64(len(b)-n) {
			return nil, false, errPayload
		}
		b = b[n+int(l):]
	}
	return b, browserSession, nil
}

// parseExt reads the extension records: known tags in increasing order,
// none empty; it returns the lifetime's browser-session flag.
func parseExt(b []byte) (browserSession bool, err error) {
	last := byte(0)
	for len(b) > 0 {
		tag := b[0]
		l, n := binary.Uvarint(b[1:])
		if tag <= last || (tag != tagLifetime && tag != tagStamp) || n <= 0 || l == 0 || l > uint64(len(b)-1-n) {
			return false, errPayload
		}
		v := b[1+n : 1+n+int(l)]
		if tag == tagLifetime {
			if v[0]&^knownLifeBit != 0 {
				return false, errPayload
			}
			browserSession = v[0]&flagBrowser != 0
		}
		last, b = tag, b[1+n+int(l):]
	}
	return browserSession, nil
}
