package jwtclaims_test

import (
	"errors"
	"testing"

	"github.com/keyseal/keyseal/codec"
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
		if _, err := jwtclaims.Parse([]byte(in)); !errors.Is(err, codec.ErrMalformed) {
			t.Errorf("%s: %v", in, err)
		}
	}
}

// Check draws the same boundaries as the native codec.
func TestCheck(t *testing.T) {
	const leeway, maxAge = 10, 100
	ts := jwtclaims.Times{IssuedAt: 1000, Expiry: 1050, NotBefore: 1020, HasIssuedAt: true, HasNotBefore: true}
	for now, want := range map[int64]error{
		989:  codec.ErrNotYetValid, // before iat - leeway
		1009: codec.ErrNotYetValid, // before nbf - leeway
		1010: nil,
		1059: nil,
		1060: codec.ErrExpired, // exp + leeway
	} {
		if err := ts.Check(now, leeway, maxAge); err != want {
			t.Errorf("now %d: got %v, want %v", now, err, want)
		}
	}
	long := jwtclaims.Times{IssuedAt: 1000, Expiry: 5000, HasIssuedAt: true}
	if err := long.Check(1109, leeway, maxAge); err != nil {
		t.Errorf("within MaxAge: %v", err)
	}
	if err := long.Check(1110, leeway, maxAge); err != codec.ErrExpired {
		t.Errorf("past MaxAge: %v", err)
	}
}
