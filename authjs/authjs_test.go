package authjs_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/authjs"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/internal/testkit/josetest"
	"github.com/keyseal/keyseal/jwe"
)

const secret = "correct horse battery staple"

// Known answers computed with Auth.js's own dependencies (@panva/hkdf and
// jose's calculateJwkThumbprint) for secret and salt "authjs.session-token".
const (
	katKey64 = "3b3c7af24d26d8791b2f0035991970acfd8d71836620adddbacf3ca56017adbfa6f4f8780e6ed27dd2ab9032471e346192cf1ea0ae8481b87080b5152d1c61d5"
	katKID64 = "oHDgmbpGLyOoKNS9dfYtfkvAGxR2Qz-Hn2aoGixseVTlPvSh2cf0EJBiZ8sNi60-l_Bwcsd2-VR1JVv48Sp6fw"
	katKey32 = "3b3c7af24d26d8791b2f0035991970acfd8d71836620adddbacf3ca56017adbf"
	katKID32 = "M73YXDMLIlw0fRGqsqhOZdaL0HgIYu2mDk00O7PxxY4"
)

var t0 = time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

func newCodec(t testing.TB, now *time.Time, secrets ...string) *authjs.Codec {
	t.Helper()
	c, err := authjs.New(authjs.Config{Secrets: secrets, CookieName: authjs.CookieName, Clock: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// token seals a payload as Auth.js would, with go-jose and the known key.
func token(t testing.TB, keyHex string, enc jose.ContentEncryption, kid, payload string) string {
	t.Helper()
	key, err := hex.DecodeString(keyHex)
	if err != nil {
		t.Fatal(err)
	}
	return josetest.Direct(t, key, enc, kid, nil, payload)
}

func claimsAt(iat, exp time.Time) string {
	return `{"sub":"u1","email":"a@example.com","iat":` + strconv.FormatInt(iat.Unix(), 10) + `,"exp":` + strconv.FormatInt(exp.Unix(), 10) + `}`
}

type claims struct{ Sub, Email string }

// decode unmarshals the claims Open returned, unless it failed.
func decode(raw []byte, err error) (claims, error) {
	var got claims
	if err == nil {
		err = json.Unmarshal(raw, &got)
	}
	return got, err
}

func TestKnownAnswers(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	for _, tc := range []struct {
		name          string
		key, kid      string
		enc           jose.ContentEncryption
		wantNeedsSeal bool
	}{
		{"A256CBC-HS512", katKey64, katKID64, jose.A256CBC_HS512, false},
		{"A256GCM", katKey32, katKID32, jose.A256GCM, false},
		{"no kid", katKey64, "", jose.A256CBC_HS512, false},
	} {
		raw, m, err := c.Open(token(t, tc.key, tc.enc, tc.kid, claimsAt(t0, t0.Add(time.Hour))))
		got, err := decode(raw, err)
		if err != nil || got.Sub != "u1" || got.Email != "a@example.com" || !m.ExpiresAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("%s: %v %+v %+v", tc.name, err, got, m)
		}
	}
	sealed, err := c.Seal([]byte(`{"sub":"u2"}`))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := jwe.ParseHeader(sealed)
	if h.KeyID != katKID64 || h.Encryption != "A256CBC-HS512" || h.Algorithm != "dir" {
		t.Fatalf("Seal header %+v", h)
	}
	raw, _, err := c.Open(sealed)
	if got, err := decode(raw, err); err != nil || got.Sub != "u2" {
		t.Fatalf("%v %+v", err, got)
	}
}

// Seal takes the claims as a JSON object's bytes and refuses anything
// else.
func TestSealRefusesNonObjects(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	for _, claims := range []string{`[1]`, ``, `null`, `"sub"`, `{"sub":`, `{} {}`} {
		if tok, err := c.Seal([]byte(claims)); err == nil {
			t.Errorf("claims %q sealed: %q", claims, tok)
		}
	}
}

func TestRotationAndExpiry(t *testing.T) {
	now := t0
	old := newCodec(t, &now, "old secret")
	tok, err := old.Seal([]byte(`{"sub":"u"}`))
	if err != nil {
		t.Fatal(err)
	}
	rotated := newCodec(t, &now, "new secret", "old secret")
	_, m, err := rotated.Open(tok)
	if err != nil || !m.NeedsReseal {
		t.Fatalf("rotated: %v %+v", err, m)
	}
	if _, _, err := newCodec(t, &now, "new secret").Open(tok); !errors.Is(err, keyseal.ErrUnknownKey) {
		t.Fatalf("dropped secret: %v", err)
	}
	now = t0.Add(30*24*time.Hour + time.Minute)
	if _, _, err := rotated.Open(tok); !errors.Is(err, keyseal.ErrExpired) {
		t.Fatalf("expired: %v", err)
	}
	now = t0
	early := token(t, katKey64, jose.A256CBC_HS512, katKID64, claimsAt(t0.Add(time.Hour), t0.Add(2*time.Hour)))
	if _, _, err := newCodec(t, &now, secret).Open(early); !errors.Is(err, keyseal.ErrNotYetValid) {
		t.Fatalf("future iat: %v", err)
	}
}

func TestHostile(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	good := claimsAt(t0, t0.Add(time.Hour))
	for name, tc := range map[string]struct {
		token string
		want  error
	}{
		"wrong secret, no kid": {token(t, katKey64[:64]+strings.Repeat("0", 64), jose.A256CBC_HS512, "", good), keyseal.ErrAuth},
		"unknown kid":          {token(t, katKey64, jose.A256CBC_HS512, "nope", good), keyseal.ErrUnknownKey},
		"kid of other enc":     {token(t, katKey32, jose.A256GCM, katKID64, good), keyseal.ErrUnknownKey},
		"A128GCM":              {token(t, katKey32[:32], jose.A128GCM, "", good), keyseal.ErrMalformed},
		"no exp":               {token(t, katKey64, jose.A256CBC_HS512, katKID64, `{"sub":"x"}`), keyseal.ErrMalformed},
		"too large":            {strings.Repeat("e", authjs.DefaultMaxTokenSize+1), keyseal.ErrTooLarge},
		"three parts":          {"a.b.c", keyseal.ErrMalformed},
		"zip header":           {"eyJ6aXAiOiJERUYifQ....", keyseal.ErrMalformed},
	} {
		if _, _, err := c.Open(tc.token); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
}

func TestJoin(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	tok := token(t, katKey64, jose.A256CBC_HS512, katKID64, claimsAt(t0, t0.Add(time.Hour)))
	n := authjs.CookieName
	parts := []*http.Cookie{
		{Name: "other", Value: "x"},
		{Name: n + ".2", Value: tok[200:]},
		{Name: n + ".0", Value: tok[:100]},
		{Name: n + ".1", Value: tok[100:200]},
		{Name: n + ".callback-url", Value: "y"},
	}
	raw, _, err := c.OpenCookies(parts)
	if got, err := decode(raw, err); err != nil || got.Sub != "u1" {
		t.Fatalf("chunks: %v %+v", err, got)
	}
	if _, _, err := c.OpenCookies([]*http.Cookie{{Name: n, Value: tok}}); err != nil {
		t.Fatalf("single: %v", err)
	}
	for name, tc := range map[string]struct {
		cookies []*http.Cookie
		want    error
	}{
		"none":      {[]*http.Cookie{{Name: "other", Value: "x"}}, http.ErrNoCookie},
		"gap":       {[]*http.Cookie{{Name: n + ".0", Value: "a"}, {Name: n + ".2", Value: "b"}}, keyseal.ErrMalformed},
		"repeat":    {[]*http.Cookie{{Name: n + ".0", Value: "a"}, {Name: n + ".0", Value: "b"}}, keyseal.ErrMalformed},
		"too many":  {[]*http.Cookie{{Name: n + ".16", Value: "a"}}, keyseal.ErrTooLarge},
		"too long":  {[]*http.Cookie{{Name: n + ".0", Value: strings.Repeat("a", 9000)}, {Name: n + ".1", Value: strings.Repeat("a", 9000)}}, keyseal.ErrTooLarge},
		"tampered":  {[]*http.Cookie{{Name: n + ".0", Value: tok[:100]}, {Name: n + ".1", Value: tok[101:]}}, nil},
		"bad index": {[]*http.Cookie{{Name: n + ".01", Value: tok}}, http.ErrNoCookie},
	} {
		_, _, err := c.OpenCookies(tc.cookies)
		if tc.want == nil {
			if err == nil {
				t.Errorf("%s: opened", name)
			}
			continue
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
}

func TestNewErrors(t *testing.T) {
	for name, cfg := range map[string]authjs.Config{
		"no secret":    {CookieName: "x"},
		"empty secret": {CookieName: "x", Secrets: []string{""}},
		"no name":      {Secrets: []string{"s"}},
		// It would count as zero seconds, which means no MaxAge at all.
		"sub-second MaxAge": {CookieName: "x", Secrets: []string{"s"}, MaxAge: 500 * time.Millisecond},
	} {
		if _, err := authjs.New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzAuthJS feeds Open arbitrary tokens: no panics, only sentinels.
func FuzzAuthJS(f *testing.F) {
	now := t0
	c := newCodec(f, &now, secret)
	f.Add(token(f, katKey64, jose.A256CBC_HS512, katKID64, claimsAt(t0, t0.Add(time.Hour))))
	f.Add(token(f, katKey32, jose.A256GCM, "", `{"exp":1e999}`))
	f.Add(token(f, katKey64, jose.A256CBC_HS512, katKID64, `{"exp":"soon","nbf":null}`))
	f.Add("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0....")
	f.Add("")
	sentinels := []error{keyseal.ErrMalformed, keyseal.ErrAuth, keyseal.ErrUnknownKey, keyseal.ErrExpired, keyseal.ErrNotYetValid, keyseal.ErrTooLarge}
	f.Fuzz(func(t *testing.T, tok string) {
		if _, _, err := c.Open(tok); err != nil && !testkit.IsAny(err, sentinels...) {
			t.Fatalf("error %v is not a sentinel", err)
		}
	})
}

func TestTamper(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	tok := token(t, katKey64, jose.A256CBC_HS512, katKID64, claimsAt(t0, t0.Add(time.Hour)))
	testkit.ChangeEachByte(t, tok, "AB_.", func(tok string) error {
		_, _, err := c.Open(tok)
		return err
	})
}

func TestRedacted(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	kid := katKID64[:20]
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v %#v %s %x", c, c, c, c), fmt.Sprintf("%v", *c)} {
		if strings.Contains(s, secret) || strings.Contains(s, kid) || !strings.Contains(s, "REDACTED") {
			t.Fatalf("codec prints %q", s)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	now := t0
	for _, n := range []int{1, 4} {
		secrets := []string{secret, "2", "3", "4"}[:n]
		c := newCodec(b, &now, secrets...)
		tok := token(b, katKey64, jose.A256CBC_HS512, katKID64, claimsAt(t0, t0.Add(time.Hour)))
		b.Run(strconv.Itoa(n)+"-secrets", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := c.Open(tok); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(tok)), "token-bytes")
		})
	}
}

// Claim names are case-sensitive (RFC 7519, and JavaScript's jose that
// Auth.js uses): an "EXP" or "Exp" claim, which encoding/json would match
// to "exp" case-insensitively, neither replaces nor stands in for "exp".
func TestClaimNamesCaseSensitive(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	past, future := strconv.FormatInt(t0.Add(-time.Hour).Unix(), 10), strconv.FormatInt(t0.Add(time.Hour).Unix(), 10)
	for payload, want := range map[string]error{
		`{"iat":` + past + `,"exp":` + past + `,"EXP":` + future + `}`:   keyseal.ErrExpired,
		`{"iat":` + past + `,"Exp":` + future + `}`:                      keyseal.ErrMalformed, // no "exp"
		`{"iat":` + past + `,"exp":` + future + `,"NBF":` + future + `}`: nil,
		`{"iat":` + past + `,"exp":` + future + `,"IAT":` + future + `}`: nil,
		`{"iat":` + past + `,"exp":` + future + `,"Exp":"not a number"}`: nil,
	} {
		_, _, err := c.Open(token(t, katKey64, jose.A256CBC_HS512, katKID64, payload))
		if !errors.Is(err, want) {
			t.Errorf("%s: got %v, want %v", payload, err, want)
		}
	}
}

// An encrypted key part, which "dir" forbids and Auth.js refuses, is
// refused rather than ignored.
// A token without "iat" is refused, with or without MaxAge (which defaults
// to 30 days): its age is unknown, and its "exp" could be years away.
func TestMaxAgeNeedsIssuedAt(t *testing.T) {
	now := t0
	limited, err := authjs.New(authjs.Config{Secrets: []string{secret}, CookieName: authjs.CookieName,
		MaxAge: time.Hour, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	tok := token(t, katKey64, jose.A256CBC_HS512, katKID64, fmt.Sprintf(`{"sub":"u1","exp":%d}`, t0.AddDate(10, 0, 0).Unix()))
	if _, _, err := limited.Open(tok); !errors.Is(err, keyseal.ErrMalformed) {
		t.Errorf("no iat, MaxAge 1h: %v, want ErrMalformed", err)
	}
	if _, _, err := newCodec(t, &now, secret).Open(tok); !errors.Is(err, keyseal.ErrMalformed) {
		t.Errorf("no iat, default MaxAge: %v, want ErrMalformed", err)
	}
}

// Go's base64 decoders skip CR and LF: a genuine token with line breaks
// inserted is another spelling of it, and must not open.
func TestLineBreaksRefused(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	tok := token(t, katKey64, jose.A256CBC_HS512, katKID64, claimsAt(t0, t0.Add(time.Hour)))
	p := strings.Split(tok, ".")
	for _, part := range []int{0, 2, 3, 4} {
		q := slices.Clone(p)
		q[part] = q[part][:4] + "\r\n" + q[part][4:]
		if _, _, err := c.Open(strings.Join(q, ".")); !errors.Is(err, keyseal.ErrMalformed) {
			t.Errorf("part %d with CR LF inserted: %v", part, err)
		}
	}
}

func TestEncryptedKeyRefused(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	tok := token(t, katKey64, jose.A256CBC_HS512, katKID64, claimsAt(t0, t0.Add(time.Hour)))
	if _, _, err := c.Open(tok); err != nil {
		t.Fatal(err)
	}
	p := strings.Split(tok, ".")
	p[1] = "AAAA"
	if _, _, err := c.Open(strings.Join(p, ".")); !errors.Is(err, keyseal.ErrMalformed) {
		t.Errorf("encrypted key: %v", err)
	}
}
