package codec_test

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/primitive"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

type nilSource struct{}

func (nilSource) Current() *keyring.Ring { return nil }

func TestNewValidation(t *testing.T) {
	r := testkit.FixedRing(t, keyring.XChaCha20Poly1305)
	var nilRing *keyring.Ring
	for name, tc := range map[string]struct {
		src   keyring.Source
		name  string
		cfg   codec.Config
		field string // the ConfigError's, or "" for another error
	}{
		"empty name":                 {r, "", codec.Config{}, ""},
		"256-byte name":              {r, strings.Repeat("n", 256), codec.Config{}, ""},
		"negative MaxAge":            {r, "s", codec.Config{MaxAge: -time.Hour}, "MaxAge"},
		"MaxAge under a second":      {r, "s", codec.Config{MaxAge: 500 * time.Millisecond}, "MaxAge"},
		"negative MaxTokenSize":      {r, "s", codec.Config{MaxTokenSize: -1}, "MaxTokenSize"},
		"negative decompressed size": {r, "s", codec.Config{MaxDecompressedSize: -1}, "MaxDecompressedSize"},
	} {
		c, err := codec.New(tc.src, tc.name, tc.cfg)
		if err == nil || c != nil {
			t.Errorf("%s: New = %v, %v; want an error", name, c, err)
			continue
		}
		var ce *keyseal.ConfigError
		switch {
		case tc.field != "" && (!errors.As(err, &ce) || ce.Package != "codec" || ce.Field != tc.field):
			t.Errorf("%s: error %q: want a ConfigError on codec's %s", name, err, tc.field)
		case tc.field == "" && (!strings.HasPrefix(err.Error(), "codec: ") || isSentinel(err)):
			t.Errorf("%s: error %q: want a configuration error starting with codec:", name, err)
		}
	}
	for name, src := range map[string]keyring.Source{"nil source": nil, "nil *Ring": nilRing, "source without a ring": nilSource{}} {
		if c, err := codec.New(src, "s", codec.Config{}); c != nil || !errors.Is(err, keyseal.ErrNoKeyring) {
			t.Errorf("%s: New = %v, %v; want keyseal.ErrNoKeyring", name, c, err)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	r := testkit.FixedRing(t, keyring.XChaCha20Poly1305)
	long := strings.Repeat("n", codec.MaxNameSize)
	c, err := codec.New(r, long, codec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != long || c.MaxAge() != keyseal.DefaultMaxAge {
		t.Errorf("Name %d bytes, MaxAge %v", len(c.Name()), c.MaxAge())
	}
	tok, err := c.Seal([]byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Open(tok); err != nil {
		t.Errorf("255-byte name: %v", err)
	}
	c, _ = codec.New(r, "s", codec.Config{MaxAge: 90*time.Minute + 500*time.Millisecond})
	if c.MaxAge() != 90*time.Minute {
		t.Errorf("MaxAge %v, want truncated to 1h30m", c.MaxAge())
	}
}

// No error of the codec, for any input, prints a secret or subkey in any
// encoding.
func TestErrorsNeverContainSecrets(t *testing.T) {
	var forms []string
	for _, alg := range algorithms {
		for _, id := range []uint32{1, 2} {
			k := testkit.Key(t, alg, id)
			for _, b := range [][]byte{testkit.Secret(id), k.Derive(primitive.Purpose, primitive.SubkeySize)} {
				forms = append(forms, string(b), hex.EncodeToString(b), base64.StdEncoding.EncodeToString(b),
					base64.RawURLEncoding.EncodeToString(b), fmt.Sprint(b), fmt.Sprintf("%X", b))
			}
		}
	}
	var errs []error
	for _, alg := range algorithms {
		r := testkit.FixedRing(t, alg, 1, 2)
		c := newCodec(t, r, codec.Config{Compress: true})
		tok, _ := c.Seal([]byte("secret payload"))
		raw, _ := base64.RawURLEncoding.DecodeString(tok)
		for i := range raw {
			raw[i] ^= 0x80
			_, _, err := c.Open(base64.RawURLEncoding.EncodeToString(raw))
			raw[i] ^= 0x80
			errs = append(errs, err)
		}
		promoted := must[*keyring.Ring](t)(r.Promote(2))
		_, _, err := newCodec(t, must[*keyring.Ring](t)(promoted.Retire(1)), codec.Config{}).Open(tok)
		errs = append(errs, err)
		_, _, err = newCodec(t, must[*keyring.Ring](t)(promoted.Remove(1)), codec.Config{}).Open(tok)
		errs = append(errs, err)
		_, err = c.SealAt(nil, time.Unix(10, 0), time.Unix(5, 0))
		errs = append(errs, err)
		_, err = c.Seal(make([]byte, 1<<20))
		errs = append(errs, err)
	}
	for _, err := range errs {
		if err == nil {
			continue
		}
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			for _, f := range forms {
				if strings.Contains(s, f) {
					t.Fatalf("error %q contains a secret", s)
				}
			}
		}
	}
	for _, want := range []error{keyseal.ErrKeyRetired, keyseal.ErrUnknownKey, keyseal.ErrLifetime, keyseal.ErrTooLarge, keyseal.ErrAuth} {
		if !slices.ContainsFunc(errs, func(err error) bool { return errors.Is(err, want) }) {
			t.Errorf("no %v among the errors checked", want)
		}
	}
}
