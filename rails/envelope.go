package rails

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/keyseal/keyseal"
)

// envelope is a decrypted cookie: the serialized session and the
// metadata Rails 6.0+ wraps around it.
type envelope struct {
	message []byte
	purpose string // "" when none
	exp     time.Time
	hasExp  bool
}

// unwrap reads Rails' metadata envelope,
// {"_rails":{"message":base64(session),"exp":iso8601,"pur":purpose}}
// ("data": session, instead of "message", since Rails 7.1), or takes
// plain as the bare session when it is not one, as Rails does. Member
// names match exactly, as in Ruby (encoding/json would take "_RAILS").
func unwrap(plain []byte) (envelope, error) {
	var outer map[string]json.RawMessage
	if json.Unmarshal(plain, &outer) != nil {
		return envelope{message: plain}, nil
	}
	r, ok := outer["_rails"]
	if !ok {
		return envelope{message: plain}, nil
	}
	malformed := func(why string) (envelope, error) {
		return envelope{}, fmt.Errorf("%w: metadata: %s", keyseal.ErrMalformed, why)
	}
	var meta map[string]json.RawMessage
	if err := json.Unmarshal(r, &meta); err != nil || meta == nil {
		return malformed("not an object")
	}
	var env envelope
	if m, ok := meta["message"]; ok {
		var s string
		if json.Unmarshal(m, &s) != nil {
			return malformed("message is not a string")
		}
		b, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return malformed("message is not base64")
		}
		env.message = b
	} else if d, ok := meta["data"]; ok {
		env.message = d
	} else {
		return malformed("no message")
	}
	var exp, pur *string
	if json.Unmarshal(nullable(meta["exp"]), &exp) != nil || json.Unmarshal(nullable(meta["pur"]), &pur) != nil {
		return malformed("exp or pur is not a string")
	}
	if pur != nil {
		env.purpose = *pur
	}
	if exp != nil {
		t, err := time.Parse(time.RFC3339Nano, *exp)
		if err != nil {
			return malformed("exp is not an ISO 8601 time")
		}
		env.exp, env.hasExp = t, true
	}
	return env, nil
}

// nullable returns raw, or JSON null for a missing member.
func nullable(raw json.RawMessage) json.RawMessage {
	if raw == nil {
		return json.RawMessage("null")
	}
	return raw
}
