package codec_test

import (
	"bytes"
	"encoding/base64"
	"testing"
	"time"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/derive"
	"github.com/keyseal/keyseal/internal/primitive"
	"github.com/keyseal/keyseal/keyring"
)

func TestNewAEADRefusesOtherSizesAndAlgorithms(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33, 64} {
		for _, alg := range []keyring.Algorithm{keyring.XChaCha20Poly1305, keyring.AES256GCM} {
			if _, err := primitive.NewAEAD(alg, make([]byte, n)); err == nil {
				t.Errorf("NewAEAD(%v, %d-byte key) succeeded", alg, n)
			}
		}
	}
	if _, err := primitive.NewAEAD(keyring.HMACSHA256, make([]byte, 32)); err == nil {
		t.Error("NewAEAD(HMACSHA256) succeeded")
	}
	if _, err := primitive.NewMAC(keyring.AES256GCM, make([]byte, 32)); err == nil {
		t.Error("NewMAC(AES256GCM) succeeded")
	}
}

func TestNewAEADSizes(t *testing.T) {
	for alg, nonce := range map[keyring.Algorithm]int{keyring.XChaCha20Poly1305: 24, keyring.AES256GCM: 12} {
		a, err := primitive.NewAEAD(alg, make([]byte, primitive.SubkeySize))
		if err != nil {
			t.Fatal(err)
		}
		if a.NonceSize() != nonce || a.Overhead() != 16 {
			t.Errorf("%v: nonce %d tag %d, want %d and 16", alg, a.NonceSize(), a.Overhead(), nonce)
		}
	}
}

// TestTokensUsePrimitives rebuilds a token's cipher from the key's secret
// with derive.Key and primitive.NewAEAD / primitive.NewMAC alone, and checks
// that it opens (or verifies) what Codec sealed: the exported construction
// path is the one tokens use.
func TestTokensUsePrimitives(t *testing.T) {
	secret := bytes.Repeat([]byte{0x42}, keyring.SecretSize)
	const name = "sid"
	pt := []byte(`{"user":7}`)
	for _, alg := range []keyring.Algorithm{keyring.XChaCha20Poly1305, keyring.AES256GCM, keyring.HMACSHA256} {
		k, err := keyring.NewKey(9, alg, secret, time.Unix(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		r, err := keyring.New(k)
		if err != nil {
			t.Fatal(err)
		}
		c, err := codec.New(r, name, codec.Config{})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := c.Seal(pt)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil {
			t.Fatal(err)
		}
		sub, err := derive.Key(secret, nil, derive.Info(alg.String(), primitive.Purpose), primitive.SubkeySize)
		if err != nil {
			t.Fatal(err)
		}
		aad := append([]byte{byte(len(name))}, name...)
		aad = append(aad, raw[:codec.HeaderSize]...)
		rest := raw[codec.HeaderSize:]
		if alg == keyring.HMACSHA256 {
			m, err := primitive.NewMAC(alg, sub)
			if err != nil {
				t.Fatal(err)
			}
			body := rest[:len(rest)-m.Size()]
			m.Write(aad)
			m.Write(body)
			if !bytes.Equal(m.Sum(nil), rest[len(body):]) || !bytes.Equal(body, pt) {
				t.Errorf("%v: token not signed by NewMAC over the derived subkey", alg)
			}
			continue
		}
		a, err := primitive.NewAEAD(alg, sub)
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.Open(nil, rest[:a.NonceSize()], rest[a.NonceSize():], aad)
		if err != nil || !bytes.Equal(got, pt) {
			t.Errorf("%v: token does not open with NewAEAD over the derived subkey: %v", alg, err)
		}
	}
}

func TestNewMACFullTag(t *testing.T) {
	m, err := primitive.NewMAC(keyring.HMACSHA256, make([]byte, primitive.SubkeySize))
	if err != nil {
		t.Fatal(err)
	}
	if m.Size() != 32 {
		t.Errorf("tag size %d, want 32", m.Size())
	}
}
