package jwe_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/internal/testkit/josetest"
	"github.com/keyseal/keyseal/jwe"
	"github.com/keyseal/keyseal/keyring"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newCodec(t testing.TB, enc string) (*jwe.Codec, *keyring.Ring, *testkit.Clock) {
	t.Helper()
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	clk := testkit.NewClock(t0)
	c, err := jwe.New(ring, jwe.Config{Encryption: enc, MaxAge: time.Hour, Leeway: time.Minute, Clock: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return c, ring, clk
}

type claims struct {
	Sub string `json:"sub"`
	Iat int64  `json:"iat"`
	Exp int64  `json:"exp"`
}

func TestRoundTrip(t *testing.T) {
	for _, enc := range []string{"", jwe.A256GCM, jwe.A256CBCHS512} {
		t.Run(enc, func(t *testing.T) {
			c, ring, _ := newCodec(t, enc)
			token, err := c.Seal([]byte(`{"sub":"alice","exp":1}`))
			if err != nil {
				t.Fatal(err)
			}
			h, err := jwe.ParseHeader(token)
			if err != nil {
				t.Fatal(err)
			}
			want := enc
			if want == "" {
				want = jwe.A256GCM
			}
			if h.Algorithm != "dir" || h.Encryption != want || h.KeyID != strconv.FormatUint(uint64(ring.Primary(t0).ID()), 10) {
				t.Fatalf("header %+v", h)
			}
			raw, m, err := c.Open(token)
			if err != nil {
				t.Fatal(err)
			}
			var got claims
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			if got.Sub != "alice" || got.Iat != t0.Unix() || got.Exp != t0.Add(time.Hour).Unix() {
				t.Fatalf("claims %+v", got)
			}
			if m.KeyID != ring.Primary(t0).ID() || !m.IssuedAt.Equal(t0) || m.NeedsReseal {
				t.Fatalf("meta %+v", m)
			}
		})
	}
}

func TestTimes(t *testing.T) {
	c, _, clk := newCodec(t, "")
	token, err := c.Seal([]byte(`{"sub":"bob"}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   time.Duration
		want error
	}{
		{-time.Minute, nil},
		{-time.Minute - time.Second, keyseal.ErrNotYetValid},
		{time.Hour + time.Minute - time.Second, nil},
		{time.Hour + time.Minute, keyseal.ErrExpired},
	} {
		clk.Set(t0.Add(tc.at))
		if _, _, err := c.Open(token); !errors.Is(err, tc.want) {
			t.Errorf("at %v: got %v, want %v", tc.at, err, tc.want)
		}
	}
	clk.Set(t0)
	nbf, err := c.Seal([]byte(`{"nbf":` + strconv.FormatInt(t0.Add(10*time.Minute).Unix(), 10) + `}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Open(nbf); !errors.Is(err, keyseal.ErrNotYetValid) {
		t.Fatalf("nbf: %v", err)
	}
	clk.Set(t0.Add(9 * time.Minute))
	if _, _, err := c.Open(nbf); err != nil {
		t.Fatalf("nbf within leeway: %v", err)
	}
}

func TestKeys(t *testing.T) {
	c, ring, _ := newCodec(t, "")
	old, err := c.Seal([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	oldID := ring.Primary(t0).ID()
	ring2, next, err := ring.Add(keyring.AES256GCM, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	ring2, err = ring2.Promote(next.ID())
	if err != nil {
		t.Fatal(err)
	}
	c2, err := jwe.New(ring2, jwe.Config{MaxAge: time.Hour, Clock: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	_, m, err := c2.Open(old)
	if err != nil || !m.NeedsReseal || m.KeyID != oldID {
		t.Fatalf("old key: %+v %v", m, err)
	}
	ring3, err := ring2.Retire(oldID)
	if err != nil {
		t.Fatal(err)
	}
	c3, _ := jwe.New(ring3, jwe.Config{MaxAge: time.Hour, Clock: func() time.Time { return t0 }})
	if _, _, err := c3.Open(old); !errors.Is(err, keyseal.ErrKeyRetired) {
		t.Fatalf("retired: %v", err)
	}
	other, _, _ := newCodec(t, "")
	if _, _, err := other.Open(old); !errors.Is(err, keyseal.ErrUnknownKey) {
		t.Fatalf("unknown key: %v", err)
	}
}

// seal makes a token with go-jose directly, with any header.
func seal(t testing.TB, key []byte, enc jose.ContentEncryption, kid string, zip bool, extra map[jose.HeaderKey]any, payload string) string {
	t.Helper()
	opts := &jose.EncrypterOptions{ExtraHeaders: extra}
	if zip {
		opts.Compression = jose.DEFLATE
	}
	return josetest.Direct(t, key, enc, kid, opts, payload)
}

func TestHostile(t *testing.T) {
	c, ring, _ := newCodec(t, "")
	k := ring.Primary(t0)
	key, _ := k.JWEKey(jwe.A256GCM)
	kid := strconv.FormatUint(uint64(k.ID()), 10)
	exp := strconv.FormatInt(t0.Add(time.Minute).Unix(), 10)
	iat := strconv.FormatInt(t0.Unix(), 10)
	good := `{"sub":"x","iat":` + iat + `,"exp":` + exp + `}`
	if _, _, err := c.Open(seal(t, key, jose.A256GCM, kid, false, nil, good)); err != nil {
		t.Fatalf("go-jose token: %v", err)
	}
	cbcKey, _ := k.JWEKey(jwe.A256CBCHS512)
	deep := strings.Repeat("[", 100000)
	for name, tc := range map[string]struct {
		token string
		want  error
	}{
		"zip":         {seal(t, key, jose.A256GCM, kid, true, nil, good), keyseal.ErrMalformed},
		"no kid":      {seal(t, key, jose.A256GCM, "", false, nil, good), keyseal.ErrMalformed},
		"bad kid":     {seal(t, key, jose.A256GCM, "0x1", false, nil, good), keyseal.ErrUnknownKey},
		"zero kid":    {seal(t, key, jose.A256GCM, "0", false, nil, good), keyseal.ErrUnknownKey},
		"wrong enc":   {seal(t, cbcKey, jose.A256CBC_HS512, kid, false, nil, good), keyseal.ErrMalformed},
		"crit":        {seal(t, key, jose.A256GCM, kid, false, map[jose.HeaderKey]any{"crit": []string{"exp"}}, good), keyseal.ErrMalformed},
		"wrong key":   {seal(t, make([]byte, 32), jose.A256GCM, kid, false, nil, good), keyseal.ErrAuth},
		"no exp":      {seal(t, key, jose.A256GCM, kid, false, nil, `{"sub":"x","iat":`+iat+`}`), keyseal.ErrMalformed},
		"no iat":      {seal(t, key, jose.A256GCM, kid, false, nil, `{"sub":"x","exp":`+exp+`}`), keyseal.ErrMalformed},
		"string exp":  {seal(t, key, jose.A256GCM, kid, false, nil, `{"exp":"9999999999"}`), keyseal.ErrMalformed},
		"not object":  {seal(t, key, jose.A256GCM, kid, false, nil, `[1]`), keyseal.ErrMalformed},
		"deep json":   {seal(t, key, jose.A256GCM, kid, false, nil, deep), keyseal.ErrTooLarge},
		"huge header": {"eyJ" + strings.Repeat("A", 5000) + "....", keyseal.ErrTooLarge},
		"long header": {"eyJ" + strings.Repeat("A", 1000) + "....", keyseal.ErrMalformed},
		"four parts":  {"eyJhbGciOiJkaXIifQ...", keyseal.ErrMalformed},
		"empty":       {"", keyseal.ErrMalformed},
		"alg none":    {"eyJhbGciOiJub25lIiwiZW5jIjoiQTI1NkdDTSIsImtpZCI6IjEifQ....", keyseal.ErrMalformed},
	} {
		if _, _, err := c.Open(tc.token); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
	// A genuine token whose claims are deep JSON stays under the size
	// limit when the limit allows it, and is refused as malformed.
	big, _ := jwe.New(ring, jwe.Config{MaxTokenSize: 1 << 20, Clock: func() time.Time { return t0 }})
	if _, _, err := big.Open(seal(t, key, jose.A256GCM, kid, false, nil, deep)); !errors.Is(err, keyseal.ErrMalformed) {
		t.Errorf("deep json: %v", err)
	}
}

// A foreign token's "exp" far beyond "iat" + MaxAge is bounded by MaxAge:
// Meta reports the earlier expiry, and the token expires then.
func TestMaxAgeBoundsForeignExp(t *testing.T) {
	now := t0
	ring := testkit.FixedRing(t, keyring.DefaultAlgorithm, 1)
	c, err := jwe.New(ring, jwe.Config{MaxAge: time.Hour, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ring.Primary(t0).JWEKey(jwe.A256GCM)
	tok := seal(t, key, jose.A256GCM, "1", false, nil,
		`{"iat":`+strconv.FormatInt(t0.Unix(), 10)+`,"exp":`+strconv.FormatInt(t0.AddDate(10, 0, 0).Unix(), 10)+`}`)
	_, m, err := c.Open(tok)
	if err != nil {
		t.Fatal(err)
	}
	if !m.ExpiresAt.Equal(t0.Add(time.Hour)) || !m.IssuedAt.Equal(t0) {
		t.Errorf("Meta %+v, want issued at %v and expiring an hour later", m, t0)
	}
	now = t0.Add(time.Hour + keyseal.DefaultLeeway)
	if _, _, err := c.Open(tok); !errors.Is(err, keyseal.ErrExpired) {
		t.Errorf("after MaxAge and the leeway: %v, want ErrExpired", err)
	}
}

func TestTamper(t *testing.T) {
	c, _, _ := newCodec(t, "")
	token, err := c.Seal([]byte(`{"sub":"alice"}`))
	if err != nil {
		t.Fatal(err)
	}
	testkit.ChangeEachByte(t, token, "AB_.", func(tok string) error {
		_, _, err := c.Open(tok)
		return err
	})
}

func TestSealErrors(t *testing.T) {
	c, _, _ := newCodec(t, "")
	for _, claims := range []string{`[1]`, ``, `null`, `"sub"`, `{"sub":`, `{} {}`} {
		if _, err := c.Seal([]byte(claims)); !errors.Is(err, jwe.ErrClaims) {
			t.Errorf("claims %q: %v", claims, err)
		}
	}
	if _, err := c.SealAt([]byte(`{}`), t0, t0); !errors.Is(err, keyseal.ErrLifetime) {
		t.Errorf("empty lifetime: %v", err)
	}
	small, _ := jwe.New(keyringMust(t), jwe.Config{MaxTokenSize: 100})
	if _, err := small.Seal([]byte(`{"sub":"` + strings.Repeat("x", 100) + `"}`)); !errors.Is(err, keyseal.ErrTooLarge) {
		t.Errorf("too large: %v", err)
	}
	if _, err := jwe.New(keyringMust(t), jwe.Config{Encryption: "A128GCM"}); err == nil {
		t.Error("A128GCM accepted")
	}
}

// ringSource is a keyring.Source whose ring a test replaces.
type ringSource struct{ ring *keyring.Ring }

func (s *ringSource) Current() *keyring.Ring { return s.ring }

// A source that loses its ring, or hands out the zero Ring (no keys, no
// primary), makes New, Seal and Open fail, never panic.
func TestSourceWithoutKeys(t *testing.T) {
	if _, err := jwe.New(&keyring.Ring{}, jwe.Config{}); err == nil {
		t.Error("New accepted the zero Ring")
	}
	src := &ringSource{keyringMust(t)}
	c, err := jwe.New(src, jwe.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Seal([]byte(`{"sub":"u1"}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*keyring.Ring{nil, {}} {
		src.ring = r
		if _, err := c.Seal([]byte(`{"sub":"u1"}`)); err == nil {
			t.Errorf("Seal with ring %v succeeded", r)
		}
		if _, _, err := c.Open(tok); err == nil {
			t.Errorf("Open with ring %v succeeded", r)
		}
	}
}

func keyringMust(t testing.TB) *keyring.Ring {
	r, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRedacted(t *testing.T) {
	c, ring, _ := newCodec(t, "")
	key, _ := ring.Primary(t0).JWEKey(jwe.A256GCM)
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v %#v %s %x", c, c, c, c)} {
		if strings.Contains(s, fmt.Sprint(key[:4])) || strings.Contains(s, fmt.Sprintf("%x", key[:4])) || !strings.Contains(s, "REDACTED") {
			t.Fatalf("codec prints %q", s)
		}
	}
}

// An imported A256GCM key serves A256GCM codecs only; an A256CBC-HS512
// codec neither seals with it nor opens with it.
func TestDirectKey(t *testing.T) {
	k, err := keyring.NewKey(5, keyring.A256GCMDirect, make([]byte, 32), t0)
	if err != nil {
		t.Fatal(err)
	}
	ring, _ := keyring.New(k)
	now := func() time.Time { return t0 }
	gcm, err := jwe.New(ring, jwe.Config{Clock: now})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := gcm.Seal([]byte(`{"n":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := gcm.Open(tok); err != nil {
		t.Fatal(err)
	}
	if _, err := jwe.New(ring, jwe.Config{Encryption: jwe.A256CBCHS512, Clock: now}); !errors.Is(err, keyseal.ErrNoUsableKey) {
		t.Fatalf("A256CBC-HS512 codec on A256GCM keys only: %v", err)
	}
	// Beside a native key, the imported primary makes Seal fail, and its
	// ID opens nothing.
	withNative, err := testkit.FixedRing(t, keyring.DefaultAlgorithm, 1).Import(k)
	if err != nil {
		t.Fatal(err)
	}
	if withNative, err = withNative.Promote(5); err != nil {
		t.Fatal(err)
	}
	cbc, err := jwe.New(withNative, jwe.Config{Encryption: jwe.A256CBCHS512, Clock: now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cbc.Seal([]byte(`{}`)); !errors.Is(err, keyseal.ErrPrimaryCannotSeal) {
		t.Fatalf("sealed A256CBC-HS512 with an A256GCM key: %v", err)
	}
	if _, _, err := cbc.Open(tok); !errors.Is(err, keyseal.ErrMalformed) {
		t.Fatalf("A256GCM token, A256CBC-HS512 codec: %v", err)
	}
	cbcTok := seal(t, make([]byte, 64), jose.A256CBC_HS512, "5", false, nil, `{"iat":1,"exp":2}`)
	if _, _, err := cbc.Open(cbcTok); !errors.Is(err, keyseal.ErrUnknownKey) {
		t.Fatalf("A256CBC-HS512 token naming the A256GCM key: %v", err)
	}
}

// With "alg" "dir" the encrypted key part must be empty (RFC 7516 §5.2,
// and JavaScript's jose refuses it): go-jose ignores it, and it is outside
// the authenticated data, so without the check any bytes put there gave
// another spelling of a genuine token.
// Go's base64 decoders skip CR and LF, and go-jose re-encodes the header
// it authenticates: a genuine token with line breaks inserted in any part
// is another spelling of it, and must not open.
func TestLineBreaksRefused(t *testing.T) {
	c, _, _ := newCodec(t, "")
	token, err := c.Seal([]byte(`{"sub":"alice"}`))
	if err != nil {
		t.Fatal(err)
	}
	p := strings.Split(token, ".")
	for _, part := range []int{0, 2, 3, 4} {
		for _, brk := range []string{"\n", "\r\n", "\n\n\n\n", "\r"} {
			q := slices.Clone(p)
			q[part] = q[part][:2] + brk + q[part][2:]
			if _, _, err := c.Open(strings.Join(q, ".")); !errors.Is(err, keyseal.ErrMalformed) {
				t.Errorf("part %d with %q inserted: %v", part, brk, err)
			}
		}
	}
}

func TestEncryptedKeyRefused(t *testing.T) {
	c, _, _ := newCodec(t, "")
	token, err := c.Seal([]byte(`{"sub":"alice"}`))
	if err != nil {
		t.Fatal(err)
	}
	p := strings.Split(token, ".")
	for _, key := range []string{"AA", "AAAA", strings.Repeat("A", 43)} {
		p[1] = key
		if _, _, err := c.Open(strings.Join(p, ".")); !errors.Is(err, keyseal.ErrMalformed) {
			t.Errorf("encrypted key %q: %v", key, err)
		}
	}
}

// jwe.New follows codec.New's rule and sentinels (issue 15 items 7, 10):
// no ring is keyseal.ErrNoKeyring, a ring with no key for the "enc" is
// keyseal.ErrNoUsableKey, and a ring whose primary cannot seal the "enc"
// still makes a codec that opens the other keys' tokens.
func TestNewSentinels(t *testing.T) {
	if _, err := jwe.New(nil, jwe.Config{}); !errors.Is(err, keyseal.ErrNoKeyring) {
		t.Errorf("nil source: %v", err)
	}
	if _, err := jwe.New(&keyring.Ring{}, jwe.Config{}); !errors.Is(err, keyseal.ErrNoKeyring) {
		t.Errorf("zero Ring: %v", err)
	}
	imported, err := keyring.NewKey(5, keyring.A256GCMDirect, make([]byte, 32), t0)
	if err != nil {
		t.Fatal(err)
	}
	only, _ := keyring.New(imported)
	if _, err := jwe.New(only, jwe.Config{Encryption: jwe.A256CBCHS512}); !errors.Is(err, keyseal.ErrNoUsableKey) {
		t.Errorf("A256CBC-HS512 with A256GCM keys only: %v", err)
	}

	native := testkit.FixedRing(t, keyring.DefaultAlgorithm, 1)
	now := func() time.Time { return t0 }
	before, err := jwe.New(native, jwe.Config{Encryption: jwe.A256CBCHS512, Clock: now})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := before.Seal([]byte(`{"sub":"u"}`))
	if err != nil {
		t.Fatal(err)
	}
	mixed, err := native.Import(imported)
	if err != nil {
		t.Fatal(err)
	}
	if mixed, err = mixed.Promote(5); err != nil {
		t.Fatal(err)
	}
	c, err := jwe.New(mixed, jwe.Config{Encryption: jwe.A256CBCHS512, Clock: now})
	if err != nil {
		t.Fatalf("New with a primary that cannot seal: %v", err)
	}
	if _, _, err := c.Open(tok); err != nil {
		t.Errorf("Open under a primary that cannot seal: %v", err)
	}
	if _, err := c.Seal([]byte(`{}`)); !errors.Is(err, keyseal.ErrPrimaryCannotSeal) {
		t.Errorf("Seal: %v, want ErrPrimaryCannotSeal", err)
	}
}
