package legacy_test

import (
	"bytes"
	"encoding/base64"
	"encoding/gob"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/legacy"
)

var (
	hashKey  = bytes.Repeat([]byte{1}, 64)
	blockKey = bytes.Repeat([]byte{2}, 32)
	cutoff   = time.Now().Add(365 * 24 * time.Hour)
)

type profile struct {
	User  string
	Admin bool
}

func init() { gob.Register(profile{}) }

func decoder(t testing.TB, cfg legacy.Config) *legacy.Decoder {
	t.Helper()
	if cfg.Keys == nil {
		cfg.Keys = []legacy.Keys{{Hash: hashKey, Block: blockKey}}
	}
	if cfg.Cutoff.IsZero() {
		cfg.Cutoff = cutoff
	}
	d, err := legacy.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func encode(t *testing.T, s *securecookie.SecureCookie, name string, v any) string {
	t.Helper()
	out, err := s.Encode(name, v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDecodeReal(t *testing.T) {
	in := profile{User: "alice", Admin: true}
	for _, tc := range []struct {
		name  string
		block []byte
		ser   legacy.Encoding
	}{
		{"gob+aes", blockKey, legacy.GobEncoding},
		{"gob", nil, legacy.GobEncoding},
		{"json+aes", blockKey, legacy.JSONEncoding},
		{"json", nil, legacy.JSONEncoding},
		{"aes128", blockKey[:16], legacy.GobEncoding},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := securecookie.New(hashKey, tc.block)
			if tc.ser == legacy.JSONEncoding {
				s.SetSerializer(securecookie.JSONEncoder{})
			}
			value := encode(t, s, "session", in)
			d := decoder(t, legacy.Config{Keys: []legacy.Keys{{Hash: hashKey, Block: tc.block}}, Encoding: tc.ser})
			var out profile
			m, err := d.Decode("session", value, &out)
			if err != nil {
				t.Fatal(err)
			}
			if out != in {
				t.Fatalf("got %+v", out)
			}
			if time.Since(m.IssuedAt) > time.Minute || m.ExpiresAt.Sub(m.IssuedAt) != legacy.DefaultMaxAge {
				t.Fatalf("meta %+v", m)
			}
		})
	}
}

func TestDecodeRotatedKeys(t *testing.T) {
	oldHash := bytes.Repeat([]byte{9}, 32)
	value := encode(t, securecookie.New(oldHash, nil), "session", profile{User: "bob"})
	d := decoder(t, legacy.Config{Keys: []legacy.Keys{{Hash: hashKey, Block: blockKey}, {Hash: oldHash}}})
	var out profile
	if _, err := d.Decode("session", value, &out); err != nil || out.User != "bob" {
		t.Fatalf("%v %+v", err, out)
	}
}

func TestDecodeRefused(t *testing.T) {
	s := securecookie.New(hashKey, blockKey)
	value := encode(t, s, "session", profile{User: "alice"})
	now := time.Now()
	var out profile
	for name, tc := range map[string]struct {
		cfg         legacy.Config
		cookie, val string
		want        error
	}{
		"wrong name":   {cookie: "other", val: value, want: keyseal.ErrAuth},
		"wrong key":    {cfg: legacy.Config{Keys: []legacy.Keys{{Hash: blockKey, Block: blockKey}}}, val: value, want: keyseal.ErrAuth},
		"expired":      {cfg: legacy.Config{Clock: func() time.Time { return now.Add(legacy.DefaultMaxAge + 2*time.Minute) }}, val: value, want: keyseal.ErrExpired},
		"no leeway":    {cfg: legacy.Config{Leeway: -1, Clock: func() time.Time { return now.Add(legacy.DefaultMaxAge + 2*time.Second) }}, val: value, want: keyseal.ErrExpired},
		"future":       {cfg: legacy.Config{Clock: func() time.Time { return now.Add(-2 * time.Minute) }}, val: value, want: keyseal.ErrNotYetValid},
		"short maxage": {cfg: legacy.Config{MaxAge: time.Hour, Clock: func() time.Time { return now.Add(2 * time.Hour) }}, val: value, want: keyseal.ErrExpired},
		"cutoff":       {cfg: legacy.Config{Cutoff: now.Add(-time.Second)}, val: value, want: legacy.ErrCutoff},
		"too long":     {val: strings.Repeat("A", 5000), want: keyseal.ErrTooLarge},
		"not base64":   {val: "MT%%%", want: keyseal.ErrMalformed},
		"no pipes":     {val: base64.URLEncoding.EncodeToString([]byte("1700000000")), want: keyseal.ErrMalformed},
		"empty":        {val: "", want: keyseal.ErrMalformed},
	} {
		d := decoder(t, tc.cfg)
		cookie := tc.cookie
		if cookie == "" {
			cookie = "session"
		}
		if _, err := d.Decode(cookie, tc.val, &out); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
	// Within the leeway (60 s by default), either side, a cookie opens.
	for _, at := range []time.Duration{-50 * time.Second, legacy.DefaultMaxAge + 50*time.Second} {
		d := decoder(t, legacy.Config{Clock: func() time.Time { return now.Add(at) }})
		if _, err := d.Decode("session", value, &out); err != nil {
			t.Errorf("at %v: %v", at, err)
		}
	}
	// A long MaxAge keeps an old cookie until the cutoff. There is no
	// "no limit": a negative MaxAge is a configuration error.
	d := decoder(t, legacy.Config{MaxAge: 365 * 24 * time.Hour, Clock: func() time.Time { return now.Add(300 * 24 * time.Hour) }})
	if _, err := d.Decode("session", value, &out); err != nil {
		t.Errorf("MaxAge of a year: %v", err)
	}
	_, err := legacy.New(legacy.Config{Keys: []legacy.Keys{{Hash: hashKey}}, Cutoff: now.Add(time.Hour), MaxAge: -1})
	var ce *keyseal.ConfigError
	if !errors.As(err, &ce) || ce.Package != "legacy" || ce.Field != "MaxAge" {
		t.Errorf("negative MaxAge: %v, want a ConfigError on legacy's MaxAge", err)
	}
}

// Every change of a character of a real cookie is refused.
func TestDecodeTampered(t *testing.T) {
	value := encode(t, securecookie.New(hashKey, blockKey), "session", profile{User: "alice"})
	d := decoder(t, legacy.Config{})
	var out profile
	testkit.ChangeEachByte(t, value, "Az-=", func(v string) error {
		_, err := d.Decode("session", v, &out)
		return err
	})
}

// A genuine cookie that does not deserialize into the destination is
// malformed, not a panic.
func TestWrongDestination(t *testing.T) {
	value := encode(t, securecookie.New(hashKey, blockKey), "session", map[any]any{"k": profile{User: "x"}})
	d := decoder(t, legacy.Config{})
	var out map[string]int
	if _, err := d.Decode("session", value, &out); !errors.Is(err, keyseal.ErrMalformed) {
		t.Fatalf("wrong destination type: %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	for name, cfg := range map[string]legacy.Config{
		"no keys":   {Cutoff: cutoff},
		"no cutoff": {Keys: []legacy.Keys{{Hash: hashKey}}},
		"no hash":   {Keys: []legacy.Keys{{Block: blockKey}}, Cutoff: cutoff},
		"bad block": {Keys: []legacy.Keys{{Hash: hashKey, Block: []byte("short")}}, Cutoff: cutoff},
		"encoding":  {Keys: []legacy.Keys{{Hash: hashKey}}, Cutoff: cutoff, Encoding: 9},
		// It would count as zero seconds, which means no MaxAge at all.
		"sub-second MaxAge": {Keys: []legacy.Keys{{Hash: hashKey}}, Cutoff: cutoff, MaxAge: 500 * time.Millisecond},
	} {
		if _, err := legacy.New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestSessionsHook(t *testing.T) {
	s := securecookie.New(hashKey, blockKey)
	value := encode(t, s, "session", map[any]any{"user": "carol", 42: profile{User: "x"}})
	d := decoder(t, legacy.Config{})
	read := legacy.Sessions(d, func(m map[any]any) (profile, error) {
		u, ok := m["user"].(string)
		if !ok {
			return profile{}, errors.New("no user")
		}
		return profile{User: u, Admin: m[42].(profile).User == "x"}, nil
	})
	p, m, err := read("session", value)
	if err != nil || p != (profile{User: "carol", Admin: true}) || m.IssuedAt.IsZero() {
		t.Fatalf("%+v %+v %v", p, m, err)
	}
	direct := legacy.Values[profile](d)
	if _, _, err := direct("session", encode(t, s, "session", profile{User: "dan"})); err != nil {
		t.Fatal(err)
	}
}

func TestRedacted(t *testing.T) {
	d := decoder(t, legacy.Config{Keys: []legacy.Keys{{Hash: []byte("hash-key-material"), Block: blockKey}}})
	for _, s := range []string{fmt.Sprint(d), fmt.Sprintf("%+v %#v %s %x", d, d, d, d), fmt.Sprintf("%v", *d)} {
		if strings.Contains(s, "hash-key-material") || !strings.Contains(s, "REDACTED") {
			t.Fatalf("decoder prints %q", s)
		}
	}
}

// Key pairs that share a hash key (encryption added, or the block key
// rotated, under one hash key) all verify a cookie's MAC; as
// securecookie.DecodeMulti does, the decoder goes on to the next pair when
// a pair's value does not deserialize.
func TestDecodeSharedHashKey(t *testing.T) {
	oldBlock := bytes.Repeat([]byte{7}, 32)
	for name, tc := range map[string]struct {
		hash, block []byte
		keys        []legacy.Keys
	}{
		"encryption added": {hashKey, nil,
			[]legacy.Keys{{Hash: hashKey, Block: blockKey}, {Hash: hashKey}}},
		"block key rotated": {hashKey, oldBlock,
			[]legacy.Keys{{Hash: hashKey, Block: blockKey}, {Hash: hashKey, Block: oldBlock}}},
	} {
		for _, ser := range []legacy.Encoding{legacy.GobEncoding, legacy.JSONEncoding} {
			w := securecookie.New(tc.hash, tc.block)
			if ser == legacy.JSONEncoding {
				w.SetSerializer(securecookie.JSONEncoder{})
			}
			value := encode(t, w, "session", profile{User: "carol"})
			var out profile
			d := decoder(t, legacy.Config{Keys: tc.keys, Encoding: ser})
			if _, err := d.Decode("session", value, &out); err != nil || out.User != "carol" {
				t.Errorf("%s (serializer %d): %v %+v", name, ser, err, out)
			}
		}
	}
}
