package robust_test

import (
	"bytes"
	"compress/flate"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/derive"
	"github.com/keyseal/keyseal/internal/primitive"
	"github.com/keyseal/keyseal/keyring"
)

// secretFor is the fixed secret of the test key with the given ID.
func secretFor(id uint32) []byte {
	secret := make([]byte, keyring.SecretSize)
	for i := range secret {
		secret[i] = byte(id) + byte(i)
	}
	return secret
}

// forge seals a raw payload under k by hand, with the key construction
// path codecs use (derive.Key, primitive.NewAEAD, primitive.NewMAC), so the
// token is genuine whatever the payload holds. It reaches what no Seal
// produces: a compressed flag on a payload that is not valid DEFLATE.
func forge(t testing.TB, k *keyring.Key, flags byte, payload []byte, iat, exp time.Time) string {
	t.Helper()
	sub, err := derive.Key(secretFor(k.ID()), nil, derive.Info(k.Algorithm().String(), primitive.Purpose), primitive.SubkeySize)
	if err != nil {
		t.Fatal(err)
	}
	aad := append([]byte{byte(len(cookie))}, cookie...)
	aad = append(aad, codec.Version, flags)
	aad = binary.BigEndian.AppendUint32(aad, k.ID())
	for _, v := range []int64{iat.Unix(), exp.Unix()} {
		aad = append(aad, byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	raw := bytes.Clone(aad[1+len(cookie):])
	if k.Algorithm() == keyring.HMACSHA256 {
		m, err := primitive.NewMAC(k.Algorithm(), sub)
		if err != nil {
			t.Fatal(err)
		}
		m.Write(aad)
		m.Write(payload)
		raw = m.Sum(append(raw, payload...))
	} else {
		a, err := primitive.NewAEAD(k.Algorithm(), sub)
		if err != nil {
			t.Fatal(err)
		}
		nonce := make([]byte, a.NonceSize())
		rand.Read(nonce)
		raw = a.Seal(append(raw, nonce...), nonce, payload, aad)
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}

func deflated(t testing.TB, p []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(p)
	w.Close()
	return b.Bytes()
}

// addForged adds genuine compressed tokens under each key: corrupt and
// truncated DEFLATE streams (ErrMalformed after authentication), and
// payloads at and just past the opener's decompression limit, five per key
// in that order.
func (f *fixture) addForged(t testing.TB, limit int, keys ...*keyring.Key) {
	n := len(f.tokens)
	defer func() { f.forged = f.tokens[n:len(f.tokens):len(f.tokens)] }()
	iat, exp := t0.Add(-10*time.Second), t0.Add(time.Hour)
	atLimit := bytes.Repeat([]byte("0123456789abcdef"), limit/16+1)[:limit]
	z := deflated(t, atLimit)
	for _, k := range keys {
		for _, junk := range [][]byte{{0xff, 0xff, 0xff, 0xff}, z[:len(z)/2], {}} {
			f.tokens = append(f.tokens, forge(t, k, 0x01, junk, iat, exp))
		}
		tok := forge(t, k, 0x01, z, iat, exp)
		f.tokens = append(f.tokens, tok)
		f.plain[tok] = string(atLimit)
		over := deflated(t, append(atLimit, 'x'))
		f.tokens = append(f.tokens, forge(t, k, 0x01, over, iat, exp))
	}
}

// TestForgedCompressedTokens checks the outcome of each genuine compressed
// token addForged builds, one by one: a corrupt or truncated stream is
// malformed, a payload at the limit opens, one byte more is too large.
func TestForgedCompressedTokens(t *testing.T) {
	f := newFixture(t)
	if len(f.forged) != 3*5 {
		t.Fatalf("%d forged tokens, want 15", len(f.forged))
	}
	for i, tok := range f.forged {
		if h, err := codec.ParseHeader(tok); err != nil || !h.Compressed() {
			t.Fatalf("forged token %d: header %+v, %v", i, h, err)
		}
		pt, _, err := f.open.Open(tok)
		var want error
		switch i % 5 {
		case 0, 1, 2:
			want = keyseal.ErrMalformed
		case 4:
			want = keyseal.ErrTooLarge
		}
		if !errors.Is(err, want) && (want != nil || err != nil) {
			t.Errorf("forged token %d: error %v, want %v", i, err, want)
		}
		if want == nil && string(pt) != f.plain[tok] {
			t.Errorf("forged token %d: wrong plaintext", i)
		}
	}
}
