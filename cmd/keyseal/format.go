package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/format"
	"github.com/keyseal/keyseal/jwe"
	"github.com/keyseal/keyseal/keyring"
	"github.com/keyseal/keyseal/legacy"
)

// tokenFormat is one token format seal and open know. Adding a format is
// adding one entry to formats; --format auto picks the entry whose kind
// format.Detect returns, from the token's first characters, without trying
// any decryption.
type tokenFormat struct {
	name string
	kind format.Kind
	// needsRing and needsName say whether the format uses the keyring and
	// --name: JWE tokens are not bound to a name, and securecookie values
	// are opened with their own keys.
	needsRing, needsName bool
	seal                 func(o codecOptions, plaintext []byte) (string, error) // nil if open-only
	open                 func(o codecOptions, token string) ([]byte, keyseal.Meta, error)
}

// codecOptions are what seal and open pass to a format.
type codecOptions struct {
	ring   *keyring.Ring
	name   string
	cfg    codec.Config
	enc    string         // JWE "enc"
	legacy *legacy.Config // securecookie keys and cutoff; nil when not given
}

var formats = []tokenFormat{
	{name: "native", kind: format.Native, needsRing: true, needsName: true, seal: sealNative, open: openNative},
	{name: "jwe", kind: format.JWE, needsRing: true, seal: sealJWE, open: openJWE},
	{name: "securecookie", kind: format.SecureCookie, needsName: true, open: openSecureCookie},
}

// findFormat returns the format named name, for sealing if seal is set.
func findFormat(name string, seal bool) (tokenFormat, error) {
	for _, f := range formats {
		if f.name != name {
			continue
		}
		if seal && f.seal == nil {
			return tokenFormat{}, usageErrorf("format %q can only be opened: keyseal does not write it", name)
		}
		return f, nil
	}
	return tokenFormat{}, usageErrorf("unknown format %q", name)
}

// detectFormat returns the format of token for --format auto. A token of
// no known shape goes to the native format, which says why it does not
// open.
func detectFormat(token string) tokenFormat {
	k := format.Detect(token)
	for _, f := range formats {
		if f.kind == k {
			return f
		}
	}
	return formats[0]
}

func sealNative(o codecOptions, plaintext []byte) (string, error) {
	c, err := codec.New(o.ring, o.name, o.cfg)
	if err != nil {
		return "", err
	}
	return c.Seal(plaintext)
}

func openNative(o codecOptions, token string) ([]byte, keyseal.Meta, error) {
	c, err := codec.New(o.ring, o.name, o.cfg)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	return c.Open(token)
}

func jweCodec(o codecOptions) (*jwe.Codec, error) {
	return jwe.New(o.ring, jwe.Config{Encryption: o.enc, MaxAge: o.cfg.MaxAge, Clock: o.cfg.Clock})
}

func sealJWE(o codecOptions, plaintext []byte) (string, error) {
	c, err := jweCodec(o)
	if err != nil {
		return "", err
	}
	token, err := c.Seal(plaintext)
	if errors.Is(err, jwe.ErrClaims) {
		return "", usageErrorf("seal --format jwe: the plaintext on stdin must be a JSON object of claims")
	}
	return token, err
}

func openJWE(o codecOptions, token string) ([]byte, keyseal.Meta, error) {
	c, err := jweCodec(o)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	return c.Open(token)
}

// openSecureCookie decodes a gorilla/securecookie value and returns it as
// JSON. Meta.NeedsReseal is always set: a legacy value is to be re-sealed
// in the native format.
func openSecureCookie(o codecOptions, token string) ([]byte, keyseal.Meta, error) {
	if o.legacy == nil {
		return nil, keyseal.Meta{}, usageErrorf("the token is a securecookie value: give --hash-key-file and --cutoff to open it")
	}
	d, err := legacy.New(*o.legacy)
	if err != nil {
		return nil, keyseal.Meta{}, usageErrorf("securecookie: %v", err)
	}
	var out any
	var m keyseal.Meta
	if o.legacy.Encoding == legacy.JSONEncoding {
		var raw json.RawMessage
		m, err = d.Decode(o.name, token, &raw)
		out = raw
	} else {
		var values map[any]any
		values, m, err = d.DecodeSession(o.name, token)
		out = jsonable(values)
	}
	if err != nil {
		return nil, m, err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, keyseal.Meta{}, fmt.Errorf("%w: the decoded value has no JSON form: %v", keyseal.ErrMalformed, err)
	}
	m.NeedsReseal = true
	return b, m, nil
}

// jsonable turns the map[interface{}]interface{} of a gorilla/sessions
// value, and the maps in it, into maps JSON can encode: keys are printed
// with %v.
func jsonable(v any) any {
	switch v := v.(type) {
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[fmt.Sprint(k)] = jsonable(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = jsonable(x)
		}
		return out
	}
	return v
}
