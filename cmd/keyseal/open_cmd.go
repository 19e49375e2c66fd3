package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/jwe"
	"github.com/keyseal/keyseal/keyring"
)

// opened is the output of "open --json".
type opened struct {
	// Plaintext is the plaintext when it is valid UTF-8, else null.
	Plaintext *string `json:"plaintext"`
	// PlaintextBase64 is the plaintext in standard base64 with padding,
	// always present, so binary plaintexts survive.
	PlaintextBase64 string   `json:"plaintext_base64"`
	KeyID           uint32   `json:"key_id"`
	IssuedAt        jsonTime `json:"issued_at"`
	ExpiresAt       jsonTime `json:"expires_at"`
	NeedsReseal     bool     `json:"needs_reseal"`
	Compressed      bool     `json:"compressed"`
	Format          string   `json:"format"`
}

// jsonTime is a time that encodes to JSON as an RFC 3339 string in UTC for
// any year a token header can claim: time.Time refuses years after 9999,
// and the header's 40-bit times reach the year 36812.
type jsonTime struct{ time.Time }

// MarshalJSON implements [json.Marshaler].
func (t jsonTime) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, t.UTC().Format(time.RFC3339)), nil
}

func runOpen(e *env, args []string) error {
	f := newFlags(e, "open", "open --name NAME [--keyring FILE] [--at TIME] [--max-age DURATION] "+
		"[--format auto|native|jwe|securecookie] [--enc ENC] [securecookie flags] [--json] < token")
	ringPath := f.String("keyring", "", "keyring `FILE` (default: the keyring in $KEYSEAL_KEYRING)")
	name := f.String("name", "", "the `NAME` the token was sealed for (required for native and securecookie)")
	var at timeFlag
	f.Var(&at, "at", "open as if the time were `TIME` (RFC 3339) instead of now")
	var maxAge durationFlag
	f.Var(&maxAge, "max-age", "refuse tokens issued longer than `DURATION` ago, as the app's MaxAge (default 24h; securecookie 720h)")
	formatName := f.String("format", "auto", "token format: auto (from the token's first characters), native, jwe or securecookie")
	enc := f.String("enc", jwe.A256GCM, "jwe: content encryption, A256GCM or A256CBC-HS512")
	sc := addSecureCookieFlags(f)
	asJSON := f.Bool("json", false, "print the plaintext and the token's metadata as JSON")
	if _, err := f.parse(args, 0, 0); err != nil {
		return err
	}
	var fm tokenFormat
	if *formatName != "auto" {
		var err error
		if fm, err = findFormat(*formatName, false); err != nil {
			return err
		}
		if err := checkFormatFlags(fm, *name, *enc, false); err != nil {
			return err
		}
		if !fm.needsName && *name != "" {
			return usageErrorf("--name: %s tokens are not bound to a name, so none can be checked; leave --name out", fm.name)
		}
	}
	clock := e.now
	if !at.t.IsZero() {
		clock = func() time.Time { return at.t }
	}
	o := codecOptions{name: *name, enc: *enc, cfg: codec.Config{MaxAge: maxAge.d, Clock: clock}}
	var err error
	if o.legacy, err = sc.config(o); err != nil {
		return err
	}
	// The keyring is read before stdin, so a bad keyring fails before a
	// pipe is consumed; with --format auto only when one is named.
	if fm.needsRing || (fm.open == nil && (*ringPath != "" || e.getenv(keyring.EnvVar) != "")) {
		if o.ring, err = loadRing(e, *ringPath); err != nil {
			return err
		}
	}
	token, err := readToken(e, "open")
	if err != nil {
		return err
	}
	if fm.open == nil {
		fm = detectFormat(token)
		if err := checkAutoFormat(fm, *name); err != nil {
			return err
		}
		if err := checkFormatFlags(fm, *name, *enc, false); err != nil {
			return err
		}
		if fm.needsRing && o.ring == nil {
			if o.ring, err = loadRing(e, *ringPath); err != nil {
				return err
			}
		}
	}
	pt, meta, err := fm.open(o, token)
	if err != nil {
		return withCode(codecCode(err), err)
	}
	if !*asJSON {
		if fm.name != "native" {
			pt = append(pt, '\n') // JSON text: end the line
		}
		_, err = e.stdout.Write(pt)
		return withCode(exitIO, err)
	}
	out := opened{
		PlaintextBase64: base64.StdEncoding.EncodeToString(pt),
		KeyID:           meta.KeyID,
		IssuedAt:        jsonTime{meta.IssuedAt},
		ExpiresAt:       jsonTime{meta.ExpiresAt},
		NeedsReseal:     meta.NeedsReseal,
		Compressed:      meta.Compressed,
		Format:          fm.name,
	}
	if utf8.Valid(pt) {
		s := string(pt)
		out.Plaintext = &s
	}
	enc2 := json.NewEncoder(e.stdout)
	enc2.SetEscapeHTML(false)
	return withCode(exitIO, enc2.Encode(out))
}

// checkAutoFormat refuses, under --format auto, a token of a format bound
// to no name (JWE). A name given is a name checked: "open --name session"
// must not accept an API token as a session cookie. Without --name the
// format must still be chosen explicitly, so that what opens never
// depends on what the token says it is.
func checkAutoFormat(fm tokenFormat, name string) error {
	if fm.needsName {
		return nil
	}
	if name != "" {
		return withCode(exitAuth, fmt.Errorf("the token is a JWE token, which is bound to no name, not to --name %q "+
			"(to open it as JWE, use --format %s without --name)", name, fm.name))
	}
	return usageErrorf("the token is a JWE token: open it with --format %s (JWE tokens are not bound to a name)", fm.name)
}
