// Package format tells, from its first characters, which kind of sealed
// value a cookie holds, so a session manager routes it to one decoder in
// O(1) instead of trying every decoder's cryptography.
//
//	switch format.Detect(cookie.Value) {
//	case format.Native:       // codec.Codec.Open
//	case format.JWE:          // jwe.Codec.Open or authjs.Codec.Open
//	case format.SecureCookie: // legacy.Decoder.Decode
//	case format.Iron:         // nodesession.Iron.Open
//	default:                  // not a session: ignore it
//	}
//
// Detection reads at most the first three characters and proves nothing:
// the chosen decoder still authenticates the value, and refuses it with
// its sentinel errors when the guess was wrong.
package format

// Kind is a family of sealed values.
type Kind uint8

const (
	// Unknown is a value of no known shape.
	Unknown Kind = iota
	// Native is a keyseal token of format version 1: base64url of a
	// header whose first byte is the version (0x01) and whose second is
	// the flags (under 16), so it starts with "AQ".
	Native
	// JWE is a JOSE compact serialization: its first part is the
	// base64url of a JSON object, so it starts with "eyJ" ({").
	// keyseal's JWE tokens and Auth.js sessions are both of this kind.
	JWE
	// SecureCookie is a gorilla/securecookie value: padded base64url of
	// "timestamp|value|mac" with a decimal Unix timestamp, so it starts
	// with "MT" (timestamps 1000000000 to 1999999999, 2001 to 2033) or
	// "Mj" (2000000000 to 2999999999).
	SecureCookie
	// Iron is an iron-session seal, iron-webcrypto's "Fe26.2*...", so it
	// starts with "Fe2" (package nodesession).
	Iron
	// Any is no shape: Detect never returns it. Given as the kind a
	// consumer expects, such as cookiesession.Legacy's Kind, it asks for
	// every value, for formats whose first characters tell nothing (a
	// Rails cookie is bare base64, a Flask one starts as a JWE does).
	Any
)

var names = [...]string{Unknown: "unknown", Native: "native", JWE: "jwe", SecureCookie: "securecookie", Iron: "iron", Any: "any"}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(names) {
		return names[k]
	}
	return names[Unknown]
}

// Detect returns the kind of value from its first characters.
func Detect(value string) Kind {
	if len(value) < 3 {
		return Unknown
	}
	switch {
	case value[0] == 'A' && value[1] == 'Q':
		return Native
	case value[:3] == "eyJ":
		return JWE
	case value[0] == 'M' && (value[1] == 'T' || value[1] == 'j'):
		return SecureCookie
	case value[:3] == "Fe2":
		return Iron
	}
	return Unknown
}
