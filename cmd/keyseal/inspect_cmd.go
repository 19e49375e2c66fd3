package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/format"
	"github.com/keyseal/keyseal/jwe"
)

// inspected is the output of "inspect --json" for a native token. Verified
// is always false: the header is read without any key.
type inspected struct {
	Verified   bool     `json:"verified"`
	Format     string   `json:"format"`
	Version    uint8    `json:"version"`
	Flags      uint8    `json:"flags"`
	Compressed bool     `json:"compressed"`
	KeyID      uint32   `json:"key_id"`
	IssuedAt   jsonTime `json:"issued_at"`
	ExpiresAt  jsonTime `json:"expires_at"`
	Length     int      `json:"length"`
}

// inspectedJWE is the output of "inspect --json" for a JWE token: its
// protected header, unverified.
type inspectedJWE struct {
	Verified bool          `json:"verified"`
	Format   string        `json:"format"`
	Header   inspectHeader `json:"header"`
	Length   int           `json:"length"`
}

// inspectHeader is a JWE protected header as "inspect --json" prints it:
// members the header lacks (or holds empty) are left out, not printed as
// "".
type inspectHeader struct {
	Algorithm   string `json:"alg,omitempty"`
	Encryption  string `json:"enc,omitempty"`
	KeyID       string `json:"kid,omitempty"`
	Type        string `json:"typ,omitempty"`
	ContentType string `json:"cty,omitempty"`
}

// inspectedSecureCookie is the output of "inspect --json" for a
// gorilla/securecookie value: its timestamp, unverified.
type inspectedSecureCookie struct {
	Verified bool     `json:"verified"`
	Format   string   `json:"format"`
	IssuedAt jsonTime `json:"issued_at"`
	Length   int      `json:"length"`
}

const unverified = `UNVERIFIED header: not authenticated, anyone can write any header; use "keyseal open" to verify.` + "\n"

func runInspect(e *env, args []string) error {
	f := newFlags(e, "inspect", "inspect [--json] < token")
	asJSON := f.Bool("json", false, "print JSON")
	if _, err := f.parse(args, 0, 0); err != nil {
		return err
	}
	token, err := readToken(e, "inspect")
	if err != nil {
		return err
	}
	var out any
	var text string
	switch format.Detect(token) {
	case format.JWE:
		h, err := jwe.ParseHeader(token)
		if err != nil {
			return withCode(codecCode(err), err)
		}
		out = inspectedJWE{Format: "jwe", Header: inspectHeader{Algorithm: h.Algorithm, Encryption: h.Encryption,
			KeyID: h.KeyID, Type: h.Type, ContentType: h.ContentType}, Length: len(token)}
		text = fmt.Sprintf("format:     jwe (JSON Web Encryption, compact)\nalg:        %q\nenc:        %q\nkid:        %q\ntyp:        %q\ncty:        %q\nlength:     %d characters\n",
			h.Algorithm, h.Encryption, h.KeyID, h.Type, h.ContentType, len(token))
	case format.SecureCookie:
		iat, err := secureCookieTime(token)
		if err != nil {
			return withCode(codecCode(err), err)
		}
		out = inspectedSecureCookie{Format: "securecookie", IssuedAt: jsonTime{iat}, Length: len(token)}
		text = fmt.Sprintf("format:     securecookie (gorilla/securecookie, legacy)\nissued_at:  %s\nlength:     %d characters\n",
			iat.Format(time.RFC3339), len(token))
	default:
		h, err := codec.ParseHeader(token)
		if err != nil {
			return withCode(codecCode(err), err)
		}
		n := inspected{Format: "native", Version: h.Version, Flags: h.Flags, Compressed: h.Compressed(),
			KeyID: h.KeyID, IssuedAt: jsonTime{h.IssuedAt}, ExpiresAt: jsonTime{h.ExpiresAt}, Length: len(token)}
		out = n
		text = fmt.Sprintf("format:     native, version %d\nkey_id:     %d\nissued_at:  %s\nexpires_at: %s\ncompressed: %t\nlength:     %d characters\n",
			n.Version, n.KeyID, n.IssuedAt.Format(time.RFC3339), n.ExpiresAt.Format(time.RFC3339), n.Compressed, n.Length)
	}
	if *asJSON {
		return withCode(exitIO, json.NewEncoder(e.stdout).Encode(out))
	}
	_, err = fmt.Fprint(e.stdout, unverified+text)
	return withCode(exitIO, err)
}

// secureCookieTime reads the timestamp of a securecookie value, padded
// base64url of "timestamp|value|mac", without verifying anything.
func secureCookieTime(token string) (time.Time, error) {
	if len(token) > keyseal.DefaultMaxTokenSize {
		return time.Time{}, keyseal.ErrTooLarge
	}
	b, err := base64.URLEncoding.Strict().DecodeString(token)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: not padded base64url", keyseal.ErrMalformed)
	}
	ts, _, ok := bytes.Cut(b, []byte("|"))
	iat, err := strconv.ParseInt(string(ts), 10, 64)
	if !ok || err != nil || iat < 0 || iat > 1<<40 {
		return time.Time{}, fmt.Errorf("%w: no timestamp", keyseal.ErrMalformed)
	}
	return time.Unix(iat, 0).UTC(), nil
}
