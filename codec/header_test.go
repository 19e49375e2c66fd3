package codec_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

func TestParseHeaderValid(t *testing.T) {
	clock := testkit.NewClock(time.Time{})
	for _, alg := range algorithms {
		c := newCodec(t, testkit.FixedRing(t, alg, 0xa1b2c3d4), codec.Config{MaxAge: time.Hour, Clock: clock.Now})
		tok, err := c.Seal([]byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok, "AQ") {
			t.Errorf("%v: version 1 token starts %q, want AQ", alg, tok[:2])
		}
		h, err := codec.ParseHeader(tok)
		want := codec.Header{Version: 1, KeyID: 0xa1b2c3d4, IssuedAt: clock.Now(), ExpiresAt: clock.Now().Add(time.Hour)}
		if err != nil || h != want || h.Compressed() {
			t.Errorf("%v: ParseHeader = %+v, %v; want %+v", alg, h, err, want)
		}
	}
}

// rawToken encodes a header followed by n zero bytes.
func rawToken(version, flags byte, id uint32, iat, exp uint64, n int) string {
	b := []byte{version, flags, byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}
	for _, v := range []uint64{iat, exp} {
		b = append(b, byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return base64.RawURLEncoding.EncodeToString(append(b, make([]byte, n)...))
}

func TestParseHeaderInvalid(t *testing.T) {
	good := rawToken(1, 0, 7, 100, 200, 40)
	if h, err := codec.ParseHeader(good); err != nil || h.KeyID != 7 || h.IssuedAt.Unix() != 100 || h.ExpiresAt.Unix() != 200 {
		t.Fatalf("ParseHeader(good) = %+v, %v", h, err)
	}
	if h, err := codec.ParseHeader(rawToken(1, 1, 7, 100, 1<<40-1, 40)); err != nil || !h.Compressed() || h.ExpiresAt.Unix() != 1<<40-1 {
		t.Errorf("compressed, latest expiry: %+v, %v", h, err)
	}
	for name, tc := range map[string]struct {
		tok  string
		want error
	}{
		"empty":               {"", keyseal.ErrMalformed},
		"42 characters":       {good[:42], keyseal.ErrMalformed},
		"version 0":           {rawToken(0, 0, 7, 100, 200, 40), keyseal.ErrUnsupportedVersion},
		"version 2":           {rawToken(2, 0, 7, 100, 200, 40), keyseal.ErrUnsupportedVersion},
		"unknown flag":        {rawToken(1, 2, 7, 100, 200, 40), keyseal.ErrMalformed},
		"expiry at issue":     {rawToken(1, 0, 7, 100, 100, 40), keyseal.ErrMalformed},
		"expiry before issue": {rawToken(1, 0, 7, 100, 99, 40), keyseal.ErrMalformed},
		"LF in the header":    {good[:10] + "\n" + good[10:], keyseal.ErrMalformed},
		"CR in the header":    {good[:3] + "\r" + good[3:], keyseal.ErrMalformed},
		"padding in header":   {good[:20] + "=" + good[21:], keyseal.ErrMalformed},
		"'+' in the header":   {good[:5] + "+" + good[6:], keyseal.ErrMalformed},
		"non-ASCII in header": {"é" + good[2:], keyseal.ErrMalformed},
		"JWE compact":         {"eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..YWJj.ZGVm.Z2hp", keyseal.ErrUnsupportedVersion},
		"securecookie value":  {"MTcwMDAwMDAwMHxhYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5enxtYWM=", keyseal.ErrUnsupportedVersion},
		"whitespace":          {strings.Repeat(" ", 60), keyseal.ErrMalformed},
		"all padding":         {strings.Repeat("=", 60), keyseal.ErrMalformed},
	} {
		if _, err := codec.ParseHeader(tc.tok); err != tc.want {
			t.Errorf("%s: ParseHeader error %v, want %v", name, err, tc.want)
		}
	}
}

// ParseHeader does not authenticate: a forged header parses, and Open
// refuses the same token.
func TestParseHeaderIsUnverified(t *testing.T) {
	forged := rawToken(1, 0, 1, 100, 1<<40-1, 40)
	if _, err := codec.ParseHeader(forged); err != nil {
		t.Fatal(err)
	}
	c := newCodec(t, testkit.FixedRing(t, keyring.XChaCha20Poly1305, 1), codec.Config{})
	if _, _, err := c.Open(forged); err != keyseal.ErrAuth {
		t.Errorf("Open of a forged header: %v, want ErrAuth", err)
	}
}
