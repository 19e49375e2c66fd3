package flask

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/keyseal/keyseal"
)

// Flask's tags (flask.json.tag): an object with a single member named by
// one of them stands for a Python value JSON has no type for.
const (
	tagDict   = " di" // a dict whose only key is a tag: {key + "__": value}
	tagTuple  = " t"
	tagBytes  = " b" // standard base64
	tagMarkup = " m"
	tagUUID   = " u" // 32 hex digits
	tagTime   = " d" // an HTTP date
)

var tags = map[string]bool{tagDict: true, tagTuple: true, tagBytes: true, tagMarkup: true, tagUUID: true, tagTime: true}

// parse decodes JSON keeping numbers as they are written.
func parse(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("data after the value")
	}
	return v, nil
}

// untag turns a session's tagged JSON into plain JSON, innermost values
// first as Flask's object hook does. The session must be an object.
func untag(b []byte) ([]byte, error) {
	v, err := parse(b)
	if err != nil {
		return nil, fmt.Errorf("%w: session JSON: %v", keyseal.ErrMalformed, err)
	}
	if v, err = untagValue(v); err != nil {
		return nil, fmt.Errorf("%w: %v", keyseal.ErrMalformed, err)
	}
	// Checked once untagged: {" t": []} is a tuple, not a session.
	if _, ok := v.(map[string]any); !ok {
		return nil, fmt.Errorf("%w: the session is not an object", keyseal.ErrMalformed)
	}
	return json.Marshal(v)
}

func untagValue(v any) (any, error) {
	var err error
	switch x := v.(type) {
	case []any:
		for i := range x {
			if x[i], err = untagValue(x[i]); err != nil {
				return nil, err
			}
		}
	case map[string]any:
		for k := range x {
			if x[k], err = untagValue(x[k]); err != nil {
				return nil, err
			}
		}
		if len(x) == 1 {
			for k, inner := range x {
				if tags[k] {
					return untagOne(k, inner)
				}
			}
		}
	}
	return v, nil
}

// untagOne converts the value of one tag.
func untagOne(tag string, v any) (any, error) {
	bad := func() (any, error) { return nil, fmt.Errorf("tag %q of a %T", tag, v) }
	s, isString := v.(string)
	switch tag {
	case tagTuple:
		if _, ok := v.([]any); !ok {
			return bad()
		}
		return v, nil
	case tagDict:
		m, ok := v.(map[string]any)
		if !ok || len(m) != 1 {
			return bad()
		}
		for k, inner := range m {
			if !strings.HasSuffix(k, "__") {
				return bad()
			}
			return map[string]any{k[:len(k)-2]: inner}, nil
		}
	case tagBytes:
		if _, err := base64.StdEncoding.DecodeString(s); !isString || err != nil {
			return bad()
		}
		return s, nil
	case tagMarkup:
		if !isString {
			return bad()
		}
		return s, nil
	case tagUUID:
		if _, err := hex.DecodeString(s); !isString || len(s) != 32 || err != nil {
			return bad()
		}
		s = strings.ToLower(s)
		return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:], nil
	case tagTime:
		t, err := http.ParseTime(s)
		if !isString || err != nil {
			return bad()
		}
		return t.UTC().Format(time.RFC3339), nil
	}
	return bad()
}

// escape wraps every object whose only member is named like a tag as
// Flask does, so that Flask reads it back as that object.
func escape(v any) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = escape(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = escape(x[k])
		}
		if len(x) == 1 {
			for k, inner := range x {
				if tags[k] {
					return map[string]any{tagDict: map[string]any{k + "__": inner}}
				}
			}
		}
	}
	return v
}
