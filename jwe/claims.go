package jwe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/keyseal/keyseal/codec"
)

// times are a token's registered time claims, in Unix seconds.
type times struct {
	iat, nbf, exp  int64
	hasIat, hasNbf bool
}

// parseTimes reads "iat", "nbf" and "exp" from a claims object. "exp" is
// required: a session token that never expires is refused as malformed.
func parseTimes(claims []byte) (times, error) {
	var raw struct {
		Iat, Nbf, Exp json.RawMessage
	}
	if err := json.Unmarshal(claims, &raw); err != nil {
		return times{}, fmt.Errorf("%w: claims are not a JSON object", codec.ErrMalformed)
	}
	var t times
	var err error
	if raw.Exp == nil {
		return times{}, fmt.Errorf("%w: no exp claim", codec.ErrMalformed)
	}
	if t.exp, err = numericDate(raw.Exp); err != nil {
		return times{}, err
	}
	if raw.Iat != nil {
		t.hasIat = true
		if t.iat, err = numericDate(raw.Iat); err != nil {
			return times{}, err
		}
	}
	if raw.Nbf != nil {
		t.hasNbf = true
		if t.nbf, err = numericDate(raw.Nbf); err != nil {
			return times{}, err
		}
	}
	return t, nil
}

// numericDate reads a JWT NumericDate: a JSON number of seconds, possibly
// fractional, truncated and clamped to ±2⁵² so later arithmetic cannot
// overflow.
func numericDate(b []byte) (int64, error) {
	if bytes.Equal(b, []byte("null")) {
		return 0, fmt.Errorf("%w: time claim is null", codec.ErrMalformed)
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return 0, fmt.Errorf("%w: time claim is not a number", codec.ErrMalformed)
	}
	const limit = 1 << 52
	return int64(math.Max(-limit, math.Min(limit, math.Trunc(f)))), nil
}

// check applies the times with the rules of the native codec: now+leeway
// before iat or nbf is not yet valid; now-leeway at or past exp, or past
// iat+maxAge, is expired.
func (t times) check(now, leeway, maxAge int64) error {
	switch {
	case t.hasIat && now+leeway < t.iat, t.hasNbf && now+leeway < t.nbf:
		return codec.ErrNotYetValid
	case now-leeway >= t.exp, t.hasIat && now-leeway >= t.iat+maxAge:
		return codec.ErrExpired
	}
	return nil
}
