package jwtclaims_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/jwtclaims"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]jwtclaims.Times{
		`{"exp":100}`:                     {Expiry: 100},
		`{"exp":100.9,"iat":50,"nbf":60}`: {Expiry: 100, IssuedAt: 50, NotBefore: 60, HasIssuedAt: true, HasNotBefore: true},
		`{"exp":1e300}`:                   {Expiry: 1 << 52},
		`{"exp":-1e300}`:                  {Expiry: -(1 << 52)},
		`{"exp":100,"EXP":200,"Iat":"x"}`: {Expiry: 100},
		`{"exp":100,"exp":200}`:           {Expiry: 200},
	} {
		got, err := jwtclaims.Parse([]byte(in))
		if err != nil || got != want {
			t.Errorf("%s: %+v %v", in, got, err)
		}
	}
	for _, in := range []string{`{}`, `{"exp":null}`, `{"exp":"1"}`, `{"exp":1,"iat":true}`, `[]`, `{"exp":1e999}`, ``, `null`, `{"Exp":1}`} {
		if _, err := jwtclaims.Parse([]byte(in)); !errors.Is(err, keyseal.ErrMalformed) {
			t.Errorf("%s: %v", in, err)
		}
	}
}

// Check draws the same boundaries as the native codec.
func TestCheck(t *testing.T) {
	const leeway, maxAge = 10, 100
	ts := jwtclaims.Times{IssuedAt: 1000, Expiry: 1050, NotBefore: 1020, HasIssuedAt: true, HasNotBefore: true}
	for now, want := range map[int64]error{
		989:  keyseal.ErrNotYetValid, // before iat - leeway
		1009: keyseal.ErrNotYetValid, // before nbf - leeway
		1010: nil,
		1059: nil,
		1060: keyseal.ErrExpired, // exp + leeway
	} {
		if err := ts.Check(now, leeway, maxAge); err != want {
			t.Errorf("now %d: got %v, want %v", now, err, want)
		}
	}
	long := jwtclaims.Times{IssuedAt: 1000, Expiry: 5000, HasIssuedAt: true}
	if err := long.Check(1109, leeway, maxAge); err != nil {
		t.Errorf("within MaxAge: %v", err)
	}
	if err := long.Check(1110, leeway, maxAge); err != keyseal.ErrExpired {
		t.Errorf("past MaxAge: %v", err)
	}
}

// FuzzParse feeds hostile claims to Parse, which jwe and authjs reach
// only with an authenticated token, out of reach of their own fuzz
// targets: it must never panic, refuse only with ErrMalformed, accept only
// a JSON object with an "exp", and keep every time within ±2⁵².
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"exp":100}`, `{"exp":100.9,"iat":50,"nbf":60}`, `{"exp":1e300}`, `{"exp":null}`,
		`{"exp":1,"exp":"x"}`, `{"exp":-0,"iat":-1e-300}`, `[]`, ``, `{"exp":1}{}`} {
		f.Add([]byte(s))
	}
	const limit = 1 << 52
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := jwtclaims.Parse(data)
		if err != nil {
			if !errors.Is(err, keyseal.ErrMalformed) || ts != (jwtclaims.Times{}) {
				t.Fatalf("Parse = %+v, %v", ts, err)
			}
			return
		}
		if !json.Valid(data) || !bytes.Contains(data, []byte(`"exp"`)) && !bytes.Contains(data, []byte(`\u`)) {
			t.Fatalf("Parse accepted %q", data)
		}
		for _, v := range []int64{ts.Expiry, ts.IssuedAt, ts.NotBefore} {
			if v < -limit || v > limit {
				t.Fatalf("time %d out of range", v)
			}
		}
		for _, now := range []int64{0, 1_800_000_000, limit} {
			ts.Check(now, 60, 1<<40) // must not panic
		}
	})
}
