// Package jwtclaims reads and enforces the registered time claims of a JWT
// (RFC 7519: "iat", "nbf", "exp") with the rules and sentinel errors of
// package codec, for every decoder of JWT-shaped sessions.
package jwtclaims

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/keyseal/keyseal"
)

// Times are a token's registered time claims, in Unix seconds.
type Times struct {
	IssuedAt, NotBefore, Expiry int64
	// HasIssuedAt and HasNotBefore report whether "iat" and "nbf" were
	// present; "exp" is required.
	HasIssuedAt, HasNotBefore bool
}

// Parse reads "iat", "nbf" and "exp" from a claims object. "exp" is
// required: a session token that never expires is refused as malformed.
// Names are matched exactly, as RFC 7519 and JavaScript's jose do: an
// "EXP" claim is not "exp" (a struct would match it case-insensitively, and
// the last of the two would win). Of repeated names the last counts, as in
// JSON.parse.
func Parse(claims []byte) (Times, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(claims, &raw); err != nil {
		return Times{}, fmt.Errorf("%w: claims are not a JSON object", keyseal.ErrMalformed)
	}
	var t Times
	var err error
	exp, ok := raw["exp"]
	if !ok {
		return Times{}, fmt.Errorf("%w: no exp claim", keyseal.ErrMalformed)
	}
	if t.Expiry, err = numericDate(exp); err != nil {
		return Times{}, err
	}
	if iat, ok := raw["iat"]; ok {
		t.HasIssuedAt = true
		if t.IssuedAt, err = numericDate(iat); err != nil {
			return Times{}, err
		}
	}
	if nbf, ok := raw["nbf"]; ok {
		t.HasNotBefore = true
		if t.NotBefore, err = numericDate(nbf); err != nil {
			return Times{}, err
		}
	}
	return t, nil
}

// numericDate reads a JWT NumericDate: a JSON number of seconds, possibly
// fractional, truncated and clamped to ±2⁵² so later arithmetic cannot
// overflow.
func numericDate(b []byte) (int64, error) {
	if bytes.Equal(b, []byte("null")) {
		return 0, fmt.Errorf("%w: time claim is null", keyseal.ErrMalformed)
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return 0, fmt.Errorf("%w: time claim is not a number", keyseal.ErrMalformed)
	}
	const limit = 1 << 52
	return int64(math.Max(-limit, math.Min(limit, math.Trunc(f)))), nil
}

// Check applies the times with the rules of the native codec: now+leeway
// before iat or nbf is not yet valid; now-leeway at or past exp, or past
// iat+maxAge, is expired. All values are Unix seconds.
func (t Times) Check(now, leeway, maxAge int64) error {
	switch {
	case t.HasIssuedAt && now+leeway < t.IssuedAt, t.HasNotBefore && now+leeway < t.NotBefore:
		return keyseal.ErrNotYetValid
	case now-leeway >= t.Expiry, t.HasIssuedAt && now-leeway >= t.IssuedAt+maxAge:
		return keyseal.ErrExpired
	}
	return nil
}
